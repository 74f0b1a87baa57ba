import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Whether the tests run compiled, from .test-build/ (scripts/build-tests.mjs, as `npm test` does). */
export const compiled = import.meta.url.includes('/.test-build/');
/** The project's folder, whichever way the tests run. */
export const root = fileURLToPath(new URL(compiled ? '../../../' : '../../', import.meta.url));

/**
 * The command line (after `node`) that runs one of the project's TypeScript files as a process of its own, a
 * support server for example: its compiled twin when the tests run compiled, else the file under tsx.
 */
export function scriptArgs(file: string): string[] {
  return compiled
    ? [`${root}.test-build/${file.replace(/\.tsx?$/, '.js')}`]
    : ['--import', 'tsx', `${root}${file}`];
}
export const cliPath = `${root}dist/cli.js`;
export const everythingPath = `${root}node_modules/@modelcontextprotocol/server-everything/dist/index.js`;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would (no TTY), with a hard time limit. */
export function runCli(
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return runCommand(process.execPath, [cliPath, ...args], { cwd: root, ...options });
}

/** Runs a command to its end with its output collected, killed after `timeoutMs` (default 60 s). */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts the CLI in the background. A test that fails before it ends the CLI must not leave it running
 * (its pipes would hold the test file open): it is killed after `timeoutMs` whatever happens.
 */
export function startCli(
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): {
  child: ChildProcess;
  output: () => string;
  done: Promise<CliResult>;
} {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, output: () => stdout + stderr, done };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
