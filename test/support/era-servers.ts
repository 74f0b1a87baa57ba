import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { root, scriptArgs } from './processes.js';

/** What an era server saw: requests by HTTP method and by JSON-RPC method. */
export interface EraCounts {
  readonly http: Record<string, number>;
  readonly rpc: Record<string, number>;
}

/** `modern` (v2, legacy: 'reject'), `dual` (v2, stateless 2025 fallback) or `v1` (1.x SDK, stateful). */
export type EraPosture = 'modern' | 'dual' | 'v1';

/** test/support/era-server.ts in its own process; stopped by `stop()`. */
export async function startEraServer(posture: EraPosture) {
  const child = spawn(process.execPath, [...scriptArgs('test/support/era-server.ts'), posture], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`era server exited ${code}: ${lines.join('\n')}`)));
  });
  return {
    url,
    counts: async (): Promise<EraCounts> =>
      (await (await fetch(new URL('/counts', url))).json()) as EraCounts,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
