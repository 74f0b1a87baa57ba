import type { BenchContext, Scenario } from './bench-context.js';
import { startDemoServer, type BenchDemoServer } from './demo-server.js';
import { formatNumber, formatPercent, median, percentDifference, runsNote } from './figures.js';
import { runLoad, type DisplayMode, type LevelReport, type LoadRun } from './load-cli.js';

const NAME = 'fidelity';
/** Sessions held while TUI and headless are compared. */
const SESSIONS = 500;
/** Sessions held while the event-loop delay is read. */
const LOOP_SESSIONS = 1000;
/** Long enough for every session to be initialized and the arrival burst's slow calls to be answered. */
const WARMUP_S = 8;
const HOLD_S = 18;
const LOOP_HOLD_S = 6;
/** The TUI may move p50 by at most this much, in %. */
const P50_TARGET_PERCENT = 5;

/** Sessions held open (huge session-calls), 50 ms fixed-latency calls with 1–2 s think time. */
function workload(concurrency: number): string[] {
  return [
    ...['--concurrency', String(concurrency), '--think', '1000-2000', '--jitter', '2000'],
    ...['--session-calls', '1000000-1000000', '--mix', 'sleep:1', '--args', 'sleep={"ms":50}'],
  ];
}

function describe(run: LoadRun): string {
  const { latencyMs, calls, generator, serverCpuPercent } = run.level;
  const frames = run.frames === null ? '' : `, ${run.frames} TUI frames`;
  return (
    `p50 ${formatNumber(latencyMs?.p50 ?? Number.NaN)} p99 ${formatNumber(latencyMs?.p99 ?? Number.NaN)} ms, ` +
    `${calls} calls, generator cpu ${formatNumber(generator.cpuPercent)}% ` +
    `loop p99 ${formatNumber(generator.eventLoopDelayP99Ms)} ms, server cpu ${formatNumber(serverCpuPercent ?? Number.NaN)}%${frames}`
  );
}

async function measure(
  context: BenchContext,
  server: BenchDemoServer,
  mode: DisplayMode,
  concurrency: number,
  holdS: number,
  label: string,
): Promise<LevelReport | null> {
  return context.attempt(async () => {
    const run = await runLoad(context.registry, {
      server,
      mode,
      workload: workload(concurrency),
      warmupS: WARMUP_S,
      holdS,
      tmpDir: context.tmpDir,
      label,
    });
    for (const warning of run.warnings) context.warn(warning);
    context.progress(`${label}: ${describe(run)}`);
    return run.level;
  });
}

/** Does drawing the TUI change what is measured? The same load with and without it, interleaved. */
export const fidelity: Scenario = async (context) => {
  const server = await startDemoServer(context.registry, ['--bottleneck', 'none']);
  try {
    const levels: Record<DisplayMode, LevelReport[]> = { tui: [], headless: [] };
    for (let run = 1; run <= context.runs; run += 1) {
      // ABBA order, so that drift over the bench (JIT, server state) falls on both sides alike.
      const order: DisplayMode[] = run % 2 === 1 ? ['tui', 'headless'] : ['headless', 'tui'];
      for (const mode of order) {
        const level = await measure(context, server, mode, SESSIONS, HOLD_S, `${NAME}-${mode}-${run}`);
        if (level) levels[mode].push(level);
      }
    }
    const at = (mode: DisplayMode, percentile: 'p50' | 'p99'): number =>
      median(levels[mode].map((level) => level.latencyMs?.[percentile] ?? Number.NaN));
    for (const percentile of ['p50', 'p99'] as const) {
      const tui = at('tui', percentile);
      const headless = at('headless', percentile);
      const difference = percentDifference(tui, headless);
      context.figure({
        scenario: NAME,
        text:
          `${percentile} at ${SESSIONS} sessions, TUI ${formatNumber(tui)} ms vs headless ` +
          `${formatNumber(headless)} ms: ${formatPercent(difference)}` +
          runsNote(Math.min(levels.tui.length, levels.headless.length), context.runs),
        target:
          percentile === 'p50' ? `target ≤ ${P50_TARGET_PERCENT}%` : 'no target, the tail for information',
        met: percentile === 'p50' ? Math.abs(difference) <= P50_TARGET_PERCENT : null,
        reproduce: context.reproduce(NAME),
      });
    }

    const loopDelays: number[] = [];
    for (let run = 1; run <= context.runs; run += 1) {
      const label = `${NAME}-loop-${run}`;
      const level = await measure(context, server, 'headless', LOOP_SESSIONS, LOOP_HOLD_S, label);
      if (level) loopDelays.push(level.generator.eventLoopDelayP99Ms);
    }
    context.figure({
      scenario: NAME,
      text:
        `generator event-loop delay p99 at ${LOOP_SESSIONS} sessions (headless) ` +
        `${formatNumber(median(loopDelays))} ms${runsNote(loopDelays.length, context.runs)}`,
      target: 'no target, lower is better',
      met: null,
      reproduce: context.reproduce(NAME),
    });
  } finally {
    await server.stop();
  }
};
