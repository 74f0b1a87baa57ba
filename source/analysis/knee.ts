import { findKnee, type CapacityPoint } from './capacity.js';

/** How the knee was found. */
export type KneeMethod = 'throughput' | 'p99-asymptotes';

/** The knee with its interval, its method, and in words why it is what it is (or why there is none). */
export interface KneeEstimate {
  readonly knee: number | null;
  /** Where N* can lie given the throughput's and the baseline's sampling error and the walk, or null. */
  readonly interval: readonly [number, number] | null;
  readonly method: KneeMethod | null;
  /** One sentence: how the knee was found, or why it is null. */
  readonly reason: string;
}

/**
 * A level is past the knee when it delivers at most this share of the calls it would without queueing:
 * X·(R₀ + Z)/N ≤ 0.85, that is, its mean latency plus think time grew by more than 18%. @default 0.85
 */
export const SATURATED_SHARE = 0.85;

const round1 = (value: number): number => Math.round(value * 10) / 10;

/**
 * The knee N* by operational analysis. The response-time law N = X·(R + Z) gives, with no queueing,
 * X = N/(R₀ + Z); past the bottleneck's saturation X stays at X_max = 1/D_max. The two lines meet at
 * N* = X_max·(R₀ + Z) = (D + Z)/D_max, whatever the pools, their number in series, or the service time's
 * distribution. R₀ is the mean latency at the lowest level, Z the think time the tool itself applied, X_max
 * the highest throughput of the levels past saturation. Without a think time (merged or old reports) the
 * knee falls back to where the P99 curve's two asymptotes meet (`findKnee`).
 */
export function estimateKnee(points: readonly CapacityPoint[], thinkMs: number | null): KneeEstimate {
  const usable = points.filter((point) => point.throughput > 0 && point.meanMs > 0);
  if (thinkMs === null || usable.length < 3) return p99Knee(points, thinkMs);
  const lowest = usable[0]!;
  const baselineMs = baselineLatency(usable);
  const cycleMs = baselineMs + thinkMs;
  const share = (point: CapacityPoint): number => (point.throughput * cycleMs) / 1000 / point.concurrency;
  const saturated = usable.slice(1).filter((point) => share(point) <= SATURATED_SHARE);
  const top = usable[usable.length - 1]!;
  if (saturated.length === 0) {
    const rose = top.p99Ms >= lowest.p99Ms * 1.5;
    return {
      knee: null,
      interval: null,
      method: null,
      reason: rose
        ? `throughput still grew with N up to N=${top.concurrency} (${Math.round(share(top) * 100)}% of the calls an unqueued server would answer): walk further`
        : `P99 never rose (${Math.round(lowest.p99Ms)} → ${Math.round(top.p99Ms)} ms up to N=${top.concurrency}) and throughput grew with N`,
    };
  }
  const peak = saturated.reduce((best, point) => (point.throughput > best.throughput ? point : best));
  const estimate = (peak.throughput * cycleMs) / 1000;
  if (lowest.concurrency > 1 && estimate <= lowest.concurrency * 1.1) {
    return {
      knee: null,
      interval: null,
      method: null,
      reason: `already saturated at the lowest level N=${lowest.concurrency}: start the walk lower`,
    };
  }
  // Sampling error of X_max and R₀ (counts are near Poisson; latency's spread taken as its mean), two sigma.
  const sigma = Math.sqrt(1 / peak.calls + (baselineMs / cycleMs) ** 2 / Math.max(1, baselineCalls(usable)));
  // X may still be rising towards 1/D_max: by how much it rose between the last two saturated levels, or a
  // flat 15% when only one level is past the knee.
  const later = saturated.filter((point) => point.concurrency > peak.concurrency);
  const earlier = saturated.filter((point) => point.concurrency < peak.concurrency);
  const previous = earlier[earlier.length - 1];
  const climb =
    saturated.length === 1
      ? 0.15
      : later.length > 0 || !previous
        ? 0
        : Math.max(0, (peak.throughput - previous.throughput) / peak.throughput);
  const low = Math.max(1, Math.floor(estimate * (1 - 2 * sigma)));
  const high = Math.ceil(estimate * (1 + 2 * sigma + climb));
  const knee = Math.max(1, Math.round(estimate));
  return {
    knee,
    interval: [Math.min(low, knee), Math.max(high, knee)],
    method: 'throughput',
    reason:
      `X_max ${round1(peak.throughput)} calls/s (N=${peak.concurrency}) × (R₀ ${round1(baselineMs)} ms + Z ${round1(thinkMs)} ms)` +
      ` = ${round1(estimate)}; ${saturated.length} level${saturated.length === 1 ? '' : 's'} past it`,
  };
}

/** The lowest levels whose mean latency agrees with the first one's, within sampling error and 5%. */
function baselineLevels(points: readonly CapacityPoint[]): CapacityPoint[] {
  const flat = [points[0]!];
  let sum = points[0]!.meanMs * points[0]!.calls;
  let calls = points[0]!.calls;
  for (const point of points.slice(1)) {
    const base = sum / calls;
    // A latency's spread is about its mean (exponential service): the standard error of a mean of n calls.
    if (point.meanMs - base > base * (0.05 + 2.5 * Math.sqrt(1 / calls + 1 / point.calls))) break;
    flat.push(point);
    sum += point.meanMs * point.calls;
    calls += point.calls;
  }
  return flat;
}

/**
 * R₀, the mean latency with nothing queued: the call-weighted mean over the flat levels at the bottom of the
 * walk. One level of a few dozen calls is too noisy when think time is short; the flat prefix pools them.
 */
function baselineLatency(points: readonly CapacityPoint[]): number {
  const flat = baselineLevels(points);
  return flat.reduce((sum, point) => sum + point.meanMs * point.calls, 0) / baselineCalls(points);
}

function baselineCalls(points: readonly CapacityPoint[]): number {
  return baselineLevels(points).reduce((sum, point) => sum + point.calls, 0);
}

/** The P99-shape knee, for runs without a think time or throughput. */
function p99Knee(points: readonly CapacityPoint[], thinkMs: number | null): KneeEstimate {
  const knee = findKnee(points);
  if (knee === null) {
    const why =
      points.length < 4
        ? `fewer than four levels measured (${points.length})`
        : 'P99 never rose to twice its flat level, or too few levels past the rise';
    return { knee, interval: null, method: null, reason: why };
  }
  // The knee lies between the visited levels around it: the walk's resolution is its interval.
  const below = points.filter((point) => point.concurrency <= knee);
  const above = points.filter((point) => point.concurrency >= knee);
  return {
    knee,
    interval: [below[below.length - 1]?.concurrency ?? knee, above[0]?.concurrency ?? knee],
    method: 'p99-asymptotes',
    reason: `where the P99 curve's flat and rising asymptotes meet${thinkMs === null ? ' (think time unknown)' : ''}`,
  };
}
