import type { LevelSummary } from '../engine/levels.js';
import type { ErrorCount } from '../metrics/recorder.js';
import { poolGaugeEvidence } from '../observability/pool-gauge.js';

/** The resource that ran out first, as the report's `analysis.bottleneck.kind` names it. */
export type BottleneckKind =
  | 'load-generator'
  | 'pool-exhaustion'
  | 'memory-pressure'
  | 'cpu-saturation'
  | 'event-loop-starvation'
  | 'none-reached'
  | 'unknown';

export interface Bottleneck {
  readonly kind: BottleneckKind;
  /** The figures that point to it, one sentence each. */
  readonly evidence: readonly string[];
}

/** Messages servers give when a pool or queue is full. */
const POOL_MESSAGE =
  /pool (is )?(full|exhausted)|too many (connections|clients)|connection limit|queue (is )?full/i;

const ms = (value: number): string => `${Math.round(value)} ms`;

/** The server's own event-loop delay (`--server-metrics`), when it exports one. */
const serverLoopDelay = (level: LevelSummary): string[] =>
  level.serverEventLoopDelayP99Ms === null || level.serverEventLoopDelayP99Ms === undefined
    ? []
    : [
        `the server's own event-loop delay p99 was ${ms(level.serverEventLoopDelayP99Ms)} at N=${level.concurrency}`,
      ];

/**
 * Reads the bottleneck's signature from the levels, most specific first: pool errors name themselves; a
 * saturated generator makes every other figure suspect; memory that grows with sessions; server CPU near a
 * core with P95 and P99 climbing together; P99 climbing while P50 stays low (event-loop starvation).
 */
