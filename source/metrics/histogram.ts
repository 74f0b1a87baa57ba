import { createRequire } from 'node:module';
import type { Histogram } from 'hdr-histogram-js';

/** HdrHistogram of latencies recorded in microseconds. */
export type LatencyHistogram = Histogram;

// The package's index loads its WebAssembly build and the compressed encoding (about 90 ms of CPU in each
// thread); a histogram needs only the 32-bit JS class, and the encoding loads on its first use.
const requireHere = createRequire(import.meta.url);
const { default: Int32Histogram } = requireHere('hdr-histogram-js/dist/Int32Histogram.js') as {
  default: new (lowest: number, highest: number, digits: number) => Histogram;
};
type Encoding = Pick<
  typeof import('hdr-histogram-js'),
  'encodeIntoCompressedBase64' | 'decodeFromCompressedBase64'
>;
let encoding: Encoding | null = null;
const loadEncoding = (): Encoding =>
  (encoding ??= requireHere('hdr-histogram-js/dist/encoding.js') as Encoding);

/**
 * Loads the encoding now, in a thread that will encode (the controller's levels and report): a run that
 * uses up its file descriptors could not open the module's files when it ends.
 */
export function preloadEncoding(): void {
  loadEncoding();
}

/** Latencies from 1 µs to 1 hour at 3 significant digits. */
export function createHistogram(): LatencyHistogram {
  const histogram = new Int32Histogram(1, 3_600_000_000, 3);
  // As the package's `build()` leaves it: adding a decoded histogram of a wider range grows this one.
  histogram.autoResize = true;
  return histogram;
}

/** Records a latency given in milliseconds (fractions kept to the microsecond). */
export function recordMs(histogram: LatencyHistogram, ms: number): void {
  histogram.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000))));
}

/** Tool-call or initialize latency, in milliseconds. */
export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

const round = (us: number): number => Math.round(us) / 1000;

/** The JS histogram's bucket array, which hdr-histogram-js's typings leave out of `Histogram`. */
interface Buckets {
  readonly countsArrayLength: number;
  readonly minNonZeroValue: number;
  readonly lowestDiscernibleValue: number;
  readonly numberOfSignificantValueDigits: number;
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
  medianEquivalentValue(value: number): number;
}

const buckets = (histogram: LatencyHistogram): Buckets => histogram as unknown as Buckets;

/**
 * Each bucket's value and median equivalent value in the one layout every histogram here has
 * (createHistogram's: 1 µs, 3 digits), computed once per bucket and process: the package computes them
 * through four calls each time, which made the controller's percentiles and merges most of its histogram
 * work (1.4 ms for a 40,000-call histogram's percentiles). NaN: not computed yet.
 */
const layout: { value: Float64Array; median: Float64Array } = {
  value: new Float64Array(0),
  median: new Float64Array(0),
};

const common = (view: Buckets): boolean =>
  view.lowestDiscernibleValue === 1 && view.numberOfSignificantValueDigits === 3;

/** Whether `index`'s value and median are in the table (filled now if need be): `view` has the common layout. */
function inTable(view: Buckets, index: number): boolean {
  if (!common(view)) return false;
  if (index >= layout.value.length) growLayout(view.countsArrayLength);
  if (Number.isNaN(layout.value[index]!)) {
    const value = view.valueFromIndex(index);
    layout.value[index] = value;
    layout.median[index] = view.medianEquivalentValue(value);
  }
  return true;
}

/** `index`'s value (`valueFromIndex`). */
const valueAt = (view: Buckets, index: number): number =>
  inTable(view, index) ? layout.value[index]! : view.valueFromIndex(index);

/** `index`'s median equivalent value (`medianEquivalentValue`). */
const medianAt = (view: Buckets, index: number): number =>
  inTable(view, index) ? layout.median[index]! : view.medianEquivalentValue(view.valueFromIndex(index));

function growLayout(length: number): void {
  const grow = (old: Float64Array): Float64Array => {
    const table = new Float64Array(Math.max(length, old.length)).fill(Number.NaN);
    table.set(old);
    return table;
  };
  layout.value = grow(layout.value);
  layout.median = grow(layout.median);
}

const PERCENTILES = [50, 90, 95, 99, 99.9, 100] as const;
const ulp = (x: number): number => 2 ** (Math.floor(Math.log2(x)) - 52);

/**
 * The same figures as `getValueAtPercentile` and `mean`, in one pass over the buckets: those walk the
 * whole array once per percentile, and `mean` through an iterator, which made the snapshot the
 * controller's main cost.
 */
