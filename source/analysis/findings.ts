import { CLIFF_ERROR_RATE, type LevelSummary } from '../engine/levels.js';
import { cycleOf, type CallCycle } from '../engine/call-cycle.js';
import type { EngineSnapshot } from '../engine/snapshot.js';
import type { ErrorCount } from '../metrics/recorder.js';
import { diagnose, type Bottleneck } from './bottleneck.js';
import {
  capacityPoints,
  ceilingInterval,
  findCeiling,
  MIN_CALLS_FOR_P99,
  type CapacityPoint,
} from './capacity.js';
import { estimateKnee, type KneeEstimate, type KneeMethod } from './knee.js';
import { levelCycle, levelLaws, thinkPerCall, type LevelLaw } from './littles-law.js';
import { memoryTrend, type MemoryTrend } from './memory.js';

/** What the levels say about capacity, as the report's `analysis` carries it. */
export interface Findings {
  /** The knee N*: where throughput stops growing with N and P99 starts climbing, or null. */
  readonly kneeConcurrency: number | null;
  /** Where the knee can lie: [low, high] sessions, or null with no knee. */
  readonly kneeInterval: readonly [number, number] | null;
  /** How the knee was found: `throughput` (X_max·(R₀ + Z)) or `p99-asymptotes`; null with no knee. */
  readonly kneeMethod: KneeMethod | null;
  /** How the knee was found, with its figures, or why there is none. */
  readonly kneeReason: string;
  /** The first N whose P99 (over at least `minCallsForP99` calls) exceeded the SLO over a completed hold, or null. */
  readonly ceilingConcurrency: number | null;
  /** Where the ceiling can lie: above the highest level within the SLO below it, up to it; or null. */
  readonly ceilingInterval: readonly [number, number] | null;
  /** Calls a level needs before its P99 counts toward the ceiling and the advice. */
  readonly minCallsForP99: number;
  /** Completed levels whose P99 came from fewer than `minCallsForP99` calls: shown, not counted. */
  readonly fewCallLevels: readonly number[];
  /** Per level: throughput X, mean latency R and the N = X·(R + Z) they imply, against the N set. */
  readonly littlesLaw: readonly LevelLaw[];
  /** The first N whose errors (timeouts included) reached 1% of its calls, or null. */
  readonly cliffConcurrency: number | null;
  /** Where to scale out: the knee, or the last level under the SLO when there is no knee. */
  readonly recommendedScaleAt: number | null;
  /** The same, in words for a capacity plan. */
  readonly recommendation: string;
  /** What ran out first, with the figures that say so. */
  readonly bottleneck: Bottleneck;
  /** Server RSS per session and over time, with the soak verdict. */
  readonly memory: MemoryTrend;
  /** Completed levels whose P99 was still moving when their hold ended: their points are less certain. */
  readonly unsettledLevels: readonly number[];
  /** The nonce check (`--check-independence`), or null when it was not asked for. */
  readonly independence: {
    readonly tool: string;
    readonly violations: number;
    readonly verdict: 'sessions independent' | 'state leak suspected';
    readonly lastMessage: string | null;
  } | null;
}

function cliff(levels: readonly LevelSummary[]): number | null {
  const byN = new Map<number, LevelSummary>();
  for (const level of levels)
    if (level.endedAt !== null && level.calls > 0) byN.set(level.concurrency, level);
  const sorted = [...byN.values()].sort((a, b) => a.concurrency - b.concurrency);
  return sorted.find((level) => level.errors / level.calls >= CLIFF_ERROR_RATE)?.concurrency ?? null;
}

/** The advice, and the figures it is drawn from. */
interface Advice {
  readonly knee: KneeEstimate;
  readonly ceiling: number | null;
  readonly ceilingRange: readonly [number, number] | null;
  readonly cliffAt: number | null;
  readonly lastGood: number | null;
  readonly points: readonly CapacityPoint[];
  readonly sloMs: number;
}

const range = (interval: readonly [number, number] | null): string =>
  interval && interval[0] !== interval[1] ? `, ${interval[0]}–${interval[1]}` : '';

/**
 * "Scale out at N" only when a knee, a ceiling or a cliff was found: otherwise what was learned (the highest
 * N measured and its P99) and what to try next.
 */
