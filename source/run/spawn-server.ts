import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { endGroup, trackGroup } from '../mcp-client/process-group.js';

/** A server process started by the tool (`--spawn`, or the embedded demo server). */
export interface SpawnedServer {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Lines the server printed, for the event log (never the terminal). */
  readonly lines: string[];
  onLine(listener: (line: string) => void): void;
  /** Resolves when the server exits, with a line that says how (code or signal, and its last line). */
  readonly exited: Promise<string>;
  /** SIGTERM to the server's process group, SIGKILL to what is left after a grace period. */
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
  // A process group of its own: a Ctrl-C on the terminal reaches the tool, which ends its sessions first.
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (lines.length < 1000) lines.push(line);
      else lines[lines.length - 1] = line;
      for (const listener of listeners) listener(line);
    });
  }
  // 'close' comes once its output is read to the end, so the last line is known.
  const exited = new Promise<string>((resolve) =>
    child.once('close', (code, signal) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const last = lastWords(lines);
      resolve(`${how}${last ? `: ${last.trim()}` : ''}`);
    }),
  );
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`cannot start "${command}": ${error.message}`)));
    child.once('spawn', () => {
      trackGroup(child);
      resolve({
        pid: child.pid!,
        child,
        lines,
        onLine: (listener) => listeners.push(listener),
        exited,
        stop: async () => {
          await endGroup(child.pid!, 3000);
        },
      });
    });
  });
}

/** The line that best says why a server stopped: its last error line, else its last line of text. */
export function lastWords(lines: readonly string[]): string | undefined {
  const text = lines.filter((line) => line.trim() && !/^\s+at\s|^Node\.js v\d/.test(line));
  return text.findLast((line) => /error|in use/i.test(line)) ?? text[text.length - 1];
}

/** The host and port a URL's server listens on. */
function endpointOf(url: string): { host: string; port: number } {
  const { hostname, port, protocol } = new URL(url);
  return {
    host: hostname.replace(/^\[|\]$/g, ''),
    port: Number(port || (protocol === 'https:' ? 443 : 80)),
  };
}

/** True when something accepts a TCP connection at the URL's host and port now. */
export function accepting(url: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(endpointOf(url));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until something accepts TCP connections at the URL's host and port; throws what `exited()` says
 * when the server exits first.
 */
export async function waitForPort(
  url: string,
  timeoutMs: number,
  exited: () => string | null,
): Promise<number> {
  const { host, port } = endpointOf(url);
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const exit = exited();
    if (exit) throw new Error(`the spawned server ${exit} before it accepted connections`);
    if (await accepting(url)) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing accepted connections at ${host}:${port} within ${timeoutMs / 1000} s`);
}
