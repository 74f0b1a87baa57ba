import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Report } from '../../source/report/report-schema.js';
import { startInstrumented } from '../support/instrumented.js';
import { metricsRun as run } from '../support/metrics-run.js';

test('--server-metrics and --pid give the same diagnosis and matching CPU and RSS for the same server', async () => {
  const server = await startInstrumented(['--bottleneck', 'cpu', '--cpu-ms', '20']);
  try {
    // Two runs side by side, one reading the server's process and one its metrics: both see the same
    // seconds of the same server, which together they load with 2, then 12 clients.
    const load = ['--url', server.url, '--mix', 'work:1', '--steps', '1,6', '--hold', '3', '--think', '0-50'];
    const [byPid, byMetrics] = await Promise.all([
      run([...load, '--pid', String(server.pid)]),
      run([...load, '--server-metrics', server.metricsUrl]),
    ]);
    assert.equal(
      byPid.report.analysis.bottleneck.kind,
      'cpu-saturation',
      JSON.stringify(byPid.report.analysis),
    );
    assert.equal(
      byMetrics.report.analysis.bottleneck.kind,
      byPid.report.analysis.bottleneck.kind,
      JSON.stringify(byMetrics.report.analysis),
    );
    const top = (report: Report) => report.levels.find((level) => level.concurrency === 6)!;
    const [pid, metrics] = [top(byPid.report), top(byMetrics.report)];
    assert.ok(
      pid.serverCpuPercent! >= 80 && metrics.serverCpuPercent! >= 80,
      `${pid.serverCpuPercent} / ${metrics.serverCpuPercent}`,
    );
    assert.ok(
      Math.abs(pid.serverCpuPercent! - metrics.serverCpuPercent!) <= 25,
      `${pid.serverCpuPercent} / ${metrics.serverCpuPercent}`,
    );
    const rssRatio = metrics.serverRssBytes! / pid.serverRssBytes!;
    assert.ok(rssRatio > 0.7 && rssRatio < 1.4, `RSS ${metrics.serverRssBytes} vs ${pid.serverRssBytes}`);
    // What only the server's own metrics tell: its event-loop delay.
    assert.ok((metrics.serverEventLoopDelayP99Ms ?? 0) > 0);
    assert.equal(pid.serverEventLoopDelayP99Ms ?? null, null);
    // The server saw the calls of both runs.
    const seen = (await server.stats()).calls.total;
    assert.ok(seen >= byPid.report.totals.calls + byMetrics.report.totals.calls - 50, `server saw ${seen}`);
  } finally {
    await server.stop();
  }
});
