import { MIN_CALLS_FOR_P99, type LevelSummary } from '../engine/levels.js';
import { median } from '../metrics/median.js';

/** One concurrency value's result: the P99 of its level (the latest level held at that N). */
export interface CapacityPoint {
  readonly concurrency: number;
  readonly p99Ms: number;
  readonly calls: number;
  readonly errors: number;
  /** The level's rolling P99 had settled (or, for the level being held, has settled so far). */
  readonly settled: boolean;
  /** Mean tool-call latency, ms (the R of the response-time law). */
  readonly meanMs: number;
  /** Tool calls completed per second (the X of the response-time law). */
  readonly throughput: number;
  /** The level had at least `MIN_CALLS_FOR_P99` calls: its P99 counts toward the ceiling and the advice. */
  readonly enoughCalls: boolean;
}

export { MIN_CALLS_FOR_P99 };

/** Calls a level needs before it is a point at all (its mean and throughput, for the knee). @default 20 */
export const MIN_CALLS_PER_POINT = 20;

/** One point per concurrency visited, in increasing N; later visits replace earlier ones. */
export function capacityPoints(
  levels: readonly LevelSummary[],
  options: { readonly minCalls?: number; readonly completedOnly?: boolean } = {},
): CapacityPoint[] {
  const { minCalls = MIN_CALLS_PER_POINT, completedOnly = false } = options;
  const byN = new Map<number, CapacityPoint>();
  for (const level of levels) {
    if (!level.latencyMs || level.latencyMs.count < minCalls || level.concurrency === 0) continue;
    if (completedOnly && level.endedAt === null) continue;
    byN.set(level.concurrency, {
      concurrency: level.concurrency,
      p99Ms: level.latencyMs.p99,
      calls: level.calls,
      errors: level.errors,
      settled: level.settled,
      meanMs: level.latencyMs.mean,
      throughput: level.throughput,
      enoughCalls: level.latencyMs.count >= MIN_CALLS_FOR_P99,
    });
  }
  return [...byN.values()].sort((a, b) => a.concurrency - b.concurrency);
}

interface Line {
  readonly slope: number;
  readonly intercept: number;
  readonly sse: number;
}

/** Least-squares line through points. */
function fit(points: readonly CapacityPoint[]): Line {
  const count = points.length;
  const meanX = points.reduce((sum, point) => sum + point.concurrency, 0) / count;
  const meanY = points.reduce((sum, point) => sum + point.p99Ms, 0) / count;
  let sxy = 0;
  let sxx = 0;
  for (const point of points) {
    sxy += (point.concurrency - meanX) * (point.p99Ms - meanY);
    sxx += (point.concurrency - meanX) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = meanY - slope * meanX;
  const sse = points.reduce(
    (sum, point) => sum + (point.p99Ms - (intercept + slope * point.concurrency)) ** 2,
    0,
  );
  return { slope, intercept, sse };
}

/** A level counts as risen (past the bend, on the rising asymptote) when its P99 is this many times flat. */
const RISEN = 2;

/**
 * The knee: where P99 stops being flat and starts climbing, as operational analysis draws it: the meeting
 * point of two asymptotes. The flat one is the median P99 of the levels before the rise (the latency of a
 * server with nothing queued); the rising one is a least-squares line through the levels at the top of
 * the walk whose P99 is more than twice that (a closed system past saturation: R = N·D_max − Z, one more
 * session adds D_max). The levels in between, where queues start to form and P99 bends, are left out of
 * the line, so the meeting point estimates N* = (S + Z) / D_max without being pulled down by the bend.
 * Null with fewer than four levels, two of them flat and two risen, unless P99 at least doubled and the rise
 * is more than twice as steep as the flat levels' own trend.
 */
export function findKnee(points: readonly CapacityPoint[]): number | null {
  if (points.length < 4) return null;
  const ys = points.map((point) => point.p99Ms);
  if (Math.max(...ys) < Math.min(...ys) * 2) return null;
  // Where flat is, judged from the lower half of the walk; then the risen levels are those at the top of
  // the walk that all stand clear of it.
  const baseline = median(ys.slice(0, Math.max(2, points.length >> 1)));
  let first = points.length;
  while (first > 0 && points[first - 1]!.p99Ms > baseline * RISEN) first -= 1;
  const flatPoints = points.slice(0, first);
  const risen = points.slice(first);
  if (flatPoints.length < 2 || risen.length < 2) return null;
  const flat = median(flatPoints.map((point) => point.p99Ms));
  const rising = fit(risen);
  if (rising.slope <= 0 || rising.slope <= Math.max(0, fit(flatPoints).slope) * 2) return null;
  const meet = (flat - rising.intercept) / rising.slope;
  // Not before the first level, nor past the first level that had clearly risen.
  const knee = Math.min(Math.max(meet, points[0]!.concurrency), risen[0]!.concurrency);
  return Math.round(knee);
}

/** The session ceiling: the first N whose level P99 exceeds the SLO (pass completed levels: a hold, not a spike). */
export function findCeiling(points: readonly CapacityPoint[], sloMs: number): number | null {
  return points.find((point) => point.enoughCalls && point.p99Ms > sloMs)?.concurrency ?? null;
}

/**
 * Where the ceiling can lie given the walk: above the highest level below it that held the SLO with enough
 * calls, up to the ceiling itself. The walk's resolution is the ceiling's uncertainty: the P99 of the levels
 * that bracket it counts only with `MIN_CALLS_FOR_P99` calls.
 */
export function ceilingInterval(
  points: readonly CapacityPoint[],
  ceiling: number | null,
  sloMs: number,
): readonly [number, number] | null {
  if (ceiling === null) return null;
  const below = points.filter(
    (point) => point.enoughCalls && point.concurrency < ceiling && point.p99Ms <= sloMs,
  );
  const good = below.length ? below[below.length - 1]!.concurrency : 0;
  return [good + 1, ceiling];
}
