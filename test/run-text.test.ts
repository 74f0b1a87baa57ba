import assert from 'node:assert/strict';
import { test } from 'node:test';
import { levelTable } from '../source/format/run-text.js';
import { levelFixture } from './support/fake-engine.js';

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
