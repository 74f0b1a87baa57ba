import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wrapLines } from '../source/format/fit-text.js';
import { levelTable, planProgress, protocolRows, statusLine } from '../source/format/run-text.js';
import { CeilingSearch } from '../source/engine/ceiling-search.js';
import { ConfigSchema } from '../source/config/schema.js';
import { renderMarkdown } from '../source/report/markdown-report.js';
import { buildReport } from '../source/report/write-report.js';
import { levelFixture, snapshotFixture } from './support/fake-engine.js';

test('the summary table fits 80 columns, groups rows by N and leaves out levels left before their warm-up', () => {
  const passedThrough = (index: number, n: number) => ({
    ...levelFixture(index, n, 0),
    durationMs: 0,
    calls: 0,
    latencyMs: null,
  });
  const levels = [
    { ...levelFixture(0, 10, 123_456), calls: 1_234_567, throughput: 4321.5 },
    passedThrough(1, 11),
    passedThrough(2, 12),
    levelFixture(3, 25, 900),
    levelFixture(4, 10, 80),
    passedThrough(5, 0),
  ];
  const lines = levelTable(levels).split('\n');
  for (const line of lines) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
  const rows = lines.slice(1, -1).map((line) => Number(line.trim().split(/\s+/)[0]));
  assert.deepEqual(rows, [10, 10, 25], 'N=10 held twice shows twice, together; 0-second levels are not rows');
  assert.match(lines.at(-1)!, /3 levels passed through before the warm-up ended/);
  const open = levelTable([{ ...levelFixture(0, 7, 5000), arrivalRate: 2.5 }]).split('\n');
  for (const line of open) assert.ok(line.length <= 80, `open model, ${line.length} columns: ${line}`);
});

test('headless status lines show the step plan’s progress and the time left until it ends', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  const plan = {
    steps: [5, 10, 20, 40],
    holdS: 300,
    stepIndex: 1,
    stepEndsAt: '2026-12-01T10:01:40Z',
    complete: false,
  };
  // 100 s left of step 2, then two more holds of 300 s: 700 s.
  assert.equal(planProgress(plan, now), ' step 2/4 · 11:40 left');
  assert.equal(
    planProgress({ ...plan, stepIndex: 3, stepEndsAt: '2026-12-01T11:00:05Z' }, now),
    ' step 4/4 · 1:00:05 left',
  );
  assert.equal(planProgress({ ...plan, complete: true }, now), ' plan complete');
});

test('--find-ceiling status lines show the bracket (last good N, first bad N, the probe), not a step count', () => {
  const search = new CeilingSearch(10, () => 2000);
  const outcome = (p99Ms: number) => () => ({ p99Ms, calls: 100, errors: 0, settled: true });
  search.start(0);
  for (const p99 of [300, 300, 300, 300, 2500])
    search.advance(search.state().steps.length * 10_000, outcome(p99));
  // 1, 2, 4, 8 good, 16 bad: the probe is now 12, its hold ending 10 s after it began at 50 s.
  const snapshot = snapshotFixture({
    startedAt: new Date(0).toISOString(),
    elapsedMs: 52_000,
    plan: search.state(),
  });
  const line = statusLine(snapshot);
  assert.match(line, /ceiling: last good N=8 · first bad N=16 · probing N=12 · 0:08 left of this level/);
  assert.doesNotMatch(line, /step \d+\/\d+/, 'no count of steps that grows as the search goes');
  const before = statusLine({ ...snapshot, plan: { ...search.state(), bracket: { good: 0, bad: null } } });
  assert.match(before, /last good none yet · first bad none yet/);
  search.advance(60_000, outcome(300));
  search.advance(70_000, outcome(300));
  assert.match(
    statusLine({ ...snapshot, plan: search.state() }),
    /ceiling found: last good N=14 · first bad N=16/,
  );
});

test('the Markdown report leaves out levels passed through before their warm-up ended, as the summary does', () => {
  const passedThrough = { ...levelFixture(1, 11, 0), durationMs: 0, calls: 0, latencyMs: null };
  const levels = [levelFixture(0, 10, 80), passedThrough, levelFixture(2, 25, 900)];
  const report = buildReport({
    snapshot: snapshotFixture({ levels }),
    config: ConfigSchema.parse({ mix: 'fast:1' }),
    server: null,
    endReason: 'quit',
  });
  const markdown = renderMarkdown(report);
  const rows = markdown.split('\n').filter((line) => /^\| \d+ \| \d+ \|/.test(line));
  assert.deepEqual(
    rows.map((line) => Number(line.split('|')[1])),
    [10, 25],
  );
  assert.match(markdown, /\(1 level passed through before the warm-up ended: not measured, not shown\)/);
  assert.equal(report.levels.length, 3, 'the JSON report keeps every level');
});

test('the per-revision rows of a protocol mix fit 80 columns with six-digit calls and four-digit latencies', () => {
  const latencyMs = {
    p50: 1234.5,
    p90: 2345.6,
    p95: 3000,
    p99: 3456.7,
    p999: 9000,
    max: 9876.5,
    mean: 1500,
    count: 123_456,
  };
  const rows = protocolRows({
    '2025-11-25': { calls: 123_456, errors: 1234, latencyMs },
    '2026-07-28': { calls: 99_999, errors: 0, latencyMs },
  });
  const lines = rows.split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /^ {2}2025-11-25 {2}calls 123456 {2}errors 1234 {2}p50=/);
  for (const line of lines) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
});

test('on a terminal the summary wraps a long finding at spaces, indented, and leaves lines that fit alone', () => {
  const finding =
    'No limit found yet: N=15 (49 calls) had under the 100 calls a P99 needs; hold the levels longer.';
  const text = ['    N  secs   calls', finding, '  - fewer than two levels measured'].join('\n');
  const lines = wrapLines(text, 80).split('\n');
  assert.deepEqual(lines, [
    '    N  secs   calls',
    'No limit found yet: N=15 (49 calls) had under the 100 calls a P99 needs; hold',
    '  the levels longer.',
    '  - fewer than two levels measured',
  ]);
  assert.equal(
    lines
      .slice(1, 3)
      .map((line) => line.trim())
      .join(' '),
    finding,
  );
});
