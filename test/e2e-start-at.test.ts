import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { decodeHistogram } from '../source/metrics/histogram.js';
import { ReportSchema, type Report } from '../source/report/report-schema.js';
import { runCli, startCli, waitFor } from './support/processes.js';
import { demoForFile } from './support/servers.js';

const readReport = async (file: string): Promise<Report> =>
  ReportSchema.parse(JSON.parse(await readFile(file, 'utf8')));

// The two agents wait 10 s for their start; the other tests run meanwhile on a demo of their own (each test
// counts every session its server saw), once both agents wait: not to slow the start-up the lead must cover.
let agentsWaiting = (): void => undefined;
const agentsReady = new Promise<void>((resolve) => (agentsWaiting = resolve));
setTimeout(agentsWaiting, 30_000).unref();

describe('--start-at', { concurrency: 2 }, () => {
  describe('agents on one server', { concurrency: false }, () => {
    const demo = demoForFile();

    test('two agents wait for one --start-at, load one server together, and merge into one run', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mle-agents-'));
      const server = demo();
      const before = await server.stats();
      // Far enough ahead that both agents finish preflight first on a busy 2-core machine (CLI start-up
      // alone took over 9 s there under a load average of 15).
      const startAt = new Date(Date.now() + 10_000).toISOString();
      const agent = (index: number) =>
        startCli(
          [
            '--headless',
            '--url',
            server.url,
            '--mix',
            'fast:1',
            '--steps',
            '2,3',
            '--hold',
            '3',
            '--warmup',
            '0',
            '--think',
            '20-50',
            '--jitter',
            '0',
            '--workers',
            '1',
            '--start-at',
            startAt,
            '--report',
            join(dir, `agent-${index}.json`),
          ],
          { timeoutMs: 40_000 },
        );
      const agents = [agent(0), agent(1)];
      await waitFor(
        () => agents.every((run) => /waiting to start at/.test(run.output())),
        30_000,
        'both agents waiting',
      )
        .catch(() => undefined)
        .finally(agentsWaiting);
      const runs = await Promise.all(agents.map((run) => run.done));
      for (const run of runs) {
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /waiting to start at \S+ \S+ \(in \d+s\), then steps 2,3/);
      }
      const [a, b] = await Promise.all([0, 1].map((index) => readReport(join(dir, `agent-${index}.json`))));
      assert.ok(a && b);
      const start = Date.parse(startAt);
      for (const report of [a, b]) {
        const first = Date.parse(report.levels[0]!.startedAt);
        assert.ok(first >= start, `level 1 began ${first - start} ms before --start-at`);
        assert.ok(first - start < 1500, `level 1 began ${first - start} ms after --start-at`);
        assert.deepEqual(
          report.levels.map((level) => level.concurrency),
          [2, 3],
        );
      }
      for (const index of [0, 1]) {
        const gap = Math.abs(Date.parse(a.levels[index]!.startedAt) - Date.parse(b.levels[index]!.startedAt));
        assert.ok(gap < 1000, `level ${index + 1} started ${gap} ms apart`);
      }
      // What the server saw: both agents' sessions (plus one preflight session each) and their calls.
      const after = await server.stats();
      const opened = a.totals.sessionsOpened + b.totals.sessionsOpened;
      assert.ok(a.totals.sessionsOpened >= 3 && b.totals.sessionsOpened >= 3);
      assert.equal(after.sessions.opened - before.sessions.opened, opened + 2);
      assert.equal(after.sessions.active, 0);
      assert.ok(
        (after.calls.byTool['fast'] ?? 0) - (before.calls.byTool['fast'] ?? 0) >=
          a.totals.calls + b.totals.calls,
      );

      const merged = join(dir, 'merged.json');
      const merge = await runCli([
        'merge',
        join(dir, 'agent-0.json'),
        join(dir, 'agent-1.json'),
        '--report',
        merged,
      ]);
      assert.equal(merge.code, 0, merge.stderr);
      assert.match(merge.stdout, /merged 2 reports \(2 agents\)/);
      assert.match(merge.stdout, /\n +4 +\d+ +\d+/);
      assert.match(merge.stdout, /\n +6 +\d+ +\d+/);
      const report = await readReport(merged);
      assert.equal(report.levels.length, 2);
      report.levels.forEach((level, index) => {
        const inputs = [a.levels[index]!, b.levels[index]!];
        assert.equal(level.concurrency, inputs[0]!.concurrency + inputs[1]!.concurrency);
        assert.equal(level.calls, inputs[0]!.calls + inputs[1]!.calls);
        const count = (histogram: string | null): number =>
          histogram ? decodeHistogram(histogram).totalCount : 0;
        const counts = inputs.map((input) => count(input.histogram));
        assert.equal(count(level.histogram), counts[0]! + counts[1]!);
        assert.equal(level.latencyMs?.count ?? 0, counts[0]! + counts[1]!);
        // A loaded machine can leave the first, smallest level without an answered call; never the second.
        if (index === 0 && inputs.some((input) => input.latencyMs === null)) return;
        for (const key of ['p50', 'p99'] as const) {
          const values = inputs.map((input) => input.latencyMs![key]);
          assert.ok(
            level.latencyMs![key] >= Math.min(...values) && level.latencyMs![key] <= Math.max(...values),
            `merged ${key} ${level.latencyMs![key]} outside the agents' ${values.join(', ')}`,
          );
        }
      });
      assert.equal(report.totals.calls, a.totals.calls + b.totals.calls);
      assert.equal(report.analysis.recommendedScaleAt, null, 'a fast demo: no knee, no ceiling, no advice');
      assert.match(report.analysis.recommendation, /^No limit found/);
    });
  });

  describe('bad, past and interrupted start times', { concurrency: false }, () => {
    before(() => agentsReady);
    const demo = demoForFile();

    test('--start-at: a bad time is one line and exit 2; a time already past starts at once with a warning', async () => {
      const bad = [
        ['soon', /--start-at: "soon" is not a time; give ISO 8601 with a zone/],
        ['2026-11-24T09:30:00', /--start-at: "2026-11-24T09:30:00" has no time zone; add Z/],
        ['2999-01-01T00:00:00Z', /--start-at: "2999-01-01T00:00:00Z" is more than 7 days away/],
      ] as const;
      const results = await Promise.all(bad.map(([value]) => runCli(['--headless', '--start-at', value])));
      results.forEach((result, index) => {
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, bad[index]![1]);
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      });
      const dir = await mkdtemp(join(tmpdir(), 'mle-late-'));
      const past = new Date(Date.now() - 60_000).toISOString();
      const late = await runCli(
        [
          '--headless',
          '--url',
          demo().url,
          '--mix',
          'fast:1',
          '-n',
          '1',
          '--duration',
          '2',
          '--jitter',
          '0',
          '--think',
          '50-100',
          '--warmup',
          '0',
          '--workers',
          '0',
          '--start-at',
          past,
          '--report',
          join(dir, 'late.json'),
        ],
        { timeoutMs: 30_000 },
      );
      assert.equal(late.code, 0, late.stderr);
      const passed =
        /warn: --start-at \S+ had passed (\d+\.\d) s before the load could start; started at once/.exec(
          late.stdout,
        );
      assert.ok(passed && Number(passed[1]) >= 60, late.stdout);
      const report = await readReport(join(dir, 'late.json'));
      assert.ok(report.actions.some((action) => /had passed/.test(action.detail)));
      assert.ok(report.levels[0]!.calls > 0);
    });

    test('interrupted while waiting: no load reaches the server, the report says so, exit 143 (SIGTERM)', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mle-wait-'));
      const server = demo();
      const before = await server.stats();
      const agent = startCli([
        '--headless',
        '--url',
        server.url,
        '--mix',
        'fast:1',
        '--steps',
        '2',
        '--start-at',
        '+1h',
        '--report',
        join(dir, 'waiting.json'),
      ]);
      await waitFor(
        () => /waiting to start at .* \(in 59m\d\ds\), then steps 2/.test(agent.output()),
        30_000,
        'waiting',
      );
      agent.child.kill('SIGTERM');
      const result = await agent.done;
      assert.equal(result.code, 143, `a run SIGTERM ended exits 128 + 15: ${result.stderr}`);
      const report = await readReport(join(dir, 'waiting.json'));
      assert.equal(report.endReason, 'interrupted');
      assert.deepEqual(report.levels, []);
      const after = await server.stats();
      // Only the preflight session (which lists the tools) was opened, and no tool was called.
      assert.equal(after.sessions.opened - before.sessions.opened, 1);
      assert.equal(after.calls.total, before.calls.total);
      assert.equal(after.sessions.active, 0);
    });
  });
});
