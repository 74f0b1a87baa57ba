import asciichart from 'asciichart';
import type { CapacityPoint } from '../analysis/capacity.js';
import { formatMs } from '../format/run-text.js';

export interface ChartInput {
  readonly points: readonly CapacityPoint[];
  readonly sloMs: number;
  readonly knee: number | null;
  readonly ceiling: number | null;
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
}

const LABEL_WIDTH = 8;
const YELLOW = '\u001B[33m';
const RED = '\u001B[31m';
const RESET = '\u001B[0m';

/** Writes `text` into `line` at `column`, extending it with spaces as needed. */
function place(line: string, column: number, text: string): string {
  const padded = line.padEnd(column, ' ');
  return padded.slice(0, column) + text + padded.slice(column + text.length);
}

/** The values at every `per`-th column, with the columns between them on the straight line joining them. */
function joined(values: readonly number[], per: number): number[] {
  const curve: number[] = [];
  values.forEach((value, index) => {
    const next = values[index + 1];
    if (next === undefined) return curve.push(value);
    for (let step = 0; step < per; step += 1) curve.push(value + ((next - value) * step) / per);
  });
  return curve;
}

/**
 * The P99-vs-N chart: one point per concurrency visited (spread evenly across the width), the SLO as a
 * second line, then the N axis and the knee and ceiling marks beneath their columns.
 */
export function renderCapacityChart(input: ChartInput): string[] {
  const { points, sloMs, width, height, color } = input;
  if (points.length === 0) {
    return ['P99 per concurrency level appears here once a level has run past its warm-up.'];
  }
  const columns = Math.max(8, width - LABEL_WIDTH - 2);
  const shown = points.slice(-Math.max(1, Math.floor(columns / 4)));
  const per = Math.max(1, Math.floor(columns / shown.length));
  const p99s = shown.map((point) => point.p99Ms);
  const highest = Math.max(...p99s);
  // Keep the SLO line on the chart unless it would squash the curve flat.
  const withSlo = sloMs <= highest * 4;
  const max = Math.max(highest, withSlo ? sloMs : 0) * 1.05 || 1;
  // P99 is known only at the levels visited: draw it there and join neighbours with straight lines, so
  // the chart shows no value between levels that was never measured as if it were (no staircase).
  const curve = shown.length === 1 ? Array<number>(per).fill(p99s[0]!) : joined(p99s, per);
  const series = withSlo ? [curve, Array<number>(curve.length).fill(sloMs)] : [curve];
  const plot = asciichart.plot(series, {
    min: 0,
    max,
    height: Math.max(2, height),
    offset: 2,
    padding: ' '.repeat(LABEL_WIDTH),
    format: (value: number) => formatMs(value).padStart(LABEL_WIDTH),
    // The curve keeps the terminal's colour; only the SLO line is red.
    colors: color ? [undefined as unknown as asciichart.Color, asciichart.red] : undefined,
  });
  let axis = '';
  let marks = '';
  const columnOf = (index: number): number => LABEL_WIDTH + 2 + index * per;
  shown.forEach((point, index) => {
    const column = columnOf(index);
    // A level whose P99 was still moving is marked `~`: its point may yet rise or fall.
    const label = `${point.concurrency}${point.settled ? '' : '~'}`;
    if (index === 0 || column >= axis.length + 1) axis = place(axis, column, label);
  });
  // The knee may fall between two visited levels: mark it where it falls.
  const knee = input.knee;
  const after = knee === null ? -1 : shown.findIndex((point) => point.concurrency >= knee);
  if (knee !== null && after >= 0) {
    const next = shown[after]!;
    const previous = shown[after - 1];
    const share = previous ? (knee - previous.concurrency) / (next.concurrency - previous.concurrency) : 0;
    const column = Math.round(previous ? columnOf(after - 1) + share * per : columnOf(after));
    marks = place(marks, column, `▲knee ${knee}`);
  }
  const ceilingIndex = shown.findIndex((point) => point.concurrency === input.ceiling);
  if (ceilingIndex >= 0) {
    const column = Math.max(columnOf(ceilingIndex), marks.trimEnd().length + 1);
    marks = place(marks, column, `✖ceiling ${input.ceiling}`);
  }
  if (color) {
    marks = marks.replace(/▲knee \d+/, (text) => `${YELLOW}${text}${RESET}`);
    marks = marks.replace(/✖ceiling \d+/, (text) => `${RED}${text}${RESET}`);
  }
  const lines = [...plot.split('\n'), `${'N'.padStart(LABEL_WIDTH)}  ${axis.slice(LABEL_WIDTH + 2)}`];
  if (marks.trim()) lines.push(marks);
  const moving = shown.filter((point) => !point.settled).map((point) => point.concurrency);
  if (moving.length > 0)
    lines.push(`${''.padStart(LABEL_WIDTH)}  ~ P99 not settled at N=${moving.join(', ')}: hold longer`);
  if (!withSlo) lines.push(`${''.padStart(LABEL_WIDTH)}  SLO ${formatMs(sloMs)} ms is far above every point`);
  return lines;
}
