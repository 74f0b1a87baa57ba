import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ReportSchema, type Report } from '../../source/report/report-schema.js';
import { startInstrumented } from '../support/instrumented.js';
import { runCli } from '../support/processes.js';

async function run(args: readonly string[]): Promise<{ report: Report; markdown: string; stdout: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'mle-server-metrics-'));
  const [reportFile, mdFile] = [join(folder, 'run.json'), join(folder, 'run.md')];
  const result = await runCli(
    [...args, '--jitter', '0', '--warmup', '1', '--headless', '--report', reportFile, '--report-md', mdFile],
    { timeoutMs: 90_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  return {
    report: ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8'))),
    markdown: await readFile(mdFile, 'utf8'),
    stdout: result.stdout,
  };
}

test('--server-metrics and --pid give the same diagnosis and matching CPU and RSS for the same server', async () => {
  const server = await startInstrumented(['--bottleneck', 'cpu', '--cpu-ms', '20']);
  try {
    const load = [
      '--url',
      server.url,
      '--mix',
      'work:1',
      '--steps',
      '2,12',
      '--hold',
      '3',
      '--think',
      '0-50',
    ];
    const byPid = await run([...load, '--pid', String(server.pid)]);
    const byMetrics = await run([...load, '--server-metrics', server.metricsUrl]);
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
    const top = (report: Report) => report.levels.find((level) => level.concurrency === 12)!;
    const [pid, metrics] = [top(byPid.report), top(byMetrics.report)];
    assert.ok(
      pid.serverCpuPercent! >= 80 && metrics.serverCpuPercent! >= 80,
      `${pid.serverCpuPercent} / ${metrics.serverCpuPercent}`,
    );
    assert.ok(Math.abs(pid.serverCpuPercent! - metrics.serverCpuPercent!) <= 25);
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

test('a pool gauge named with --server-metric is shown per level and names pool exhaustion', async () => {
  const server = await startInstrumented(['--bottleneck', 'pool', '--pool-size', '2', '--pool-ms', '100']);
  try {
    const { report, markdown, stdout } = await run([
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
