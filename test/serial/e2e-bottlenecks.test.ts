import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bottleneckRun } from '../support/bottleneck-run.js';

// Each of the demo server's bottlenecks must be named from the figures alone (the CPU-bound one:
// cpu-bottleneck.test.ts; the pool and the leak: quiet-bottlenecks.test.ts; the one named from errors:
// e2e-resource-bottlenecks.test.ts). The blocked event loop's runs spend a core in 200 ms blocks, so this
// one runs alone.

test('event-loop starvation: P99 far above a low P50', async () => {
  const report = await bottleneckRun(
    ['--bottleneck', 'event-loop', '--block-every', '20', '--block-ms', '200'],
    ['--steps', '2,8', '--hold', '6', '--think', '100-300'],
  );
  assert.equal(report.analysis.bottleneck.kind, 'event-loop-starvation', JSON.stringify(report.analysis));
  assert.match(report.analysis.bottleneck.evidence[0]!, /work: P99 \d+ ms while P50 stays at \d+ ms/);
});
