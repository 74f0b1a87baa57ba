import { fileURLToPath } from 'node:url';
import type { Config, MixEntry } from '../config/schema.js';
import { startServer, type SpawnedServer } from './spawn-server.js';

// The demo server the tool starts when no server is named (`npm start`): its defaults and its start.

/** The embedded demo server's default tool mix. */
export const DEMO_MIX: readonly MixEntry[] = [
  { tool: 'fast', weight: 60 },
  { tool: 'work', weight: 40 },
];

/**
 * The embedded demo serves both eras: unless the run chose a revision or a mix, half its clients speak each
 * (`npm start` shows both, a latency row per revision).
 */
export const DEMO_PROTOCOL_MIX: NonNullable<Config['protocolMix']> = [
  { revision: '2025-11-25', weight: 50 },
  { revision: '2026-07-28', weight: 50 },
];

/** The embedded demo's pool: C=2 connections × S=400 ms → 5 `work` calls/s. */
export const DEMO_POOL = { size: 2, ms: 400 } as const;

// Unbundled (source/run/ under tsx, or compiled one for one by scripts/build-tests.mjs) the CLI is one
// folder up; bundled (scripts/build.mjs), this code is in a chunk beside dist/cli.js.
const unbundled = /\/built-in-demo\.[jt]s$/.test(import.meta.url);
const cliPath = fileURLToPath(
  new URL(
    unbundled ? `../cli.${import.meta.url.endsWith('.ts') ? 'tsx' : 'js'}` : './cli.js',
    import.meta.url,
  ),
);

/** Starts the built-in demo server as a child process and returns it with its URL. */
export async function startDemoServer(config: Config): Promise<{ server: SpawnedServer; url: string }> {
  const server = await startServer([
    process.execPath,
    ...process.execArgv,
    cliPath,
    'demo-server',
    '--port',
    '0',
    '--bottleneck',
    config.bottleneck,
    // A pool small enough that its knee shows within a few dozen sessions (see README).
    '--pool-size',
    String(DEMO_POOL.size),
    '--pool-ms',
    String(DEMO_POOL.ms),
  ]);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the demo server did not start within 15 s')), 15_000);
    const check = (line: string): void => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.lines.forEach(check);
    server.onLine(check);
    server.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo server exited (code ${code}): ${server.lines.slice(-3).join(' | ')}`));
    });
  });
  return { server, url };
}
