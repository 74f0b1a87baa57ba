import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { runCli, startCli, waitFor } from './support/processes.js';
import { demoForFile } from './support/servers.js';

interface Line {
  readonly type: string;
  readonly [key: string]: unknown;
}

const readLines = async (file: string): Promise<Line[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

const elapsedOf = (line: Line): number => (line['snapshot'] as { elapsedMs: number }).elapsedMs;

/** The level rows of a summary: what the run printed, and what the replay must print the same. */
const levelRows = (text: string): string =>
  /levels \(latency[^\n]*\n([\s\S]*?)\nsessions opened/.exec(text)?.[1] ?? '';

// The tests wait on their runs and assert no server counts: side by side, on one demo.
describe('record and replay', { concurrency: 2 }, () => {
  const demo = demoForFile();

  test('--record writes a frame a second, every level and action; replay plays the same run back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-record-'));
    const recordFile = join(dir, 'run.ndjson');
    const reportFile = join(dir, 'run.json');
    const run = await runCli([
      ...['--url', demo().url, '--mix', 'fast:1', '--steps', '2,4', '--hold', '3', '--warmup', '1'],
      ...['--think', '100-200', '--jitter', '0', '--workers', '1', '--headless'],
      ...['--record', recordFile, '--report', reportFile],
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await stat(recordFile)).mode & 0o777, 0o600, 'readable by the user only');
    const lines = await readLines(recordFile);
    const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));

    assert.equal(lines[0]?.type, 'header');
    assert.deepEqual(lines.at(-1)?.type === 'end' && lines.at(-1)?.['reason'], 'plan-complete');
    const frames = lines.filter((line) => line.type === 'frame');
    const seconds = frames.map((line) => Math.floor(elapsedOf(line) / 1000));
    // One frame per second of run time (6 s of steps) and a final one at the stop.
    assert.ok(frames.length >= 6 && frames.length <= 10, `${frames.length} frames`);
    assert.deepEqual(
      seconds.slice(0, -1),
      [...new Set(seconds.slice(0, -1))].sort((a, b) => a - b),
    );
    const levels = lines
      .filter((line) => line.type === 'level')
      .map((line) => line['level'] as Record<string, unknown>);
    assert.deepEqual(
      levels.map((level) => [
        level['concurrency'],
        level['calls'],
        (level['latencyMs'] as { p99: number }).p99,
      ]),
      report.levels.map((level) => [level.concurrency, level.calls, level.latencyMs?.p99]),
      'the recorded levels are the report levels',
    );
    const actions = lines
      .filter((line) => line.type === 'action')
      .map(({ at, kind, detail }) => ({ at, kind, detail }));
    assert.deepEqual(actions, report.actions);
    assert.ok(actions.some((action) => action.detail === 'concurrency=4'));

    const replay = await runCli(['replay', recordFile]);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, new RegExp(`${frames.length} recorded seconds`));
    assert.match(replay.stdout, /step 1\/2 · \d+:\d\d left {2}N=\d\/2/);
    assert.match(replay.stdout, /step 2\/2 · \d+:\d\d left {2}N=\d\/4/);
    assert.match(replay.stdout, /step: concurrency=4/);
    assert.match(replay.stdout, /the run ended: plan-complete/);
    assert.ok(levelRows(run.stdout).length > 0, run.stdout);
    assert.equal(levelRows(replay.stdout), levelRows(run.stdout), 'the replay ends on the run’s own summary');
  });

  test('a killed run loses at most its last second: the recording is written as it goes', async () => {
    const recordFile = join(await mkdtemp(join(tmpdir(), 'mle-record-')), 'crash.ndjson');
    const cli = startCli([
      ...['--url', demo().url, '--mix', 'fast:1', '--concurrency', '3', '--think', '100-200'],
      ...['--jitter', '0', '--workers', '0', '--duration', '60', '--headless', '--record', recordFile],
    ]);
    const frameCount = async (): Promise<number> =>
      (await readLines(recordFile).catch(() => [])).filter((line) => line.type === 'frame').length;
    await waitFor(async () => (await frameCount()) >= 4, 20_000, 'four recorded seconds');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const killedAt = Date.now();
    cli.child.kill('SIGKILL');
    await cli.done;
    const lines = await readLines(recordFile);
    assert.notEqual(lines.at(-1)?.type, 'end', 'a killed run writes no end line');
    const last = lines.filter((line) => line.type === 'frame').at(-1)!;
    const lostMs = killedAt - Date.parse(last['at'] as string);
    assert.ok(lostMs <= 1500, `the last frame was written ${lostMs} ms before the kill`);
    const replay = await runCli(['replay', recordFile]);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /the recording stops without an end line: the run crashed or was killed/);
    assert.match(replay.stdout, /calls=[1-9]\d*/);
  });

  test('replay refuses what is not a recording with one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-replay-bad-'));
    const report = join(dir, 'report.json');
    await writeFile(report, '{"tool":"mcp-load-explorer","levels":[]}\n');
    const garbled = join(dir, 'garbled.ndjson');
    const header =
      '{"type":"header","tool":"mcp-load-explorer","version":1,"startedAt":"x","target":{"transport":"stdio"},"tools":[]}';
    await writeFile(garbled, `${header}\nnot json\n{"type":"end","at":"x","reason":"quit"}\n`);
    const cases: [string[], RegExp][] = [
      [['replay'], /replay: give one recording file/],
      [['replay', join(dir, 'missing.ndjson')], /replay: cannot read .*missing\.ndjson: ENOENT/],
      [['replay', report], /is not a mcp-load-explorer recording \(record one with --record FILE\)/],
      [['replay', garbled], /garbled\.ndjson line 2 is not JSON/],
      [['replay', report, '--speed', '0'], /replay --speed: a positive number/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((result, index) => {
      const [args, message] = cases[index]!;
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    });
  });
});
