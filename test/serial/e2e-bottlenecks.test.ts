import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bottleneckRun } from '../support/bottleneck-run.js';

// Each of the demo server's bottlenecks must be named from the figures alone (the CPU-bound one:
// cpu-bottleneck.test.ts; the one named from errors: e2e-resource-bottlenecks.test.ts). Alone, in
// test/serial: beside the shared test files, a loaded machine moved the fast tool's P99 enough that a
// small pool read as event-loop starvation.

test('pool exhaustion before any error: work queues for the pool while fast stays fast and the CPU idles', async () => {
  const report = await bottleneckRun(
    ['--bottleneck', 'pool', '--pool-size', '1', '--pool-ms', '100', '--pool-queue', '1000'],
    ['--steps', '2,12', '--hold', '5', '--think', '100-200'],
    'fast:1,work:1',
  );
  assert.equal(report.totals.errors, 0, 'the queue is long enough: nothing fails');
  assert.equal(report.analysis.bottleneck.kind, 'pool-exhaustion', JSON.stringify(report.analysis));
  assert.match(
    report.analysis.bottleneck.evidence[0]!,
    /work: P99 \d+ ms at N=2 → \d+ ms at N=12, while fast stayed/,
  );
});

test('event-loop starvation: P99 far above a low P50', async () => {
  const report = await bottleneckRun(
    ['--bottleneck', 'event-loop', '--block-every', '20', '--block-ms', '200'],
    ['--steps', '2,8', '--hold', '6', '--think', '100-300'],
  );
  assert.equal(report.analysis.bottleneck.kind, 'event-loop-starvation', JSON.stringify(report.analysis));
  assert.match(report.analysis.bottleneck.evidence[0]!, /work: P99 \d+ ms while P50 stays at \d+ ms/);
});

test('memory pressure: server RSS grows with the sessions', async () => {
  const report = await bottleneckRun(
    ['--bottleneck', 'memory', '--leak-kb', '1024'],
    ['--steps', '2,8', '--hold', '4', '--think', '50-100'],
  );
  assert.equal(report.analysis.bottleneck.kind, 'memory-pressure', JSON.stringify(report.analysis));
  assert.match(
    report.analysis.bottleneck.evidence[0]!,
    /server RSS grew from \d+ MB at N=2 to \d+ MB at N=8/,
  );
});
