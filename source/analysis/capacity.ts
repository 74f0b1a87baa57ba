import type { LevelSummary } from '../engine/levels.js';

/** One concurrency value's result: the P99 of its level (the latest level held at that N). */
export interface CapacityPoint {
  readonly concurrency: number;
  readonly p99Ms: number;
  readonly calls: number;
  readonly errors: number;
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
    });
  }
  return [...byN.values()].sort((a, b) => a.concurrency - b.concurrency);
}

/**
 * The knee: where P99 starts growing faster than linearly, by Kneedle (Satopää et al., 2011) for an
 * increasing convex curve: normalise both axes to [0, 1] and take the point farthest below the
 * diagonal. Needs three points and a curve that really bends; otherwise null.
 */
export function findKnee(points: readonly CapacityPoint[]): number | null {
  if (points.length < 3) return null;
  const xs = points.map((point) => point.concurrency);
  const ys = points.map((point) => point.p99Ms);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  if (xMax === xMin || yMax <= yMin * 1.5) return null;
  let best = -Infinity;
  let knee: number | null = null;
  points.forEach((point, index) => {
    const x = (xs[index]! - xMin) / (xMax - xMin);
    const y = (ys[index]! - yMin) / (yMax - yMin);
    if (x - y > best) {
      best = x - y;
      knee = point.concurrency;
    }
  });
  return best >= 0.1 ? knee : null;
}

/** The session ceiling: the first N whose level P99 exceeds the SLO (pass completed levels: a hold, not a spike). */
export function findCeiling(points: readonly CapacityPoint[], sloMs: number): number | null {
  return points.find((point) => point.p99Ms > sloMs)?.concurrency ?? null;
}
