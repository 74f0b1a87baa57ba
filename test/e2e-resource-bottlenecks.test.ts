import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bottleneckRun } from './support/bottleneck-run.js';

// A bottleneck named from what a loaded machine does not move: the errors the server sends (a full pool).
// The rest run alone in test/serial/: those read from latency (event loop, CPU, a pool that queues), and
// the leaks too. Beside the other files, a leak of 512 KB a call (diagnosis-shapes) went unseen once
// ("none-reached"), and one of 1 MB a call (e2e-bottlenecks) slowed the calls so that N=8 made 50 calls
// in 3 s ("unknown").

describe('bottlenecks named from errors', () => {
  test('pool exhaustion: named from the pool-full errors', async () => {
    const report = await bottleneckRun(
      ['--bottleneck', 'pool', '--pool-size', '1', '--pool-ms', '100', '--pool-queue', '2'],
      ['--steps', '2,10', '--hold', '4', '--think', '0-50'],
    );
    assert.equal(report.analysis.bottleneck.kind, 'pool-exhaustion', JSON.stringify(report.analysis));
    assert.match(report.analysis.bottleneck.evidence[0]!, /tool-error errors saying .*connection pool full/);
    assert.equal(report.analysis.cliffConcurrency, 10, 'pool-full errors are the cliff');
  });
});