export function percentilesOf(histogram: LatencyHistogram): Percentiles | null {
  const total = histogram.totalCount;
  if (total === 0) return null;
  const view = buckets(histogram);
  const wanted = PERCENTILES.map((percentile) => {
    const count = (percentile / 100) * total;
    return Math.max(Math.ceil(count - ulp(count)), 1);
  });
  const { indexes, counts } = nonEmpty(view, total);
  const values: number[] = [];
  let seen = 0;
  let sum = 0;
  for (let at = 0; at < indexes.length; at += 1) {
    const count = counts[at]!;
    seen += count;
    const value = valueAt(view, indexes[at]!);
    sum += medianAt(view, indexes[at]!) * count;
    while (values.length < wanted.length && seen >= wanted[values.length]!) {
      values.push(view.highestEquivalentValue(value));
    }
  }
  const [p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0] = values;
  return {
    count: total,
    p50: round(p50),
    p90: round(p90),
    p95: round(p95),
    p99: round(p99),
    p999: round(p999),
    max: round(max),
    mean: round(sum / seen),
  };
}

/** A histogram as the buckets that hold counts: what a worker posts to the controller each tick. */
export interface SparseHistogram {
  readonly indexes: Uint32Array;
  readonly counts: Float64Array;
}

/** Non-empty buckets only: a few hundred numbers instead of a compressed copy of ~23,000 buckets. */
export function toSparse(histogram: LatencyHistogram): SparseHistogram | null {
  if (histogram.totalCount === 0) return null;
  const { indexes, counts } = nonEmpty(buckets(histogram), histogram.totalCount);
  return { indexes: Uint32Array.from(indexes), counts: Float64Array.from(counts) };
}

/**
 * The non-empty buckets, from the bucket of the lowest value recorded rather than from 1 µs: most of the
 * array below it is empty, and a walk over all of it (for each percentile figure, sparse copy and merge)
 * was hot enough for the optimizing compiler to spend ~0.2 s of CPU on it in every short run. Should the
 * histogram's minimum ever be stale, that walk misses counts: then from the start.
 */
function nonEmpty(view: Buckets, total: number): { indexes: number[]; counts: number[]; seen: number } {
  const min = view.minNonZeroValue;
  const first = min > 0 && min < Number.MAX_SAFE_INTEGER ? Math.max(0, view.countsArrayIndex(min)) : 0;
  const from = (start: number) => {
    const indexes: number[] = [];
    const counts: number[] = [];
    let seen = 0;
    for (let index = start; index < view.countsArrayLength && seen < total; index += 1) {
      const count = view.getCountAtIndex(index);
      if (count === 0) continue;
      indexes.push(index);
      counts.push(count);
      seen += count;
    }
    return { indexes, counts, seen };
  };
  const walked = from(first);
  return walked.seen < total && first > 0 ? from(0) : walked;
}

/** Records each (bucket index, count) of `view`'s layout into `target`. */
function recordBuckets(
  target: LatencyHistogram,
  view: Buckets,
  indexes: ArrayLike<number>,
  counts: ArrayLike<number>,
): void {
  for (let at = 0; at < indexes.length; at += 1) {
    target.recordValueWithCount(valueAt(view, indexes[at]!), counts[at]!);
  }
}

export function fromSparse(sparse: SparseHistogram | null): LatencyHistogram {
  const histogram = createHistogram();
  if (sparse) recordBuckets(histogram, buckets(histogram), sparse.indexes, sparse.counts);
  return histogram;
}

/**
 * Adds `source`'s counts into `target`, bucket by non-empty bucket. The package's own `add` walks all
 * ~23,000 buckets of `source` for each interval merged (into the rolling window, its total, each tool and
 * the level): most of the controller's histogram work, for intervals that fill a few dozen buckets.
 */
export function addHistogram(target: LatencyHistogram, source: LatencyHistogram): void {
  if (source.totalCount === 0) return;
  const view = buckets(source);
  const { indexes, counts } = nonEmpty(view, source.totalCount);
  recordBuckets(target, view, indexes, counts);
}

/** The standard compressed base64 encoding (readable by every HdrHistogram implementation). */
export function encodeHistogram(histogram: LatencyHistogram): string {
  return loadEncoding().encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  const decoded = loadEncoding().decodeFromCompressedBase64(encoded, 32, false);
  const histogram = createHistogram();
  histogram.add(decoded);
  decoded.destroy();
  return histogram;
}

/** Calls `visit` once per non-empty bucket with its median value in ms and its count (for exporters). */
export function forEachBucket(histogram: LatencyHistogram, visit: (ms: number, count: number) => void): void {
  if (histogram.totalCount === 0) return;
  const view = buckets(histogram);
  const { indexes, counts } = nonEmpty(view, histogram.totalCount);
  for (let at = 0; at < indexes.length; at += 1) {
    visit(medianAt(view, indexes[at]!) / 1000, counts[at]!);
  }
}
