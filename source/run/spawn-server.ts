import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

/** A server process started by the tool (`--spawn`, or the embedded demo server). */
export interface SpawnedServer {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Lines the server printed, for the event log (never the terminal). */
  readonly lines: string[];
  onLine(listener: (line: string) => void): void;
  stop(): Promise<void>;
}

/** Splits a command line into words, honouring quotes; no shell is involved. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(command); match; match = pattern.exec(command)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return words;
}

export function startServer(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<SpawnedServer> {
  const [command, ...args] = argv;
  if (!command) return Promise.reject(new Error('--spawn: the command is empty'));
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (lines.length < 1000) lines.push(line);
      for (const listener of listeners) listener(line);
    });
  }
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`cannot start "${command}": ${error.message}`)));
    child.once('spawn', () =>
      resolve({
        pid: child.pid!,
        child,
        lines,
        onLine: (listener) => listeners.push(listener),
        stop: () =>
          new Promise<void>((done) => {
            if (exited) return done();
            const force = setTimeout(() => child.kill('SIGKILL'), 3000);
            child.once('exit', () => {
              clearTimeout(force);
              done();
            });
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

/** Waits until something accepts TCP connections at the URL's host and port. */
export async function waitForPort(url: string, timeoutMs: number, alive: () => boolean): Promise<number> {
  const { hostname, port, protocol } = new URL(url);
  const portNumber = Number(port || (protocol === 'https:' ? 443 : 80));
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (!alive()) throw new Error('the spawned server exited before it accepted connections');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: portNumber });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing accepted connections at ${hostname}:${portNumber} within ${timeoutMs / 1000} s`);
}
