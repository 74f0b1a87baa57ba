import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caseRun } from '../support/case-run.js';

// Runs alone after the parallel suite: the server's CPU share is the measurement.
test('a CPU-bound SDK server (work in 1 ms slices, the loop never stalls) is CPU saturation', async () => {
  const { report, serverCalls } = await caseRun('cpu', [
    ...['--mix', 'fast:1,work:1', '--think', '0-20', '--session-calls', '1000'],
    ...['--steps', '1,8', '--hold', '4'],
  ]);
  const { bottleneck } = report.analysis;
  assert.equal(bottleneck.kind, 'cpu-saturation', JSON.stringify(bottleneck));
  assert.match(bottleneck.evidence[0]!, /^server CPU \d+(\.\d)?% of a core at N=8/);
  assert.equal(serverCalls, report.totals.calls - report.totals.errors);
});
