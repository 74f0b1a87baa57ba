import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCeiling, findKnee, type CapacityPoint } from '../source/analysis/capacity.js';

const curve = (pairs: readonly [number, number][]): CapacityPoint[] =>
  pairs.map(([concurrency, p99Ms]) => ({ concurrency, p99Ms, calls: 100, errors: 0 }));

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
  assert.equal(findKnee(points), 30);
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
  assert.equal(findCeiling(points, 10_000), null);
});
