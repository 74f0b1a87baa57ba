import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { cliPath, freePort, runCli } from './support/processes.js';
import { processesMatching } from './support/proc.js';

test('--steps walks the levels on a --spawn-ed server, tracks its RSS, and stops it at the end', async () => {
  const port = await freePort();
  const reportFile = join(await mkdtemp(join(tmpdir(), 'mle-steps-')), 'run.json');
  const result = await runCli([
    '--spawn',
    `"${process.execPath}" ${cliPath} demo-server --port ${port} --bottleneck none`,
    '--url',
    `http://127.0.0.1:${port}/mcp`,
    '--steps',
    '2,4',
    '--hold',
    '3',
    '--warmup',
    '1',
    '--think',
    '50-100',
    '--jitter',
    '0',
    '--mix',
    'fast:3,stats:1',
    '--assert',
    'p99<5000',
    '--assert',
    'errors<1%',
    '--report',
    reportFile,
    '--report-md',
    `${reportFile}.md`,
    '--report-csv',
    `${reportFile}.csv`,
    '--headless',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /step 1\/2/);
  assert.match(result.stdout, /step 2\/2/);
  const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
  assert.equal(report.endReason, 'plan-complete');
  assert.deepEqual(
    report.assertions.map((result) => [result.expression, result.passed]),
    [
      ['p99<5000', true],
      ['errors<1%', true],
    ],
  );
  assert.match(result.stderr, /assert p99<5000: passed \(worst [\d.]+ at N=\d\)/);
  assert.equal(report.analysis.ceilingConcurrency, null, 'a fast server stays within the SLO');
  // Neither a knee nor a ceiling: no scaling advice, only what was learned.
  assert.equal(report.analysis.recommendedScaleAt, null);
  assert.match(result.stdout, /knee - · ceiling - · cliff - sessions/);
  assert.deepEqual(
    report.levels.map((level) => level.concurrency),
    [2, 4],
  );
  for (const level of report.levels) {
    assert.ok(
      level.durationMs >= 1500 && level.durationMs <= 3500,
      `measured ${level.durationMs} ms after warm-up`,
    );
    assert.ok(level.serverRssBytes !== null && level.serverRssBytes > 10_000_000, 'server RSS tracked');
    assert.ok(level.serverCpuPercent !== null);
    assert.ok(level.calls > 0);
  }
  assert.ok(
    report.levels[1]!.throughput > report.levels[0]!.throughput * 1.4,
    'twice the sessions, more calls',
  );
  assert.ok(report.actions.some((action) => action.kind === 'step' && action.detail === 'concurrency=4'));
  const markdown = await readFile(`${reportFile}.md`, 'utf8');
  assert.match(markdown, /^# MCP capacity run: streamable-http: http:\/\/127\.0\.0\.1:\d+\/mcp/);
  // Up to N = 4, or "yet" when a 2-second level had under the 100 calls a P99 needs.
  assert.match(
    markdown,
    /## Findings\n\n\*\*No limit found (up to N = [24]; P99 \d+ ms \(SLO \d+ ms\)|yet: N=)/,
  );
  assert.doesNotMatch(markdown, /Scale out/);
  assert.match(markdown, /\| 2 \| \d+ \| \d+ \|/);
  assert.match(markdown, /\| \S+ \| step \| concurrency=4 \|/);
  assert.match(markdown, /`p99<5000`: passed/);
  const csv = (await readFile(`${reportFile}.csv`, 'utf8')).trim().split('\n');
  assert.equal(csv.length, 3);
  assert.match(csv[0]!, /^index,concurrency,started_at,duration_ms,calls,/);
  assert.deepEqual(
    csv.slice(1).map((line) => line.split(',')[1]),
    ['2', '4'],
  );
  assert.deepEqual(
    processesMatching(cliPath, 'demo-server', `--port ${port}`),
    [],
    'the spawned server was stopped',
  );
});
