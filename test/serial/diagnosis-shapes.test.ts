import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caseRun } from '../support/case-run.js';

// Small SDK servers with one bottleneck each (test/support/case-server.ts), not the demo server: the
// diagnosis must hold on servers it was not tuned on. These run alone (test/serial): with 3-second levels
// the fast tool's P99 is nearly its slowest call, which a loaded machine's scheduling moves, and the leak
// grows by the call. The CPU-bound case: diagnosis-cpu; the pool: quiet-bottlenecks.

test('a blocking tool on an otherwise fast server is event-loop starvation, not CPU saturation', async () => {
  // N=1 (one client's calls never overlap: the fast tool's own P50), then N=5: the 60 ms tool holds the loop
  // about a fifth of the time, so the fast tool's P50 stays low while its P99 waits behind it. At N=8 the
  // loop was held so often on a loaded machine (once beside the checks) that the fast P50 rose as well and
  // no signature held; at N=5 beside the checks: P99 64–149 ms, P50 4–6 ms in 5 runs of 5.
  const { report, serverCalls } = await caseRun('blocking', [
    ...['--mix', 'fast:9,work:1', '--think', '50-150', '--session-calls', '1000'],
    ...['--steps', '1,5', '--hold', '3'],
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
