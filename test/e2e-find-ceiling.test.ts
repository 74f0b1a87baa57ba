import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bottleneckRun } from './support/bottleneck-run.js';

test('--find-ceiling walks 1, 2, 4, … up to the first level past the SLO, then bisects', async () => {
  const report = await bottleneckRun(
    ['--bottleneck', 'pool', '--pool-size', '4', '--pool-ms', '200', '--pool-queue', '1000'],
    ['--think', '500-700', '--session-calls', '1000', '--find-ceiling', '--hold', '3', '--slo', '800'],
  );
  assert.equal(report.endReason, 'plan-complete');
  const visited = report.levels.map((level) => level.concurrency);
  assert.deepEqual(visited.slice(0, 6), [1, 2, 4, 8, 16, 32], `visited ${visited.join(',')}`);
  // Past N* = 16, P99 ≈ N·50 ms − 600 ms: it crosses 800 ms near N = 28.
  const ceiling = report.analysis.ceilingConcurrency;
  assert.ok(
    ceiling !== null && ceiling > 16 && ceiling <= 32,
    `ceiling ${ceiling}, visited ${visited.join(',')}`,
  );
  assert.ok(visited.length > 6, 'bisected after the first bad level');
});
