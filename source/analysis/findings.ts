import { CLIFF_ERROR_RATE, type LevelSummary } from '../engine/levels.js';
import type { EngineSnapshot } from '../engine/snapshot.js';
import type { ErrorCount } from '../metrics/recorder.js';
import { diagnose, type Bottleneck } from './bottleneck.js';
import { capacityPoints, findCeiling, findKnee } from './capacity.js';
import { memoryTrend, type MemoryTrend } from './memory.js';

/** What the levels say about capacity, as the report's `analysis` carries it. */
export interface Findings {
  /** Where P99 stops being flat and starts climbing (two-segment piecewise-linear fit), or null. */
  readonly kneeConcurrency: number | null;
  /** The first N whose P99 exceeded the SLO over a completed hold, or null. */
  readonly ceilingConcurrency: number | null;
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

function recommend(
  knee: number | null,
  ceiling: number | null,
  cliffAt: number | null,
  lastGood: number | null,
  sloMs: number,
): { at: number | null; text: string } {
  const limit = [ceiling, cliffAt].filter((value): value is number => value !== null);
  const firstBad = limit.length ? Math.min(...limit) : null;
  const bound =
    firstBad === null
      ? `no level broke the ${sloMs} ms P99 SLO or reached 1% errors`
      : `P99 breaks the ${sloMs} ms SLO or errors reach 1% at ${firstBad} sessions`;
  if (knee !== null && (firstBad === null || knee < firstBad)) {
    return {
      at: knee,
      text: `Scale out at ${knee} concurrent sessions per replica (the knee, where P99 starts to climb); ${bound}.`,
    };
  }
  if (lastGood !== null) {
    return {
      at: lastGood,
      text: `Scale out at ${lastGood} concurrent sessions per replica (the highest level measured within the SLO); ${bound}.`,
    };
  }
  return { at: null, text: `Not enough completed levels to recommend a scaling trigger; ${bound}.` };
}

/** Knee, ceiling, cliff and the scaling recommendation from the run's levels. */
/** What the analysis reads besides the levels. */
export interface RunContext {
  readonly errorsByKind?: Readonly<Record<string, ErrorCount>>;
  readonly workers?: number;
  readonly independence?: { readonly tool: string } | undefined;
}

export function analyse(levels: readonly LevelSummary[], sloMs: number, context: RunContext = {}): Findings {
  const { errorsByKind = {}, workers = 1, independence } = context;
  const leaks = errorsByKind['independence'];
  const points = capacityPoints(levels);
  const completed = capacityPoints(levels, { completedOnly: true });
  const knee = findKnee(points);
  const ceiling = findCeiling(completed, sloMs);
  const cliffAt = cliff(levels);
  const good = completed.filter(
    (point) => point.p99Ms <= sloMs && (cliffAt === null || point.concurrency < cliffAt),
  );
  const lastGood = good.length ? good[good.length - 1]!.concurrency : null;
  const { at, text } = recommend(knee, ceiling, cliffAt, lastGood, sloMs);
  return {
    kneeConcurrency: knee,
    ceilingConcurrency: ceiling,
    cliffConcurrency: cliffAt,
    recommendedScaleAt: at,
    recommendation: text,
    bottleneck: diagnose(levels, errorsByKind, sloMs, workers),
    memory: memoryTrend(levels),
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
