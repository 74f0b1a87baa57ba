import type { LevelSummary } from '../engine/levels.js';

/** One concurrency value's result: the P99 of its level (the latest level held at that N). */
export interface CapacityPoint {
  readonly concurrency: number;
  readonly p99Ms: number;
  readonly calls: number;
  readonly errors: number;
  /** The level's rolling P99 had settled (or, for the level being held, has settled so far). */
  readonly settled: boolean;
}

/** Calls a level needs before its P99 counts as a point. @default 20 */
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

/** A horizontal line at the points' mean: the latency a server gives before anything queues. */
function level(points: readonly CapacityPoint[]): Line {
  const mean = points.reduce((sum, point) => sum + point.p99Ms, 0) / points.length;
  return {
    slope: 0,
    intercept: mean,
    sse: points.reduce((sum, point) => sum + (point.p99Ms - mean) ** 2, 0),
  };
}

/**
 * The knee: where P99 stops being flat and starts climbing, by a two-segment (hockey-stick) fit. Every split
 * of the levels (at least two on each side) gets a horizontal line through the flat side's mean and a
 * least-squares line through the rising side; the split with the least total error wins, and the knee is
 * where the two lines meet. On a closed system past saturation,
 * response time rises linearly with N (R = N·D_max − Z), so this meeting point estimates the saturation
 * point N* = (S + Z) / D_max of operational analysis. Null unless the rise is at least twice as steep as the flat
 * side's own trend and P99 at least doubled.
 */
export function findKnee(points: readonly CapacityPoint[]): number | null {
  if (points.length < 4) return null;
  const ys = points.map((point) => point.p99Ms);
  if (Math.max(...ys) < Math.min(...ys) * 2) return null;
  let best: { knee: number; sse: number } | null = null;
  for (let split = 2; split <= points.length - 2; split += 1) {
    const flat = level(points.slice(0, split));
    const rising = fit(points.slice(split));
    const sse = flat.sse + rising.sse;
    // The flat side must really be flat: its own trend at most half as steep as the rise.
    const trend = fit(points.slice(0, split)).slope;
    if (rising.slope <= 0 || rising.slope <= Math.max(0, trend) * 2) continue;
    const meet = (flat.intercept - rising.intercept) / (rising.slope - flat.slope);
    const low = points[split - 1]!.concurrency;
    const high = points[split]!.concurrency;
    // Keep the meeting point between the last flat level and the first rising one.
    const knee = Math.min(Math.max(meet, low), high);
    if (!best || sse < best.sse) best = { knee, sse };
  }
  return best ? Math.round(best.knee) : null;
}

/** The session ceiling: the first N whose level P99 exceeds the SLO (pass completed levels: a hold, not a spike). */
export function findCeiling(points: readonly CapacityPoint[], sloMs: number): number | null {
  return points.find((point) => point.p99Ms > sloMs)?.concurrency ?? null;
}
