import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bottleneckRun } from '../support/bottleneck-run.js';
import { caseRun } from '../support/case-run.js';
import { startInstrumented } from '../support/instrumented.js';
import { metricsRun } from '../support/metrics-run.js';

// The bottlenecks a server shows without spending CPU: pools that queue, and memory that grows by a
// megabyte a call. Their runs use little CPU (tens of calls a second), so they run side by side with each
// other, yet after the shared test files, which load both cores: beside those, the fast tool's P99 moved
// enough that a small pool read as event-loop starvation. The diagnoses that need a core to themselves are
// in the other files here, one at a time (the case server's leak too: it grows by the call, and beside the
// others it made too few calls to be named, 2026-12-02).
describe('bottlenecks that leave the CPU idle', { concurrency: true }, () => {
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

  test('a pool gauge named with --server-metric is shown per level and names pool exhaustion', async () => {
    const server = await startInstrumented(['--bottleneck', 'pool', '--pool-size', '2', '--pool-ms', '100']);
    try {
      const { report, markdown, stdout } = await metricsRun([
        ...['--url', server.url, '--mix', 'work:1', '--steps', '2,12', '--hold', '3', '--think', '0-20'],
        ...['--server-metrics', server.metricsUrl, '--server-metric', 'demo_pool_waiting'],
      ]);
      const [low, high] = report.levels;
      assert.ok(low && high);
      assert.ok(low.serverSeries?.['demo_pool_waiting'], 'the gauge is kept per level');
      assert.ok(high.serverSeries!['demo_pool_waiting']!.mean >= 1, JSON.stringify(high.serverSeries));
      assert.ok(low.serverSeries['demo_pool_waiting'].mean < high.serverSeries!['demo_pool_waiting']!.mean);
      assert.equal(report.analysis.bottleneck.kind, 'pool-exhaustion', JSON.stringify(report.analysis));
      assert.match(report.analysis.bottleneck.evidence[0]!, /the server's demo_pool_waiting went from/);
      assert.match(markdown, /\| N \| loop p99 ms \| gc ms\/s \| demo_pool_waiting mean\/max \|/);
      assert.match(stdout, /the server's own metrics per level/);
    } finally {
      await server.stop();
    }
  });
});
