import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cliPath, everythingPath, freePort, root } from './processes.js';

/** Stats the demo server reports about itself (GET /stats). */
export interface DemoStats {
  readonly pid: number;
  readonly sessions: { readonly active: number; readonly opened: number; readonly closed: number };
  readonly calls: {
    readonly total: number;
    readonly byTool: Record<string, number>;
    readonly errors: number;
  };
  /** Tool calls by protocol era: `2025-11-25` (sessions), `stateless`, `2026-07-28`. */
  readonly callsByEra: Record<string, number>;
  /** Streamable HTTP GET streams open now. */
  readonly getStreams: number;
}

export interface RunningServer {
  readonly url: string;
  readonly child: ChildProcess;
  readonly lines: string[];
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
}

/** What the demo server at `url` (its MCP URL, or any on its port) reports about itself. */
export async function demoStats(url: string | URL): Promise<DemoStats> {
  return (await (await fetch(new URL('/stats', url))).json()) as DemoStats;
}

/** The built-in demo server in its own process, on a free port; `env` is added to the test's own. */
export async function startDemo(
  args: readonly string[] = [],
  { env = {} }: { readonly env?: Readonly<Record<string, string>> } = {},
): Promise<RunningServer & { stats(): Promise<DemoStats> }> {
  // Serving only the stateful 2025 era unless a test asks: `--protocol auto` runs against it stay on sessions.
  const protocol =
    args.includes('--protocol') || args.includes('--stdio') ? [] : ['--protocol', '2025-11-25'];
  const child = spawn(process.execPath, [cliPath, 'demo-server', '--port', '0', ...protocol, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
    child.once('exit', (code) => reject(new Error(`demo server exited ${code}: ${lines.join('\n')}`)));
  });
  return {
    url,
    child,
    lines,
    stop: stopper(child),
    stats: () => demoStats(url),
  };
}

/** `@modelcontextprotocol/server-everything`; counts sessions from its own log lines. */
export async function startEverything(
  transport: 'streamableHttp' | 'sse',
): Promise<RunningServer & { opened(): number; closed(): number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [everythingPath, transport], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => lines.push(line));
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (lines.some((line) => /listening on port|running on port/i.test(line))) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => reject(new Error(`server-everything exited ${code}: ${lines.join('\n')}`)));
  });
  const count = (pattern: RegExp): number => lines.filter((line) => pattern.test(line)).length;
  const streamable = transport === 'streamableHttp';
  return {
    url: `http://127.0.0.1:${port}/${streamable ? 'mcp' : 'sse'}`,
    child,
    lines,
    stop: stopper(child),
    opened: () => count(streamable ? /Session initialized with ID/ : /Client Connected/),
    closed: () => count(streamable ? /Transport closed for session/ : /Client Disconnected/),
  };
}

/** One demo server for a whole test file: started before its tests, stopped after them. */
export function demoForFile(
  args: readonly string[] = ['--bottleneck', 'none'],
): () => Awaited<ReturnType<typeof startDemo>> {
  let demo: Awaited<ReturnType<typeof startDemo>> | undefined;
  before(async () => {
    demo = await startDemo(args);
  });
  after(async () => {
    await demo?.stop();
  });
  return () => {
    if (!demo) throw new Error('the demo server is not started yet');
    return demo;
  };
}
