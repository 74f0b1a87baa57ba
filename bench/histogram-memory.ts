import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHistogram } from '../source/metrics/histogram.js';
import { ReportSchema } from '../source/report/report-schema.js';
import type { BenchContext, Scenario } from './bench-context.js';
import { startDemoServer, type BenchDemoServer } from './demo-server.js';
import { formatNumber, median, runsNote } from './figures.js';
import { cliPath, root } from './paths.js';

const NAME = 'histogram-memory';
/** The live figures' window (the default `--window`), tools in the mix, and worker threads. */
const WINDOW_S = 10;
const TOOLS = 3;
const WORKERS = 2;
/** The shorter run: this many levels of HOLD_S each, the concurrency alternating so that each is new. */
const LEVELS = 80;
const HOLD_S = 1.5;
/** Levels left out at the start, while the heap grows to its working size. */
const SETTLE_LEVELS = 15;

/** Histograms alive at once, whatever the length of the run (see `source/metrics`, `source/engine`). */
function liveHistograms(): number {
  const window = (WINDOW_S + 2) * (2 + TOOLS); // one-second slots and their running total: call, initialize, tools
  const level = 3 + TOOLS; // the level being held: call, initialize, close, tools
  const shards = 2 * WORKERS * (3 + TOOLS); // each worker's recorder, and its interval being merged
  return window + level + shards;
}

interface LevelsRun {
  /** Generator RSS growth per level after the first SETTLE_LEVELS (least-squares slope), KB. */
  readonly rssGrowthPerLevelKb: number;
  /** A finished level's summary in the report (kept in memory the same), KB. */
  readonly summaryKb: number;
}

async function levelsRun(context: BenchContext, server: BenchDemoServer, run: number): Promise<LevelsRun> {
  const label = `${NAME}-${run}`;
  const reportPath = join(context.tmpDir, `${label}.json`);
  const steps = Array.from({ length: LEVELS }, (_, index) => 20 + (index % 2)).join(',');
  const args = [
    ...[cliPath, '--url', server.url, '--pid', String(server.pid), '--headless', '--report', reportPath],
    ...['--steps', steps, '--hold', String(HOLD_S), '--warmup', '0.5', '--think', '0-20', '--jitter', '0'],
    ...['--mix', 'fast:1,work:1,sleep:1', '--args', 'sleep={"ms":5}', '--workers', String(WORKERS)],
  ];
  const child = context.registry.start(label, process.execPath, args, { cwd: root, graceMs: 30_000 });
  const code = await child.exited;
  const written = await readFile(reportPath, 'utf8').catch(() => null);
  if (code !== 0 || !written)
    throw new Error(`${label}: exited ${code}: ${child.stderr().trim().split('\n').at(-1)}`);
  const report = ReportSchema.parse(JSON.parse(written));
  const levels = report.levels.filter((level) => level.generator.rssBytes > 0);
  const settled = levels.slice(SETTLE_LEVELS);
  const first = settled[0];
  const last = settled.at(-1);
  if (!first || !last || settled.length < 10)
    throw new Error(`${label}: only ${levels.length} levels measured`);
  // A slope through every level, not two end points: one level's RSS peak moves a difference a lot.
  const xs = settled.map((level) => level.index);
  const ys = settled.map((level) => level.generator.rssBytes / 1024);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const growth =
    xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0) /
    xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  const summaryKb = median(report.levels.map((level) => JSON.stringify(level).length / 1024));
  context.progress(
    `${label}: ${report.levels.length} levels, RSS ${formatNumber(first.generator.rssBytes / 1e6)} → ` +
      `${formatNumber(last.generator.rssBytes / 1e6)} MB, ${formatNumber(summaryKb)} KB per level summary`,
  );
  return { rssGrowthPerLevelKb: growth, summaryKb };
}

/** Memory of the rolling window and level histograms: computed, then checked over many levels. */
export const histogramMemory: Scenario = async (context) => {
  const histogram = createHistogram();
  const bytes = histogram.estimatedFootprintInBytes;
  const live = liveHistograms();
  context.figure({
    scenario: NAME,
    text:
      `${formatNumber(bytes / 1024)} KB per histogram × at most ${live} alive (${WINDOW_S} s window, ` +
      `${TOOLS} tools, ${WORKERS} workers) = ${formatNumber((bytes * live) / 1e6)} MB, the same after 1 hour; ` +
      'a finished level keeps only its summary',
    target: 'bounded: computed',
    met: true,
    reproduce: context.reproduce(NAME),
  });
  const server = await startDemoServer(context.registry, ['--bottleneck', 'none']);
  try {
    const results: LevelsRun[] = [];
    for (let run = 1; run <= context.runs; run += 1) {
      const result = await context.attempt(() => levelsRun(context, server, run));
      if (result) results.push(result);
    }
    const growth = median(results.map((result) => result.rssGrowthPerLevelKb));
    const summary = median(results.map((result) => result.summaryKb));
    const heldBefore = ((3 + TOOLS) * bytes) / 1024;
    context.figure({
      scenario: NAME,
      text:
        `${LEVELS} levels of ${HOLD_S} s: generator RSS ${formatNumber(growth)} KB per level (a level's ` +
        `summary ${formatNumber(summary)} KB; keeping its histograms would be ${formatNumber(heldBefore)} KB)` +
        runsNote(results.length, context.runs),
      target: `target: well under ${formatNumber(heldBefore)} KB per level`,
      met: results.length > 0 && growth < heldBefore / 2,
      reproduce: context.reproduce(NAME),
    });
  } finally {
    await server.stop();
  }
};
