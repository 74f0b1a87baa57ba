import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import hdr from 'hdr-histogram-js';
import { ReportSchema } from '../source/report/report-schema.js';
import { sleep, startCli, waitFor } from './support/processes.js';
import { startDemo } from './support/servers.js';

// Each test counts the sessions of a demo server of its own, and mostly waits on it: all three at once.
describe('demo server over HTTP', { concurrency: 3 }, () => {
  test('holds N sessions on the server, each with its GET stream open, keeps the mix and think time, writes the report, closes every session', async () => {
    const server = await startDemo(['--bottleneck', 'none']);
    try {
      const dir = await mkdtemp(join(tmpdir(), 'mle-e2e-'));
      const reportFile = join(dir, 'run.json');
      const before = await server.stats();
      const run = startCli([
        '--url',
        server.url,
        '--concurrency',
        '6',
        '--think',
        '200-300',
        '--session-calls',
        '1000',
        '--jitter',
        '300',
        '--mix',
        'fast:75,sleep:25',
        '--args',
        'sleep={"ms":20}',
        '--duration',
        '7',
        '--warmup',
        '1',
        '--report',
        reportFile,
        '--headless',
        '--workers',
        '2',
      ]);
      let peak = 0;
      await waitFor(
        async () => {
          const active = (await server.stats()).sessions.active;
          peak = Math.max(peak, active);
          return active === 6;
        },
        15_000,
        'the server to hold 6 sessions',
      );
      // Each GET stream opens just after its session's initialize.
      await waitFor(async () => (await server.stats()).getStreams === 6, 5000, 'a GET stream per session');
      const result = await run.done;
      assert.equal(result.code, 0, result.stderr);
      assert.ok(peak <= 6, `the server held ${peak} sessions at once`);
      await waitFor(async () => (await server.stats()).getStreams === 0, 5000, 'the streams closed');

      const afterRun = await server.stats();
      assert.equal(afterRun.sessions.active, 0, 'no session left open on the server');
      assert.equal(
        afterRun.sessions.opened - before.sessions.opened,
        afterRun.sessions.closed - before.sessions.closed,
      );

      const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
      assert.equal((await stat(reportFile)).mode & 0o777, 0o600);
      const served = (afterRun.calls.byTool.fast ?? 0) - (before.calls.byTool.fast ?? 0);
      const slept = (afterRun.calls.byTool.sleep ?? 0) - (before.calls.byTool.sleep ?? 0);
      assert.equal(report.totals.calls, served + slept, 'every call the client counted reached the server');
      assert.equal(report.totals.errors, 0);
      // Each call draws its tool: the fast share of n calls is binomial around 0.75. Four standard deviations
      // (0.17 at 100 calls) fail a wrong mix, not a chance draw (0.63 of about 100 calls was seen once at 0.65).
      const calls = served + slept;
      assert.ok(calls >= 60, `${calls} calls`);
      const share = served / calls;
      const bound = 4 * Math.sqrt((0.75 * 0.25) / calls);
      assert.ok(
        Math.abs(share - 0.75) <= bound,
        `fast share ${share.toFixed(2)} of ${calls} calls, expected 0.75 ± ${bound.toFixed(2)}`,
      );

      const [level] = report.levels;
      assert.ok(level, 'one level');
      assert.equal(level.concurrency, 6);
      assert.ok(level.histogram && level.latencyMs);
      assert.ok(level.tools.sleep && level.tools.fast);
      // Closed loop: each session makes one call per (think + latency).
      const expected = 6 / ((250 + level.latencyMs.mean) / 1000);
      assert.ok(
        Math.abs(level.throughput - expected) / expected < 0.25,
        `throughput ${level.throughput}/s, expected about ${expected.toFixed(1)}/s from think time 200-300 ms`,
      );
      assert.equal(report.target.transport, 'streamable-http');
      assert.equal(report.sloMs, 2000);
      assert.match(result.stdout, /levels \(latency in ms/);
    } finally {
      await server.stop();
    }
  });

  test('--no-get-stream holds no GET stream; SIGTERM ends the run the same way: sessions closed on the server, report written', async () => {
    const server = await startDemo(['--bottleneck', 'none']);
    try {
      const reportFile = join(await mkdtemp(join(tmpdir(), 'mle-sigterm-')), 'run.json');
      const run = startCli([
        ...[
          '--url',
          server.url,
          '--concurrency',
          '5',
          '--think',
          '100-200',
          '--jitter',
          '0',
          '--warmup',
          '0',
        ],
        ...['--mix', 'fast:1', '--no-get-stream', '--report', reportFile, '--headless'],
      ]);
      await waitFor(
        async () => (await server.stats()).sessions.active === 5,
        15_000,
        'the server to hold 5 sessions',
      );
      await waitFor(() => /calls=[1-9]/.test(run.output()), 5000, 'calls to be made');
      // A GET stream would open just after its session's initialize: give them a moment.
      await sleep(2000);
      assert.equal((await server.stats()).getStreams, 0, '--no-get-stream');
      run.child.kill('SIGTERM');
      const result = await run.done;
      assert.equal(result.code, 143, `a run SIGTERM ended exits 128 + 15: ${result.stderr}`);
      assert.equal((await server.stats()).sessions.active, 0, 'every session closed on the server');
      const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
      assert.equal(report.endReason, 'interrupted');
      assert.ok(report.totals.calls > 0);
      assert.equal(report.totals.sessionsOpened, report.totals.sessionsClosed);
    } finally {
      await server.stop();
    }
  });

  test('--hdr-log writes the standard interval log that HdrHistogram tools read back', async () => {
    const server = await startDemo(['--bottleneck', 'none']);
    try {
      const dir = await mkdtemp(join(tmpdir(), 'mle-hlog-'));
      const [logFile, reportFile] = [join(dir, 'run.hlog'), join(dir, 'run.json')];
      const run = startCli([
        ...['--url', server.url, '--concurrency', '3', '--think', '20-50', '--jitter', '0', '--warmup', '0'],
        ...['--mix', 'fast:1', '--duration', '3', '--hdr-log', logFile, '--report', reportFile, '--headless'],
      ]);
      const result = await run.done;
      assert.equal(result.code, 0, result.stderr);
      const log = await readFile(logFile, 'utf8');
      assert.match(log, /^#\[Histogram log format version 1\.3\]\n/);
      assert.match(log, /\n#\[StartTime: [\d.]+ /);
      assert.match(
        log,
        /\n"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"\n/,
      );
      const reader = new hdr.HistogramLogReader(log);
      let intervals = 0;
      let count = 0;
      let longestMs = 0;
      for (
        let histogram = reader.nextIntervalHistogram();
        histogram;
        histogram = reader.nextIntervalHistogram()
      ) {
        intervals += 1;
        count += histogram.totalCount;
        longestMs = Math.max(longestMs, histogram.endTimeStampMsec - histogram.startTimeStampMsec);
      }
      const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
      // One interval per tick (4 a second) that saw calls: how many a loaded machine fits in 3 s varies (2 to
      // 12 seen), but none spans more than a couple of ticks.
      assert.ok(intervals >= 2, `${intervals} intervals in 3 s`);
      assert.ok(longestMs > 0 && longestMs <= 2000, `the longest interval spans ${longestMs} ms`);
      assert.equal(count, report.totals.calls, 'every call is in the log');
    } finally {
      await server.stop();
    }
  });
});
