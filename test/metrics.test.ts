import assert from 'node:assert/strict';
import { test } from 'node:test';
import hdr from 'hdr-histogram-js';
import { Level } from '../source/engine/levels.js';
import {
  addHistogram,
  createHistogram,
  decodeHistogram,
  percentilesOf,
  recordMs,
  type LatencyHistogram,
} from '../source/metrics/histogram.js';
import { decodeInterval, encodeInterval, IntervalRecorder } from '../source/metrics/recorder.js';
import { RollingWindow } from '../source/metrics/rolling-window.js';

function intervalOf(latencies: readonly number[], tool = 'echo') {
  const recorder = new IntervalRecorder();
  for (const ms of latencies) recorder.recordCall(tool, ms);
  return recorder.drain();
}

test('percentiles of known latencies, through the worker encoding', () => {
  const latencies = Array.from({ length: 1000 }, (_, index) => index + 1); // 1..1000 ms
  const interval = decodeInterval(encodeInterval(intervalOf(latencies)));
  const window = new RollingWindow(10, 0);
  window.add(interval, 1000);
  const figures = window.figures(1000);
  const latency = figures.latencyMs!;
  assert.equal(latency.count, 1000);
  assert.ok(Math.abs(latency.p50 - 500) <= 0.5, `p50 ${latency.p50}`);
  assert.ok(Math.abs(latency.p99 - 990) <= 1, `p99 ${latency.p99}`);
  assert.ok(Math.abs(latency.max - 1000) <= 1, `max ${latency.max}`);
  assert.ok(Math.abs(latency.mean - 500.5) <= 0.5, `mean ${latency.mean}`);
  assert.equal(figures.tools[0]?.name, 'echo');
});

test('the rolling window forgets seconds older than its span', () => {
  const window = new RollingWindow(2, 0);
  window.add(intervalOf([100, 100]), 500);
  window.add(intervalOf([10]), 1500);
  assert.equal(window.figures(1600).calls, 3);
  const later = window.figures(2600);
  assert.equal(later.calls, 1, 'the first second has left the window');
  assert.ok(Math.abs(later.latencyMs!.max - 10) < 0.1, 'and its latencies with it');
});

test('a level leaves out its warm-up and keeps a standard HdrHistogram', () => {
  const level = new Level(0, 5, 0, 1000);
  level.add(intervalOf([500]), 900); // warm-up
  level.add(intervalOf([20, 30]), 1500);
  level.endedAt = 3000;
  const summary = level.summary(3000, true);
  assert.equal(summary.calls, 2);
  assert.equal(summary.durationMs, 2000);
  assert.equal(summary.throughput, 1);
  assert.ok(summary.latencyMs!.max < 31, 'the warm-up call is not counted');
  const histogram = decodeHistogram(summary.histogram!);
  assert.equal(histogram.totalCount, 2);
  assert.ok(Math.abs(histogram.getValueAtPercentile(100) - 30_000) < 30, 'microseconds');
});

test('a level is settled once its rolling P99 stops moving', () => {
  const generator = { cpuPercent: 1, rssBytes: 1, eventLoopDelayP99Ms: 1 };
  const moving = new Level(0, 5, 0, 0);
  const steady = new Level(1, 5, 0, 0);
  [100, 200, 300, 400, 500, 600].forEach((p99, second) =>
    moving.addResources(second * 1000, null, generator, p99),
  );
  [300, 100, 102, 98, 101, 99].forEach((p99, second) =>
    steady.addResources(second * 1000, null, generator, p99),
  );
  assert.equal(moving.summary(6000, false).settled, false);
  assert.equal(steady.summary(6000, false).settled, true);
  assert.equal(new Level(2, 5, 0, 0).summary(1000, false).settled, false, 'too few readings');
});

test('a level’s generator event-loop delay is its median second: one slow second does not mark it', () => {
  const level = new Level(0, 5, 0, 0);
  [4, 300, 5, 6, 5].forEach((delay, second) =>
    level.addResources(second * 1000, null, { cpuPercent: 1, rssBytes: 1, eventLoopDelayP99Ms: delay }),
  );
  assert.equal(level.summary(5000, false).generator.eventLoopDelayP99Ms, 5);
  const busy = new Level(1, 5, 0, 0);
  [80, 90, 70].forEach((delay, second) =>
    busy.addResources(second * 1000, null, { cpuPercent: 1, rssBytes: 1, eventLoopDelayP99Ms: delay }),
  );
  assert.equal(busy.summary(3000, false).generator.eventLoopDelayP99Ms, 80);
});

