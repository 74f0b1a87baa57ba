import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateKnee } from '../source/analysis/knee.js';
import { kneeGrid, tolerance } from './support/knee-grid.js';
import { saturationPoint, simulateWalk } from './support/queue-sim.js';

// Deterministic: a seeded discrete-event simulation, no clock. The grid and its figures are in docs/findings.md.
test('the knee is within ±15% of N* (or one walk level) in every regime of the seeded grid', () => {
  const grid = kneeGrid();
  assert.ok(grid.length >= 50, `${grid.length} regimes`);
  const misses: string[] = [];
  for (const regime of grid) {
    const saturation = saturationPoint(regime);
    const estimate = estimateKnee(simulateWalk(regime), regime.thinkMs);
    const allowed = tolerance(saturation, regime.walk);
    const off = estimate.knee === null ? Infinity : Math.abs(estimate.knee - saturation);
    const [low, high] = estimate.interval ?? [NaN, NaN];
    if (off > allowed || !(low <= saturation + allowed && high >= saturation - allowed))
      misses.push(
        `${regime.name}: N* ${saturation.toFixed(1)}, knee ${estimate.knee} [${low}, ${high}] (±${allowed.toFixed(1)}; ${estimate.reason}) walk ${regime.walk.join(',')}`,
      );
  }
  assert.deepEqual(misses, []);
});

test('a textbook closed system with no think time (C=4, S=50 ms fixed, N=1…16) has its knee at N* = 4', () => {
  const regime = {
    name: 'textbook',
    stations: [{ servers: 4, serviceMs: 50, service: 'fixed' as const }],
    thinkMs: 0,
    walk: [1, 2, 3, 4, 5, 6, 8, 10, 12, 16],
    warmupMs: 1000,
    holdMs: 5000,
    seed: 7,
  };
  const points = simulateWalk(regime);
  const estimate = estimateKnee(points, 0);
  assert.equal(estimate.knee, 4, estimate.reason);
  assert.equal(estimate.method, 'throughput');
  assert.ok(estimate.interval![0] <= 4 && estimate.interval![1] >= 4, `${JSON.stringify(estimate.interval)}`);
});

test('no knee, with the reason, when P99 never rose or the walk stopped before the rise', () => {
  const regime = {
    name: 'far below N*',
    stations: [{ servers: 16, serviceMs: 50, service: 'fixed' as const }],
    thinkMs: 500,
    walk: [1, 2, 4, 8, 16, 32],
    warmupMs: 1000,
    holdMs: 5000,
    seed: 3,
  };
  const flat = estimateKnee(simulateWalk(regime), regime.thinkMs);
  assert.equal(flat.knee, null);
  assert.match(flat.reason, /P99 never rose/);
  const late = estimateKnee(simulateWalk({ ...regime, walk: [300, 400, 500] }), regime.thinkMs);
  assert.equal(late.knee, null);
  assert.match(late.reason, /already saturated at the lowest level N=300/);
});
