import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ceilingInterval, findCeiling, findKnee, type CapacityPoint } from '../source/analysis/capacity.js';
import { estimateKnee } from '../source/analysis/knee.js';

const curve = (pairs: readonly [number, number][]): CapacityPoint[] =>
  pairs.map(([concurrency, p99Ms]) => ({
    concurrency,
    p99Ms,
    calls: 100,
    errors: 0,
    settled: true,
    meanMs: p99Ms / 2,
    throughput: 0,
    enoughCalls: true,
  }));

test('the textbook closed system of issue 14 (C=4, S=50 ms, no think time) has its knee at N* = 4', () => {
  // P99 as measured; X and mean R as the response-time law gives them for C=4, S=50 ms, Z=0.
  const p99 = [
    [1, 54],
    [2, 56],
    [3, 60],
    [4, 57],
    [5, 83],
    [6, 85],
    [8, 106],
    [10, 141],
    [12, 153],
    [16, 205],
  ] as const;
  const points = p99.map(([concurrency, p99Ms]) => {
    const throughput = Math.min(concurrency, 4) / 0.05;
    return { ...curve([[concurrency, p99Ms]])[0]!, throughput, meanMs: (concurrency / throughput) * 1000 };
  });
  const estimate = estimateKnee(points, 0);
  assert.equal(estimate.knee, 4, estimate.reason);
  assert.equal(estimate.method, 'throughput');
  assert.deepEqual(estimate.interval, [3, 6], '100 calls a level: X_max known to ±14% at one sigma');
});

test('the knee of a hockey-stick curve is where it turns up', () => {
  // Flat until 30, then steep: a closed system past saturation.
  const points = curve([
    [1, 50],
    [5, 51],
    [10, 52],
    [20, 55],
    [30, 60],
    [40, 400],
    [50, 900],
    [60, 1400],
  ]);
  // The flat line (≈55 ms) and the rising one (+50 ms per session from N=40) meet at N≈33.
  assert.equal(findKnee(points), 33);
});

test('on the demo pool (C=4, S=200 ms, think 500-700 ms, N* = 16) the knee is within 15% of N*', () => {
  // P99 per level measured by this tool against `demo-server --bottleneck pool --pool-size 4 --pool-ms 200`.
  const fine = curve([
    [4, 206],
    [8, 207],
    [12, 295],
    [14, 274],
    [16, 330],
    [18, 416],
    [20, 473],
    [24, 707],
    [28, 898],
    [32, 1093],
  ]);
  const coarse = curve([
    [4, 207],
    [8, 244],
    [12, 329],
    [16, 353],
    [20, 501],
    [24, 696],
    [28, 897],
    [32, 1101],
  ]);
  const saturation = (200 + 600) / (200 / 4);
  for (const points of [fine, coarse]) {
    const knee = findKnee(points)!;
    assert.ok(Math.abs(knee - saturation) / saturation <= 0.15, `knee ${knee} vs N* ${saturation}`);
  }
});

test('a P99 that bends before saturation does not pull the knee down (simulated closed system, N* = 16)', () => {
  // A discrete-event simulation of the demo pool (4 servers × 200 ms, think 500–700 ms, 5 s per level):
  // P99 climbs from 12 on as queues start to form. A two-segment fit over every level put this knee at 13.
  const points = curve([
    [4, 200],
    [8, 200],
    [12, 313],
    [14, 333],
    [16, 348],
    [18, 416],
    [20, 499],
    [24, 691],
    [28, 895],
    [32, 1096],
  ]);
  const knee = findKnee(points)!;
  assert.ok(Math.abs(knee - 16) / 16 <= 0.1, `knee ${knee} vs N* 16`);
});

test('no knee on a straight line, a flat curve or too few points', () => {
  assert.equal(
    findKnee(
      curve([
        [1, 10],
        [2, 20],
        [3, 30],
        [4, 40],
      ]),
    ),
    null,
  );
  assert.equal(
    findKnee(
      curve([
        [1, 50],
        [10, 51],
        [20, 52],
        [30, 53],
      ]),
    ),
    null,
  );
  assert.equal(
    findKnee(
      curve([
        [1, 50],
        [10, 500],
      ]),
    ),
    null,
  );
});

test('the ceiling is the first N whose P99 breaks the SLO', () => {
  const points = curve([
    [10, 100],
    [20, 900],
    [30, 2100],
    [40, 1900],
    [50, 5000],
  ]);
  assert.equal(findCeiling(points, 2000), 30);
  assert.deepEqual(ceilingInterval(points, 30, 2000), [21, 30], 'above the last good level, up to 30');
  assert.equal(findCeiling(points, 10_000), null);
});

test('a P99 from too few calls does not make the ceiling', () => {
  const points = curve([
    [10, 100],
    [20, 2500],
    [30, 2600],
  ]).map((point) => (point.concurrency === 20 ? { ...point, calls: 12, enoughCalls: false } : point));
  assert.equal(findCeiling(points, 2000), 30);
  assert.deepEqual(ceilingInterval(points, 30, 2000), [11, 30], 'the level of 12 calls does not narrow it');
});
