import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bottleneckRun } from '../support/bottleneck-run.js';

// Runs alone after the parallel suite: the P99 of each level is the measurement, and a busy machine bends it.
test('on the demo pool the detected knee is within 15% of the saturation point N* = (S + Z) / D_max', async () => {
  // C=4 connections × S=200 ms: D_max = 50 ms per call; think Z = 600 ms on average: N* = 800 / 50 = 16.
  const report = await bottleneckRun(
    ['--bottleneck', 'pool', '--pool-size', '4', '--pool-ms', '200', '--pool-queue', '1000'],
    [
      '--think',
      '500-700',
      '--session-calls',
      '1000',
      '--steps',
      '4,8,12,14,16,18,20,24,28,32',
      '--hold',
      // 4 s of P99 per level after the 1 s warm-up (simulated, the knee lands at 15–17 even with 3 s).
      '5',
    ],
  );
  const saturation = (200 + 600) / (200 / 4);
  const knee = report.analysis.kneeConcurrency;
  assert.ok(
    knee !== null,
    JSON.stringify(report.levels.map((level) => [level.concurrency, level.latencyMs?.p99])),
  );
  assert.ok(Math.abs(knee - saturation) / saturation <= 0.15, `knee ${knee}, N* ${saturation}`);
  const throughput = report.levels.map((level) => level.throughput);
  assert.ok(
    // Calls that began in a warm-up and end after it land in the level, so allow 15% over C/S.
    Math.max(...throughput) <= (4 / 0.2) * 1.15,
    `the pool caps throughput at C/S = 20 calls/s: ${throughput.join(', ')}`,
  );
});
