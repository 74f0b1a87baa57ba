import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { HostileMode, HostileStats } from './hostile-http-server.js';
import { root, scriptArgs } from './processes.js';

export type { HostileMode, HostileStats };

/** The hostile HTTP server (hostile-http-server.ts) in its own process. */
export async function startHostileHttp(mode: HostileMode): Promise<{
  readonly url: string;
  stats(): Promise<HostileStats>;
  stop(): Promise<void>;
}> {
  const child = spawn(process.execPath, [...scriptArgs('test/support/hostile-http-server.ts'), mode], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`hostile server exited ${code}`)));
  });
  const statsUrl = new URL('/stats', url).toString();
  return {
    url,
    stats: async () => (await (await fetch(statsUrl)).json()) as HostileStats,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** The command line of the hostile stdio server (hostile-stdio-server.ts) for `-- <command>`. */
export function hostileStdioCommand(mode: string, countsFile: string): string[] {
  return [process.execPath, ...scriptArgs('test/support/hostile-stdio-server.ts'), mode, countsFile];
}

/** Resident memory of a process, MB, from /proc (Linux); 0 once it has ended. */
function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS (every 50 ms) until stopped; its threads (the workers) are in it. */
export function watchRss(pid: number): { peakMb(): number; stop(): void } {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  return { peakMb: () => peak, stop: () => clearInterval(timer) };
}
