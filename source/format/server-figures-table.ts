import type { LevelSummary } from '../engine/levels.js';

const cell = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : String(Math.round(value * 100) / 100);

/** Levels that carry the server's own figures (`--server-metrics`). */
function withServerFigures(levels: readonly LevelSummary[]): {
  readonly levels: readonly LevelSummary[];
  readonly series: readonly string[];
} {
  const series = [...new Set(levels.flatMap((level) => Object.keys(level.serverSeries ?? {})))];
  const shown = levels.filter(
    (level) =>
      Object.keys(level.serverSeries ?? {}).length > 0 ||
      (level.serverEventLoopDelayP99Ms ?? null) !== null ||
      (level.serverGcMsPerS ?? null) !== null,
  );
  return { levels: shown, series };
}

/** Rows of N, server loop delay, GC and each followed series (mean / max), or none. */
function rows(levels: readonly LevelSummary[]): { header: string[]; rows: string[][] } | null {
  const found = withServerFigures(levels);
  if (found.levels.length === 0) return null;
  return {
    header: ['N', 'loop p99 ms', 'gc ms/s', ...found.series.map((name) => `${name} mean/max`)],
    rows: found.levels.map((level) => [
      String(level.concurrency),
      cell(level.serverEventLoopDelayP99Ms),
      cell(level.serverGcMsPerS),
      ...found.series.map((name) => {
        const series = level.serverSeries?.[name];
        return series ? `${cell(series.mean)}/${cell(series.max)}` : '–';
      }),
    ]),
  };
}

/** The server's own figures per level, as plain text for the end-of-run summary ('' when none). */
export function serverFiguresText(levels: readonly LevelSummary[]): string {
  const table = rows(levels);
  if (!table) return '';
  const widths = table.header.map((title, column) =>
    Math.max(title.length, ...table.rows.map((row) => row[column]!.length)),
  );
  const line = (row: string[]): string =>
    row.map((text, column) => text.padStart(widths[column]!)).join('  ');
  return [
    "the server's own metrics per level (--server-metrics):",
    line(table.header),
    ...table.rows.map(line),
  ].join('\n');
}

/** The same as a Markdown section (none when no level has them). */
export function serverFiguresMarkdown(levels: readonly LevelSummary[]): string[] {
  const table = rows(levels);
  if (!table) return [];
  return [
    "## The server's own metrics per level",
    '',
    `| ${table.header.join(' | ')} |`,
    `| ${table.header.map(() => '---:').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
}
