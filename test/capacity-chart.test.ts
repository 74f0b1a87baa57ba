import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCapacityChart } from '../source/chart/capacity-chart.js';

const point = (concurrency: number, p99Ms: number) => ({
  concurrency,
  p99Ms,
  settled: true,
  calls: 100,
  errors: 0,
});

/** The row (from the top) of the curve's character in each plot column, skipping the label columns. */
function curveRows(lines: readonly string[], from: number, to: number): (number | null)[] {
  const plot = lines.slice(0, -2);
  const rows: (number | null)[] = [];
  for (let column = from; column <= to; column += 1) {
    const row = plot.findIndex((line) => /[─╭╮╰╯│]/.test(line[column] ?? ' '));
    rows.push(row < 0 ? null : row);
  }
  return rows;
}

test('the chart joins measured P99s with lines: between two levels the curve climbs gradually, not as one step', () => {
  const lines = renderCapacityChart({
    points: [point(1, 0), point(2, 1000)],
    sloMs: 100_000,
    knee: null,
    ceiling: null,
    width: 60,
    height: 10,
    color: false,
  });
  // Columns of the curve between N=1 (column 10) and N=2 (column 10 + per).
  const rows = curveRows(lines, 11, 30).filter((row): row is number => row !== null);
  const distinct = new Set(rows);
  assert.ok(
    distinct.size >= 5,
    `a staircase has 2 rows; a line through 10 rows of height has many: ${[...distinct]}`,
  );
});