test('a level held for a day of readings: exact median second, means and settling', () => {
  const level = new Level(0, 5, 0, 0);
  const day = 86_400;
  for (let second = 0; second < day; second += 1) {
    // Loop delay cycles 1..9 ms (median 5), CPU alternates 10/30 % (mean 20), P99 moves until the last 5 s.
    const generator = {
      cpuPercent: second % 2 ? 30 : 10,
      rssBytes: 1,
      eventLoopDelayP99Ms: (second % 9) + 1,
    };
    const p99 = second < day - 5 ? 100 + (second % 50) * 10 : 200;
    level.addResources(second * 1000, { rssBytes: 1, cpuPercent: 50 }, generator, p99);
  }
  const summary = level.summary(day * 1000, false);
  assert.equal(summary.generator.eventLoopDelayP99Ms, 5);
  assert.equal(summary.generator.cpuPercent, 20);
  assert.equal(summary.serverCpuPercent, 50);
  assert.equal(summary.settled, true, 'the last five readings agree');
});

test('percentiles and merges from the lowest bucket in use agree with the package, even with a stale minimum', () => {
  const seeded = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const random = seeded(7);
  const source = createHistogram();
  const values: number[] = [];
  for (let i = 0; i < 5000; i += 1) values.push(0.2 + random() ** 3 * 4000);
  for (const ms of values) recordMs(source, ms);
  const expected = (histogram: LatencyHistogram) =>
    [50, 90, 95, 99, 99.9, 100].map((p) => Math.round(histogram.getValueAtPercentile(p)) / 1000);
  const figures = (p: NonNullable<ReturnType<typeof percentilesOf>>) => [
    p.p50,
    p.p90,
    p.p95,
    p.p99,
    p.p999,
    p.max,
  ];
  assert.deepEqual(figures(percentilesOf(source)!), expected(source));
  // Into a histogram that already holds other values, as the rolling window's total does.
  const [mine, theirs] = [createHistogram(), createHistogram()];
  for (const target of [mine, theirs]) recordMs(target, 9000);
  addHistogram(mine, source);
  theirs.add(source);
  assert.equal(mine.totalCount, theirs.totalCount);
  assert.deepEqual(figures(percentilesOf(mine)!), expected(theirs));
  assert.equal(percentilesOf(mine)!.mean, percentilesOf(theirs)!.mean);
  // A minimum that claims more than it should (stale): the walk from it misses counts, then starts over.
  (source as unknown as { minNonZeroValue: number }).minNonZeroValue = 1_000_000;
  assert.deepEqual(figures(percentilesOf(source)!), expected(source));
  const again = createHistogram();
  addHistogram(again, source);
  assert.equal(again.totalCount, source.totalCount);
});

test('a histogram of another layout gets its own bucket values, not those of the common one', () => {
  // The common layout's table filled first (1 µs, 3 digits), then a 2-digit histogram of the same values.
  const [common, other] = [
    createHistogram(),
    hdr.build({
      numberOfSignificantValueDigits: 2,
      highestTrackableValue: 3_600_000_000,
      useWebAssembly: false,
    }),
  ];
  for (let i = 1; i <= 4000; i += 1) for (const histogram of [common, other]) histogram.recordValue(i * 997);
  const figures = (histogram: LatencyHistogram) => {
    const p = percentilesOf(histogram)!;
    return [p.p50, p.p90, p.p99, p.max];
  };
  const expected = (histogram: LatencyHistogram) =>
    [50, 90, 99, 100].map((p) => Math.round(histogram.getValueAtPercentile(p)) / 1000);
  assert.deepEqual(figures(common), expected(common));
  assert.deepEqual(figures(other), expected(other));
  assert.notDeepEqual(expected(other), expected(common), 'the two layouts differ in these figures');
  assert.ok(Math.abs(percentilesOf(other)!.mean * 1000 - other.mean) < 1, 'the mean as the package has it');
});