function recommend(advice: Advice): { at: number | null; text: string } {
  const { knee, ceiling, ceilingRange, cliffAt, lastGood, points, sloMs } = advice;
  const limit = [ceiling, cliffAt].filter((value): value is number => value !== null);
  const firstBad = limit.length ? Math.min(...limit) : null;
  const bound =
    firstBad === null
      ? `no level broke the ${sloMs} ms P99 SLO or reached 1% errors`
      : `P99 breaks the ${sloMs} ms SLO or errors reach 1% at ${firstBad} sessions${firstBad === ceiling ? range(ceilingRange) : ''}`;
  if (knee.knee !== null && (firstBad === null || knee.knee < firstBad)) {
    return {
      at: knee.knee,
      text: `Scale out at ${knee.knee} concurrent sessions per replica (the knee${range(knee.interval)}, where P99 starts to climb); ${bound}.`,
    };
  }
  if (firstBad !== null && lastGood !== null && lastGood < firstBad) {
    return {
      at: lastGood,
      text: `Scale out at ${lastGood} concurrent sessions per replica (the highest level measured within the SLO); ${bound}.`,
    };
  }
  const counted = points.filter((point) => point.enoughCalls);
  const top = counted[counted.length - 1];
  if (firstBad !== null)
    return { at: null, text: `${bound}, at the lowest level with enough calls: start the walk lower.` };
  const uncounted = points.filter(
    (point) => !point.enoughCalls && point.concurrency > (top?.concurrency ?? 0),
  );
  const few = uncounted.length
    ? `N=${uncounted.map((point) => `${point.concurrency} (${point.calls} calls)`).join(', ')} had under the ${MIN_CALLS_FOR_P99} calls a P99 needs`
    : '';
  if (!top) {
    return {
      at: null,
      text: `No limit found yet: ${few || 'no level completed'}; hold the levels longer.`,
    };
  }
  return {
    at: null,
    text: `No limit found up to N = ${top.concurrency}; P99 ${formatMs(top.p99Ms)} ms (SLO ${sloMs} ms)${few ? `; ${few}` : ''}; ${knee.reason}: walk further (--find-ceiling, or --steps past ${top.concurrency * 2}).`,
  };
}

const formatMs = (value: number): string => String(Math.round(value));

/** What the analysis reads besides the levels. */
export interface RunContext {
  readonly errorsByKind?: Readonly<Record<string, ErrorCount>>;
  readonly workers?: number;
  readonly independence?: { readonly tool: string } | undefined;
  /** Think time and calls per session: without them the knee falls back to the P99 curve's shape. */
  readonly cycle?: CallCycle | undefined;
  /** The server's RSS last sampled, bytes: known even when no level was held past its warm-up. */
  readonly serverRssBytes?: number | null;
}

/** Knee, ceiling, cliff and the scaling recommendation from the run's levels. */
export function analyse(levels: readonly LevelSummary[], sloMs: number, context: RunContext = {}): Findings {
  const { errorsByKind = {}, workers = 1, independence, cycle } = context;
  const leaks = errorsByKind['independence'];
  const points = capacityPoints(levels);
  const completed = capacityPoints(levels, { completedOnly: true });
  const first = levels.find((level) => level.latencyMs && level.calls > 0);
  // Z per call as the sessions lived it (think time, and each session's initialize and close).
  const firstCycle = first ? levelCycle(first, cycle) : null;
  const knee = estimateKnee(points, first && firstCycle ? thinkPerCall(first, firstCycle) : null);
  const ceiling = findCeiling(completed, sloMs);
  const cliffAt = cliff(levels);
  const good = completed.filter(
    (point) => point.enoughCalls && point.p99Ms <= sloMs && (cliffAt === null || point.concurrency < cliffAt),
  );
  const lastGood = good.length ? good[good.length - 1]!.concurrency : null;
  const ceilingRange = ceilingInterval(completed, ceiling, sloMs);
  const { at, text } = recommend({
    knee,
    ceiling,
    ceilingRange,
    cliffAt,
    lastGood,
    points: completed,
    sloMs,
  });
  return {
    kneeConcurrency: knee.knee,
    kneeInterval: knee.interval,
    kneeMethod: knee.method,
    kneeReason: knee.reason,
    ceilingConcurrency: ceiling,
    ceilingInterval: ceilingRange,
    minCallsForP99: MIN_CALLS_FOR_P99,
    fewCallLevels: capacityPoints(levels, { completedOnly: true, minCalls: 1 })
      .filter((point) => !point.enoughCalls)
      .map((point) => point.concurrency),
    littlesLaw: levelLaws(levels, cycle),
    cliffConcurrency: cliffAt,
    recommendedScaleAt: at,
    recommendation: text,
    bottleneck: diagnose(levels, errorsByKind, sloMs, workers),
    memory: memoryTrend(levels, context.serverRssBytes ?? null),
    // Completed levels with a P99 to speak of (the chart's points): one never measured is not "moving".
    unsettledLevels: completed.filter((point) => !point.settled).map((point) => point.concurrency),
    independence: independence
      ? {
          tool: independence.tool,
          violations: leaks?.count ?? 0,
          verdict: leaks ? 'state leak suspected' : 'sessions independent',
          lastMessage: leaks?.lastMessage ?? null,
        }
      : null,
  };
}

/** The findings for a run as its snapshot stands: the one way the summary, the screen and the report call it. */
export function analyseSnapshot(snapshot: EngineSnapshot): Findings {
  return analyse(snapshot.levels, snapshot.workload.sloMs, {
    errorsByKind: snapshot.errorsByKind,
    workers: snapshot.generator.workers,
    independence: snapshot.workload.independence,
    cycle: cycleOf(snapshot.workload),
    serverRssBytes: snapshot.server?.rssBytes ?? null,
  });
}

/** The steady-state finding in words, or null when every completed level settled. */
export function describeUnsettled(levels: readonly number[]): string | null {
  return levels.length
    ? `P99 still moving at the end of N=${levels.join(', ')}: hold those levels longer`
    : null;
}

/** The independence finding in words, or null when `--check-independence` was not given. */
export function describeIndependence(independence: Findings['independence']): string | null {
  return independence
    ? `${independence.verdict} (${independence.tool}: ${independence.violations} answers carried another session's nonce)`
    : null;
}
