import { fileURLToPath } from 'node:url';

/**
 * The repository root (the bench runs from anywhere): one folder up, two when the tests run the bench's
 * modules compiled, from .test-build/bench/ (scripts/build-tests.mjs).
 */
export const root = fileURLToPath(
  new URL(import.meta.url.includes('/.test-build/') ? '../../' : '../', import.meta.url),
);
/** The built CLI (`npm run bench` builds it first); `BENCH_CLI=…/dist/cli.js` measures another build. */
export const cliPath = process.env['BENCH_CLI'] ?? `${root}dist/cli.js`;
/** The plain SDK client the cpu-per-call scenario compares against. */
export const plainClientPath = `${root}bench/plain-sdk-client.ts`;
/** The raw-socket client sdk-cost measures as the floor (no HTTP or MCP library). */
export const rawFloorClientPath = `${root}bench/raw-floor-client.ts`;
