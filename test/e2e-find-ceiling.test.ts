import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bottleneckRun } from './support/bottleneck-run.js';

test('--find-ceiling walks 1, 2, 4, … up to the first level past the SLO, then bisects', async () => {
  const report = await bottleneckRun(
    ['--bottleneck', 'pool', '--pool-size', '4', '--pool-ms', '100', '--pool-queue', '1000'],
    [
      ...['--think', '250-350', '--session-calls', '1000', '--find-ceiling', '--slo', '400'],
      ...['--hold', '1.2', '--warmup', '0.5', '--ceiling-precision', '30'],
    ],
  );
  assert.equal(report.endReason, 'plan-complete');
  const visited = report.levels.map((level) => level.concurrency);
  // S = 100 ms, Z = 300 ms, C = 4: N* = C·(S+Z)/S = 16. At N = 8 nothing queues: P99 ≈ S = 100 ms, which leaves
  // a loaded machine 300 ms before the 400 ms SLO (at S = 50 ms and a 200 ms SLO, N = 8 broke it beside the
  // other test files). At N = 32 the mean alone is N·S/C − Z = 500 ms, over the SLO. At N* itself the P99 sits
  // near the SLO: with the 100 calls a P99 needs (held longer than --hold), it may break it there.
  // Each level lasts up to three holds, 3.6 s (130 calls at the pool's 40 a second), and the search stops
  // within 30% (16 → 32 → 24 → 20 at most): about 30 s, where --hold 2 and the default precision took 45 s.
  const turn = visited.findIndex((n, index) => index > 0 && n < visited[index - 1]!);
  const doubling = turn < 0 ? visited : visited.slice(0, turn);
  assert.deepEqual(doubling.slice(0, 5), [1, 2, 4, 8, 16], `visited ${visited.join(',')}`);
  assert.ok(doubling.length <= 6, `stopped doubling by 32: ${visited.join(',')}`);
  const ceiling = report.analysis.ceilingConcurrency;
  assert.ok(
    ceiling !== null && ceiling > 8 && ceiling <= 32,
    `ceiling ${ceiling}, visited ${visited.join(',')}`,
  );
  const [low, high] = report.analysis.ceilingInterval!;
  assert.ok(low <= ceiling && high === ceiling, `interval ${low}–${high}`);
  assert.ok(
    report.levels
      .filter((level) => level.endedAt !== null)
      .every((level) => level.calls >= 100 || level.durationMs >= 2800),
    'each level held until its P99 had 100 calls, or for three holds (less the warm-up)',
  );
  assert.ok(visited.length > doubling.length, 'bisected after the first bad level');
});
