import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { root, scriptArgs } from './processes.js';

/** The prom-client-instrumented MCP server (test/support/instrumented-server.ts) in its own process. */
export interface InstrumentedServer {
  readonly url: string;
  readonly metricsUrl: string;
  readonly pid: number;
  stats(): Promise<{ calls: { total: number }; sessions: { opened: number; active: number } }>;
  stop(): Promise<void>;
}

export async function startInstrumented(args: readonly string[] = []): Promise<InstrumentedServer> {
  const child = spawn(process.execPath, [...scriptArgs('test/support/instrumented-server.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  const [url, metricsUrl] = await new Promise<[string, string]>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (\S+) metrics (\S+)/.exec(line);
      if (match?.[1] && match[2]) resolve([match[1], match[2]]);
    });
    child.once('exit', (code) =>
      reject(new Error(`instrumented server exited ${code}: ${lines.join('\n')}`)),
    );
  });
  return {
    url,
    metricsUrl,
    pid: child.pid!,
    stats: async () => (await fetch(new URL('/stats', url))).json() as never,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