export function diagnose(
  levels: readonly LevelSummary[],
  errorsByKind: Readonly<Record<string, ErrorCount>>,
  sloMs: number,
  /** Worker threads of the generator: each may use up to a core. */
  workers = 1,
): Bottleneck {
  // The server's own words come first: a saturated generator inflates latencies, not pool-full errors.
  const poolErrors = Object.entries(errorsByKind).filter(([, count]) => POOL_MESSAGE.test(count.lastMessage));
  if (poolErrors.length > 0) {
    const [kind, count] = poolErrors[0]!;
    return {
      kind: 'pool-exhaustion',
      evidence: [`${count.count} ${kind} errors saying "${count.lastMessage.slice(0, 120)}"`],
    };
  }
  // So does its own pool gauge (`--server-metric`): callers queued at the server, whatever the generator.
  const gauge = poolGaugeEvidence([...levels].sort((a, b) => a.concurrency - b.concurrency));
  if (gauge) return { kind: 'pool-exhaustion', evidence: gauge };
  const measured = levels.filter((level) => level.latencyMs && level.calls > 0);
  const generator = measured.find(
    (level) =>
      level.generator.eventLoopDelayP99Ms > 50 || level.generator.cpuPercent > 85 * Math.max(1, workers),
  );
  if (generator) {
    return {
      kind: 'load-generator',
      evidence: [
        `at N=${generator.concurrency} the generator's event-loop delay p99 was ${ms(generator.generator.eventLoopDelayP99Ms)} and its CPU ${generator.generator.cpuPercent}%: its own queueing is in the latencies`,
      ],
    };
  }
  if (measured.length < 2) return { kind: 'unknown', evidence: ['fewer than two levels measured'] };
  const sorted = [...measured].sort((a, b) => a.concurrency - b.concurrency);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const [low, high] = [first.latencyMs!, last.latencyMs!];
  const rss = sorted.map((level) => level.serverRssBytes).filter((value): value is number => value !== null);
  if (
    rss.length >= 2 &&
    rss[rss.length - 1]! > rss[0]! * 1.5 &&
    rss[rss.length - 1]! - rss[0]! > 100 * 1024 ** 2
  ) {
    const mb = (bytes: number): string => `${Math.round(bytes / 1024 ** 2)} MB`;
    return {
      kind: 'memory-pressure',
      evidence: [
        `server RSS grew from ${mb(rss[0]!)} at N=${first.concurrency} to ${mb(rss[rss.length - 1]!)} at N=${last.concurrency}`,
        `P99 went from ${ms(low.p99)} to ${ms(high.p99)}`,
      ],
    };
  }
  // A blocked event loop delays every tool: even the fastest tool's P99 sits far above its P50.
  const fastest = Object.entries(last.tools)
    .filter(([, tool]) => tool.latencyMs && tool.calls >= 20)
    .sort((a, b) => a[1].latencyMs!.p50 - b[1].latencyMs!.p50)[0];
  const cpu = last.serverCpuPercent;
  if (fastest) {
    const [name, tool] = fastest;
    const { p50, p99 } = tool.latencyMs!;
    const lowP50 = first.tools[name]?.latencyMs?.p50 ?? p50;
    if (p99 >= p50 * 10 && p99 >= 100 && p50 <= Math.max(lowP50 * 3, 20)) {
      return {
        kind: 'event-loop-starvation',
        evidence: [
          `${name}: P99 ${ms(p99)} while P50 stays at ${ms(p50)} (${ms(lowP50)} at N=${first.concurrency}) at N=${last.concurrency}`,
          cpu === null ? 'server CPU unknown' : `server CPU ${cpu}% of a core`,
          ...serverLoopDelay(last),
        ],
      };
    }
  }
  // Latency that at least doubled, by a margin no network jitter explains.
  const grew = high.p99 > low.p99 * 2 && high.p99 - low.p99 >= Math.min(50, sloMs / 10);
  if (!grew) {
    return {
      kind: 'none-reached',
      evidence: [
        `P99 stayed between ${ms(Math.min(...sorted.map((level) => level.latencyMs!.p99)))} and ` +
          `${ms(Math.max(...sorted.map((level) => level.latencyMs!.p99)))} up to N=${last.concurrency}`,
      ],
    };
  }
  if (cpu !== null && cpu >= 80 && high.p95 >= high.p99 * 0.6) {
    return {
      kind: 'cpu-saturation',
      evidence: [
        `server CPU ${cpu}% of a core at N=${last.concurrency}`,
        `P95 and P99 climbed together: ${ms(high.p95)} and ${ms(high.p99)} (from ${ms(low.p95)} and ${ms(low.p99)})`,
      ],
    };
  }
  // One tool slows while the fastest stays fast and the CPU idles: calls queue for a limited resource (a
  // connection pool, a lock, a downstream) without failing yet. A blocked loop or a busy CPU slows all.
  const waiting = Object.entries(last.tools)
    .map(([name, tool]) => ({ name, high: tool.latencyMs, low: first.tools[name]?.latencyMs ?? null }))
    .filter((tool) => tool.high && tool.low && (last.tools[tool.name]?.calls ?? 0) >= 20)
    .sort((a, b) => b.high!.p99 / b.low!.p99 - a.high!.p99 / a.low!.p99)[0];
  const steady = fastest ? (first.tools[fastest[0]]?.latencyMs ?? null) : null;
  if (
    waiting &&
    fastest &&
    steady &&
    waiting.name !== fastest[0] &&
    waiting.high!.p99 >= waiting.low!.p99 * 3 &&
    fastest[1].latencyMs!.p99 <= Math.max(steady.p99 * 3, 50) &&
    (cpu === null || cpu < 50)
  ) {
    return {
      kind: 'pool-exhaustion',
      evidence: [
        `${waiting.name}: P99 ${ms(waiting.low!.p99)} at N=${first.concurrency} → ${ms(waiting.high!.p99)} at N=${last.concurrency}, while ${fastest[0]} stayed at ${ms(fastest[1].latencyMs!.p99)}`,
        `${cpu === null ? 'server CPU unknown' : `server CPU ${cpu}% of a core`}: calls wait for a limited resource (a pool, a lock, a downstream), not for CPU; no pool-full errors yet`,
      ],
    };
  }
  return {
    kind: 'unknown',
    evidence: [
      `P99 went from ${ms(low.p99)} at N=${first.concurrency} to ${ms(high.p99)} at N=${last.concurrency}, P50 from ${ms(low.p50)} to ${ms(high.p50)}`,
      cpu === null
        ? 'server CPU unknown: use --spawn, --pid or --server-metrics'
        : `server CPU ${cpu}% of a core`,
    ],
  };
}
