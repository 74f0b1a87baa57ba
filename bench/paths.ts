import { fileURLToPath } from 'node:url';

/** The repository root (the bench runs from anywhere). */
export const root = fileURLToPath(new URL('../', import.meta.url));
/** The built CLI (`npm run bench` builds it first). */
export const cliPath = `${root}dist/cli.js`;
/** The plain SDK client the cpu-per-call scenario compares against. */
export const plainClientPath = `${root}bench/plain-sdk-client.ts`;
