import type { BenchContext } from './bench-context.js';
import type { BenchDemoServer, DemoStats } from './demo-server.js';
import { root } from './paths.js';

/** Which SDK builds the server: the 1.x `McpServer` (2025 sessions) or the 2.x handler (2026-07-28). */
export type SdkKind = 'v1' | 'v2';

/** What bench/sdk-server.ts counts, beside the demo server's shape. */
export interface SdkStats extends DemoStats {
  /** ms since the epoch of the first tool call since the last `mark()`, or null. */
  readonly firstCallAt: number | null;
  readonly methods: Readonly<Record<string, number>>;
}

export interface BenchSdkServer extends BenchDemoServer {
  readonly kind: SdkKind;
  stats(): Promise<SdkStats>;
  /** Forgets the first call, so that the next one is timed. */
  mark(): Promise<void>;
}

/** Starts `bench/sdk-server.ts KIND` and waits for its `listening on` line. Only ever 127.0.0.1. */
export async function startSdkServer(context: BenchContext, kind: SdkKind): Promise<BenchSdkServer> {
  const args = ['--import', 'tsx', 'bench/sdk-server.ts', kind];
  const child = context.registry.start(`sdk-server-${kind}`, process.execPath, args, {
    cwd: root,
    graceMs: 5000,
  });
  let ended = false;
  void child.exited.then(() => (ended = true));
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!url) {
    url = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(child.stdout())?.[1];
    if (ended) throw new Error(`the ${kind} SDK server exited: ${child.stderr().trim().split('\n').at(-1)}`);
    if (Date.now() > deadline) throw new Error(`the ${kind} SDK server did not start within 30 s`);
    if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const base = new URL(url);
  const stats = async (): Promise<SdkStats> =>
    (await (await fetch(new URL('/stats', base))).json()) as SdkStats;
  return {
    kind,
    url,
    pid: child.pid,
    args,
    stats,
    mark: async () => void (await fetch(new URL('/mark', base))),
    stop: () => child.stop(),
  };
}

/**
 * Sessions a run opened, by the server's own count: `initialize` on the 1.x server; on the 2026-07-28
 * server (no initialize, no session id) a client's set-up is its `subscriptions/listen` stream.
 */
export function sessionsOpened(server: BenchSdkServer, before: SdkStats, after: SdkStats): number {
  const method = server.kind === 'v1' ? 'initialize' : 'subscriptions/listen';
  return (after.methods[method] ?? 0) - (before.methods[method] ?? 0);
}
