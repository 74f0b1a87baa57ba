import {
  addHistogram,
  createHistogram,
  percentilesOf,
  type LatencyHistogram,
  type Percentiles,
} from './histogram.js';

/*
 * Coordinated omission (open model). A generator that falls behind its arrival schedule starts calls late,
 * and a call timed from its actual start hides that wait. So each call is timed twice: from its actual
 * start (`latency`, uncorrected) and from its intended start (`latencyCorrected`), its session's scheduled
 * arrival shifted by the same lag, as wrk2 does. The lag of each arrival is kept too (`scheduleLag`).
 */

/** How late an arrival due at `intendedAt` started at `startedAt` (performance.now() ms); never below 0. */
export function scheduleLagMs(intendedAt: number, startedAt: number): number {
  return Math.max(0, startedAt - intendedAt);
}

/** Adds `source` into `target`, which is made on first need: the closed model never pays for it. */
export function addInto(
  target: LatencyHistogram | null,
  source: LatencyHistogram | null,
): LatencyHistogram | null {
  if (!source || source.totalCount === 0) return target;
  const sum = target ?? createHistogram();
  addHistogram(sum, source);
  return sum;
}

export function percentilesOrNull(histogram: LatencyHistogram | null): Percentiles | null {
  return histogram ? percentilesOf(histogram) : null;
}

/** The corrected P99 must exceed the uncorrected one by this share of it, and by at least `BEHIND_MIN_MS`. */
export const BEHIND_SHARE = 0.1;
/** @default 5 */
export const BEHIND_MIN_MS = 5;

/**
 * Whether the generator fell far enough behind its schedule for the corrected P99 to be the figure to
 * read: it exceeds the uncorrected P99 by 10% and by 5 ms at least (a timer firing a millisecond late is
 * not news).
 */
export function fellBehind(latency: Percentiles | null, corrected: Percentiles | null | undefined): boolean {
  if (!latency || !corrected) return false;
  return corrected.p99 - latency.p99 >= Math.max(BEHIND_MIN_MS, latency.p99 * BEHIND_SHARE);
}
