import { addHistogram, createHistogram, percentilesOf, recordMs } from '../source/metrics/histogram.js';
import type { BenchContext, Scenario } from './bench-context.js';
import { formatNumber, median, runsNote } from './figures.js';

const NAME = 'histogram-cost';
/** A rolling window's or a level's histogram of a saturating run: 40,000 calls between 2 and 100 ms. */
const WINDOW_CALLS = 40_000;
/** A worker's interval as the controller merges it: 250 calls. */
const INTERVAL_CALLS = 250;
const REPEATS = 2000;

/** Latencies spread log-uniformly over 2–100 ms, from a fixed seed: every run measures the same values. */
function latencies(count: number, seed: number): number[] {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => 2 * 50 ** random());
}

/** µs of CPU for one call of `work`, over REPEATS calls. */
function cpuMicros(work: (repeat: number) => void): number {
  const started = process.cpuUsage();
  for (let repeat = 0; repeat < REPEATS; repeat += 1) work(repeat);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / REPEATS;
}

/**
 * The controller's histogram work, in this process: the percentiles of a large histogram (each snapshot
 * computes them for the window, its tools and the level) and the merge of a worker's interval into one.
 */
export const histogramCost: Scenario = async (context: BenchContext) => {
  const percentiles: number[] = [];
  const merges: number[] = [];
  for (let run = 1; run <= context.runs; run += 1) {
    const window = createHistogram();
    for (const ms of latencies(WINDOW_CALLS, 7)) recordMs(window, ms);
    const intervals = Array.from({ length: 200 }, (_, index) => {
      const interval = createHistogram();
      for (const ms of latencies(INTERVAL_CALLS, 100 + index)) recordMs(interval, ms);
      return interval;
    });
    percentiles.push(cpuMicros(() => percentilesOf(window)));
    const total = createHistogram();
    merges.push(cpuMicros((repeat) => addHistogram(total, intervals[repeat % intervals.length]!)));
    context.progress(
      `${NAME}-${run}: percentiles ${formatNumber(percentiles.at(-1)!)} µs, merge ${formatNumber(merges.at(-1)!)} µs`,
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
  context.figure({
    scenario: NAME,
    text:
      `percentiles of a ${WINDOW_CALLS.toLocaleString('en')}-call histogram (2–100 ms) ` +
      `${formatNumber(median(percentiles))} µs of CPU; merging a ${INTERVAL_CALLS}-call interval into a total ` +
      `${formatNumber(median(merges))} µs` +
      runsNote(percentiles.length, context.runs),
    target: 'no target: the controller thread’s share of the CPU per call (issue 15)',
    met: true,
    reproduce: context.reproduce(NAME),
  });
};
