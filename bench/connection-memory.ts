import type { BenchContext, Scenario } from './bench-context.js';
import { formatNumber, median, runsNote } from './figures.js';
import { root } from './paths.js';

const NAME = 'connection-memory';
/** Streams held per run: enough that the per-connection figure is not the heap's noise. */
const CONNECTIONS = 3000;
const CHILD = 'bench/connection-memory-child.mjs';
const KINDS = ['undici', 'node-http'] as const;

interface Held {
  readonly rssKb: number;
  readonly heapKb: number;
}

/** Holds CONNECTIONS event streams with one HTTP client and returns what each cost that process. */
async function hold(context: BenchContext, port: number, kind: string, run: number): Promise<Held> {
  const label = `${NAME}-${kind}-${run}`;
  const args = ['--expose-gc', CHILD, kind, String(port), String(CONNECTIONS)];
  const child = context.registry.start(label, process.execPath, args, { cwd: root });
  const code = await child.exited;
  const line = child.stdout().trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(`${label}: exited ${code}: ${child.stderr().trim().split('\n').at(-1)}`);
  return JSON.parse(line) as Held;
}

/**
 * What one held GET stream's connection costs a Node process, whichever HTTP client holds it: the floor
 * under `sessions-held`'s figure with streams, since each session holds one (issue 15's target is 16 KB
 * per session). Needs `ulimit -n` above CONNECTIONS + 100.
 */
export const connectionMemory: Scenario = async (context) => {
  const server = context.registry.start(`${NAME}-server`, process.execPath, [CHILD, 'serve'], {
    cwd: root,
  });
  try {
    const deadline = Date.now() + 10_000;
    let port: number | undefined;
    while (port === undefined && Date.now() < deadline) {
      const match = /listening on (\d+)/.exec(server.stdout());
      if (match) port = Number(match[1]);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (port === undefined) throw new Error(`${NAME}: the stream server did not start`);
    for (const kind of KINDS) {
      const runs: Held[] = [];
      for (let run = 1; run <= context.runs; run += 1) {
        const held = await context.attempt(() => hold(context, port, kind, run));
        if (held) runs.push(held);
        if (held) context.progress(`${NAME}-${kind}-${run}: ${formatNumber(held.rssKb)} KB RSS per stream`);
      }
      if (runs.length === 0) continue;
      const rss = median(runs.map((held) => held.rssKb));
      const heap = median(runs.map((held) => held.heapKb));
      context.figure({
        scenario: NAME,
        text:
          `${CONNECTIONS} event streams held open by ${kind === 'undici' ? "undici's Client" : 'node:http'}, ` +
          `a connection each: ${formatNumber(rss)} KB of RSS per stream, ${formatNumber(heap)} KB of it ` +
          `JavaScript heap${runsNote(runs.length, context.runs)}`,
        target: "no target: the floor under sessions-held's figure with the GET stream",
        met: null,
        reproduce: context.reproduce(NAME),
      });
    }
  } finally {
    await server.stop();
  }
};
