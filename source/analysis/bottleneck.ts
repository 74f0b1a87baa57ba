import type { LevelSummary } from '../engine/levels.js';
import type { ErrorCount } from '../metrics/recorder.js';
import { signatures } from './signatures.js';
import { poolGaugeEvidence } from '../analysis/pool-gauge.js';

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
  /** Other signatures seen at the same (earliest) level, or none. */
  readonly alsoConsistentWith?: readonly BottleneckKind[];
}

/** Messages servers give when a pool or queue is full. */
const POOL_MESSAGE =
  /pool (is )?(full|exhausted)|too many (connections|clients)|connection limit|queue (is )?full/i;

export const ms = (value: number): string => `${Math.round(value)} ms`;

/**
 * Reads the bottleneck's signature from the levels: pool errors name themselves; a saturated generator makes
 * every other figure suspect; then, level by level in increasing N, the first level where memory, event-loop,
 * CPU or pool signatures appear against the lowest level (see `signatures`).
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
  // The earliest level where a signature appears names the bottleneck: later levels see its consequences
  // (a loop blocked long enough also shows a busy CPU); two signatures at that level are both reported.
  for (const level of sorted) {
    const found = signatures(first, level, sloMs);
    if (found.length === 0) continue;
    const [main, ...others] = found;
    return {
      kind: main!.kind,
      evidence: [
        ...main!.evidence,
        ...others.map((other) => `also consistent with ${other.kind}: ${other.evidence[0]}`),
      ],
      alsoConsistentWith: others.map((other) => other.kind),
    };
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
  const cpu = last.serverCpuPercent;
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
