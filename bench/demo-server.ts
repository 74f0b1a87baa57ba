import type { BenchChild, ChildRegistry } from './child-processes.js';
import { cliPath, root } from './paths.js';

/**
 * How the server under test frames its answers. Both build an SDK `McpServer` and a
 * `StreamableHTTPServerTransport` per session; `lean` answers a POST with plain JSON (the demo's default),
 * `sdk` with an SSE stream, as the v1 SDK's transport does by default (`--sse-responses`).
 */
export type ServerKind = 'lean' | 'sdk';

export const SERVER_KINDS: Readonly<
  Record<ServerKind, { readonly label: string; readonly args: readonly string[] }>
> = {
  lean: { label: 'lean JSON answers', args: [] },
  sdk: { label: 'SDK default: SSE-framed answers', args: ['--sse-responses'] },
};

/** Starts the demo server as `kind` frames its answers. */
export function startServerOfKind(
  registry: ChildRegistry,
  kind: ServerKind,
  extraArgs: readonly string[],
): Promise<BenchDemoServer> {
  return startDemoServer(registry, [...extraArgs, ...SERVER_KINDS[kind].args]);
}

/** What the demo server says about itself at `GET /stats`. */
export interface DemoStats {
  readonly pid: number;
  readonly sessions: { readonly active: number; readonly opened: number; readonly closed: number };
  readonly calls: { readonly total: number; readonly errors: number };
}

/** The built-in demo MCP server, running as a child process of the bench. */
export interface BenchDemoServer {
  readonly url: string;
  /** Passed to the CLI as --pid, so that reports carry the server's CPU (saturation shows there). */
  readonly pid: number;
  /** The command line that started it, for the reproduce hints. */
  readonly args: readonly string[];
  stats(): Promise<DemoStats>;
  stop(): Promise<void>;
}

/** Starts `demo-server --port 0 …` and waits for its `listening on` line. Only ever 127.0.0.1. */
export async function startDemoServer(
  registry: ChildRegistry,
  extraArgs: readonly string[],
): Promise<BenchDemoServer> {
  // The 2025-11-25 stateful era only: the 2025 figures count sessions the server holds (modern-era has its own).
  const args = [
    'demo-server',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--protocol',
    '2025-11-25',
    ...extraArgs,
  ];
  const child = registry.start('demo-server', process.execPath, [cliPath, ...args], {
    cwd: root,
    graceMs: 5000,
  });
  const url = await listeningUrl(child);
  if (new URL(url).hostname !== '127.0.0.1') {
    await child.stop();
    throw new Error(`demo server listens on ${url}; the bench only targets 127.0.0.1`);
  }
  const statsUrl = new URL('/stats', url).toString();
  const stats = async (): Promise<DemoStats> => (await (await fetch(statsUrl)).json()) as DemoStats;
  return {
    url,
    pid: (await stats()).pid,
    args,
    stats,
    stop: () => child.stop(),
  };
}

async function listeningUrl(child: BenchChild): Promise<string> {
  const deadline = Date.now() + 15_000;
  let ended = false;
  void child.exited.then(() => (ended = true));
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(child.stdout());
    if (match?.[1]) return match[1];
    if (ended) throw new Error(`demo server exited: ${child.stderr().trim() || child.stdout().trim()}`);
    if (Date.now() > deadline) throw new Error('demo server did not start within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
