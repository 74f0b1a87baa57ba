import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caseRun } from '../support/case-run.js';

// Small SDK servers with one bottleneck each (test/support/case-server.ts), not the demo server: the
// diagnosis must hold on servers it was not tuned on. They run alone (test/serial): with 3-second levels
// the fast tool's P99 is nearly its slowest call, which a loaded machine's scheduling moves (a small pool
// read as event-loop starvation at three test files at a time). The CPU-bound case: diagnosis-cpu.

test('a blocking tool on an otherwise fast server is event-loop starvation, not CPU saturation', async () => {
  const { report, serverCalls } = await caseRun('blocking', [
    ...['--mix', 'fast:9,work:1', '--think', '50-150', '--session-calls', '1000'],
    ...['--steps', '2,8', '--hold', '3'],
  ]);
  const { bottleneck } = report.analysis;
  assert.equal(bottleneck.kind, 'event-loop-starvation', JSON.stringify(bottleneck));
  assert.match(bottleneck.evidence[0]!, /^fast: P99 \d+ ms while P50 stays at \d+ ms/);
  assert.equal(
    serverCalls,
    report.totals.calls - report.totals.errors,
    'the server answered every call counted',
  );
});

test('a small pool: the pooled tool queues while the fast one stays fast and the CPU idles', async () => {
  const { report, serverCalls } = await caseRun('pool', [
    ...['--mix', 'fast:1,work:1', '--think', '50-100', '--session-calls', '1000'],
    ...['--steps', '1,8', '--hold', '3'],
  ]);
  const { bottleneck } = report.analysis;
  assert.equal(bottleneck.kind, 'pool-exhaustion', JSON.stringify(bottleneck));
  assert.match(bottleneck.evidence[0]!, /^work: P99 \d+ ms at N=1 → \d+ ms at N=8, while fast stayed/);
  assert.equal(serverCalls, report.totals.calls - report.totals.errors);
});

test('a leak: server RSS grows with the calls, named memory pressure', async () => {
  const { report, serverCalls } = await caseRun('leak', [
    ...['--mix', 'work:1', '--think', '5-15', '--session-calls', '1000'],
    ...['--steps', '1,4', '--hold', '3'],
  ]);
  const { bottleneck } = report.analysis;
  assert.equal(bottleneck.kind, 'memory-pressure', JSON.stringify(bottleneck));
  assert.match(bottleneck.evidence[0]!, /^server RSS grew from \d+ MB at N=1 to \d+ MB at N=4/);
  assert.equal(serverCalls, report.totals.calls - report.totals.errors);
});
