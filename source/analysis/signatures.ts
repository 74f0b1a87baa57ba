import type { LevelSummary } from '../engine/levels.js';
import type { Percentiles } from '../metrics/histogram.js';
import type { BottleneckKind } from './bottleneck.js';

/** A bottleneck's signature found at one level. */
export interface Signature {
  readonly kind: BottleneckKind;
  readonly evidence: readonly string[];
}

/** The server's own event-loop delay (`--server-metrics`), when it exports one. */
const serverLoopDelay = (level: LevelSummary): string[] =>
  level.serverEventLoopDelayP99Ms === null || level.serverEventLoopDelayP99Ms === undefined
    ? []
    : [
        `the server's own event-loop delay p99 was ${ms(level.serverEventLoopDelayP99Ms)} at N=${level.concurrency}`,
      ];

/** A tool's figures count only with this many calls at the level. @default 20 */
const MIN_TOOL_CALLS = 20;

const ms = (value: number): string => `${Math.round(value)} ms`;
const mb = (bytes: number): string => `${Math.round(bytes / 1024 ** 2)} MB`;

interface ToolFigures {
  readonly name: string;
  readonly now: Percentiles;
  readonly base: Percentiles | null;
}

function toolsAt(level: LevelSummary, first: LevelSummary): ToolFigures[] {
  return Object.entries(level.tools)
    .filter(([, tool]) => tool.latencyMs && tool.calls >= MIN_TOOL_CALLS)
    .map(([name, tool]) => ({ name, now: tool.latencyMs!, base: first.tools[name]?.latencyMs ?? null }));
}

/**
 * The signatures at `level`, judged against the lowest level `first`, most specific first:
 * - memory: server RSS 1.5× and 100 MB above the lowest level's;
 * - event-loop starvation (above N=1): the fastest tool's P99 far above its P50 while its P50
 *   stays low: it waits behind something that holds the loop (a blocking tool), not for CPU time;
 * - CPU saturation: the server near a core and every tool's P50 up (all calls wait for CPU);
 * - pool exhaustion: one tool's P99 up threefold while the fastest stays fast and the CPU idles.
 */
export function signatures(first: LevelSummary, level: LevelSummary, sloMs: number): Signature[] {
  const found: Signature[] = [];
  const n = level.concurrency;
  const base = first.serverRssBytes;
  const rss = level.serverRssBytes;
  if (level !== first && base !== null && rss !== null && rss > base * 1.5 && rss - base > 100 * 1024 ** 2) {
    found.push({
      kind: 'memory-pressure',
      evidence: [
        `server RSS grew from ${mb(base)} at N=${first.concurrency} to ${mb(rss)} at N=${n}`,
        `P99 went from ${ms(first.latencyMs!.p99)} to ${ms(level.latencyMs!.p99)}`,
      ],
    });
  }
  const tools = toolsAt(level, first);
  const fastest = [...tools].sort((a, b) => a.now.p50 - b.now.p50)[0];
  const cpu = level.serverCpuPercent;
  const cpuText = cpu === null ? 'server CPU unknown' : `server CPU ${cpu}% of a core`;
  // One client's calls go one at a time: at N=1 nothing waits behind anything, and a tail there is the
  // server's own (GC, a cold start), not the load's.
  if (fastest && n > 1) {
    const { p50, p99 } = fastest.now;
    const lowP50 = fastest.base?.p50 ?? p50;
    if (p99 >= p50 * 10 && p99 >= Math.min(50, sloMs / 10) && p50 <= Math.max(lowP50 * 3, 20)) {
      found.push({
        kind: 'event-loop-starvation',
        evidence: [
          `${fastest.name}: P99 ${ms(p99)} while P50 stays at ${ms(p50)} (${ms(lowP50)} at N=${first.concurrency}) at N=${n}`,
          `${cpuText}: the fastest tool waits behind work that holds the event loop`,
          ...serverLoopDelay(level),
        ],
      });
    }
  }
  const [low, high] = [first.latencyMs!, level.latencyMs!];
  const everyP50Up =
    tools.length > 0
      ? tools.every(
          (tool) =>
            tool.base !== null && tool.now.p50 >= tool.base.p50 * 2 && tool.now.p50 - tool.base.p50 >= 5,
        )
      : high.p50 >= low.p50 * 2 && high.p50 - low.p50 >= 5;
  const grew = high.p99 > low.p99 * 2 && high.p99 - low.p99 >= Math.min(50, sloMs / 10);
  if (cpu !== null && cpu >= 80 && level !== first && (everyP50Up || (grew && high.p95 >= high.p99 * 0.6))) {
    found.push({
      kind: 'cpu-saturation',
      evidence: [
        `server CPU ${cpu}% of a core at N=${n}`,
        `P50 ${ms(low.p50)} → ${ms(high.p50)}, P95 and P99 ${ms(high.p95)} and ${ms(high.p99)} (from ${ms(low.p95)} and ${ms(low.p99)}): every call waits for CPU`,
      ],
    });
  }
  // One tool slows while the fastest stays fast and the CPU idles: calls queue for a limited resource (a
  // connection pool, a lock, a downstream) without failing yet.
  const waiting = tools
    .filter((tool) => tool.base !== null && tool !== fastest)
    .sort((a, b) => b.now.p99 / b.base!.p99 - a.now.p99 / a.base!.p99)[0];
  if (
    waiting &&
    fastest?.base &&
    waiting.now.p99 >= waiting.base!.p99 * 3 &&
    fastest.now.p99 <= Math.max(fastest.base.p99 * 3, 50) &&
    (cpu === null || cpu < 50)
  ) {
    found.push({
      kind: 'pool-exhaustion',
      evidence: [
        `${waiting.name}: P99 ${ms(waiting.base!.p99)} at N=${first.concurrency} → ${ms(waiting.now.p99)} at N=${n}, while ${fastest.name} stayed at ${ms(fastest.now.p99)}`,
        `${cpuText}: calls wait for a limited resource (a pool, a lock, a downstream), not for CPU; no pool-full errors yet`,
      ],
    });
  }
  return found;
}
