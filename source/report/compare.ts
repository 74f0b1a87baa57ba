import asciichart from 'asciichart';
import { readFile } from 'node:fs/promises';
import { capacityPoints } from '../analysis/capacity.js';
import { formatMs } from '../format/run-text.js';
import { ReportSchema, type Report } from './report-schema.js';

/** A level whose P99 got worse by more than this share (and 10 ms) is a regression. @default 0.2 */
export const REGRESSION_SHARE = 0.2;

export interface Comparison {
  readonly rows: readonly { concurrency: number; baseP99: number; newP99: number; regression: boolean }[];
  readonly ceilingBase: number | null;
  readonly ceilingNew: number | null;
  readonly regressions: number;
}

export async function readReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON; give a mcp-load-explorer JSON report (--report FILE.json)`);
  }
  const parsed = ReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')}: ${issue.message})` : '';
    throw new Error(`${file}: not a mcp-load-explorer JSON report (--report FILE.json)${where}`);
  }
  return parsed.data;
}

/** P99 per concurrency in both runs, matched on N; regressions flagged. */
export function compareReports(base: Report, next: Report): Comparison {
  const before = new Map(capacityPoints(base.levels).map((point) => [point.concurrency, point.p99Ms]));
  const rows = capacityPoints(next.levels)
    .filter((point) => before.has(point.concurrency))
    .map((point) => {
      const baseP99 = before.get(point.concurrency)!;
      const regression = point.p99Ms > baseP99 * (1 + REGRESSION_SHARE) && point.p99Ms - baseP99 > 10;
      return { concurrency: point.concurrency, baseP99, newP99: point.p99Ms, regression };
    });
  return {
    rows,
    ceilingBase: base.analysis.ceilingConcurrency,
    ceilingNew: next.analysis.ceilingConcurrency,
    regressions:
      rows.filter((row) => row.regression).length +
      (next.analysis.ceilingConcurrency !== null &&
      (base.analysis.ceilingConcurrency === null ||
        next.analysis.ceilingConcurrency < base.analysis.ceilingConcurrency)
        ? 1
        : 0),
  };
}

/** The two P99-vs-N curves overlaid (base grey, new red) and a table of the levels both runs held. */
export function renderComparison(comparison: Comparison, color: boolean): string {
  const { rows } = comparison;
  if (rows.length === 0) return 'the two runs held no concurrency level in common: nothing to compare';
  const per = Math.max(1, Math.floor(60 / rows.length));
  const stretch = (values: number[]): number[] => values.flatMap((value) => Array<number>(per).fill(value));
  const chart = asciichart.plot(
    [stretch(rows.map((row) => row.baseP99)), stretch(rows.map((row) => row.newP99))],
    {
      height: 10,
      min: 0,
      format: (value: number) => formatMs(value).padStart(8),
      colors: color ? [asciichart.darkgray, asciichart.red] : undefined,
    },
  );
  const table = rows.map(
    (row) =>
      `${String(row.concurrency).padStart(6)} ${formatMs(row.baseP99).padStart(9)} ${formatMs(row.newP99).padStart(9)}  ${row.regression ? 'REGRESSION' : ''}`,
  );
  const ceiling = `ceiling: base ${comparison.ceilingBase ?? '-'} → new ${comparison.ceilingNew ?? '-'}`;
  return [
    'P99 vs N: base (grey) and new (red), ms',
    chart,
    '',
    '     N  base p99   new p99',
    ...table,
    ceiling,
    comparison.regressions > 0 ? `${comparison.regressions} regression(s)` : 'no regression',
  ].join('\n');
}
