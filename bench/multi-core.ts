import type { BenchContext, Scenario } from './bench-context.js';
import { startDemoServer, type BenchDemoServer } from './demo-server.js';
import { formatNumber, formatPercent, median, percentDifference, runsNote } from './figures.js';
import { microsPerCall, runLoad, saturatingWorkload } from './load-cli.js';

const NAME = 'multi-core';
const SESSIONS = 200;
const WARMUP_S = 6;
const HOLD_S = 10;

interface WorkerRun {
  readonly throughput: number;
  readonly microsPerCall: number;
}

/** The cpu-per-call load, wider: 200 sessions, no think time, a tool that answers at once. */
async function measure(
  context: BenchContext,
  server: BenchDemoServer,
  workers: number,
  run: number,
): Promise<WorkerRun> {
  const label = `${NAME}-${workers}-${run}`;
  const result = await runLoad(context.registry, {
    server,
    mode: 'headless',
    workload: saturatingWorkload(SESSIONS, workers),
    warmupS: WARMUP_S,
    holdS: HOLD_S,
    tmpDir: context.tmpDir,
    label,
  });
  for (const warning of result.warnings) context.warn(warning);
  const { generator, throughput, serverCpuPercent } = result.level;
  const micros = microsPerCall(result.level);
  context.progress(
    `${label}: ${formatNumber(throughput)} calls/s, ${formatNumber(micros)} µs/call, generator cpu ` +
      `${formatNumber(generator.cpuPercent)}%, server cpu ${formatNumber(serverCpuPercent ?? Number.NaN)}%`,
  );
  return { throughput, microsPerCall: micros };
}

/** The same load with one worker and with two, interleaved: what the second worker adds. */
export const multiCore: Scenario = async (context) => {
  const server = await startDemoServer(context.registry, ['--bottleneck', 'none', '--fast-ms', '0']);
  try {
    const runs: Record<1 | 2, WorkerRun[]> = { 1: [], 2: [] };
    for (let run = 1; run <= context.runs; run += 1) {
      const order: (1 | 2)[] = run % 2 === 1 ? [1, 2] : [2, 1];
      for (const workers of order) {
        const result = await context.attempt(() => measure(context, server, workers, run));
        if (result) runs[workers].push(result);
      }
    }
    const throughput = (workers: 1 | 2): number => median(runs[workers].map((r) => r.throughput));
    const micros = (workers: 1 | 2): number => median(runs[workers].map((r) => r.microsPerCall));
    context.figure({
      scenario: NAME,
      text:
        `${SESSIONS} sessions, no think time: 1 worker ${formatNumber(throughput(1))} calls/s ` +
        `(${formatNumber(micros(1))} µs/call), 2 workers ${formatNumber(throughput(2))} calls/s ` +
        `(${formatNumber(micros(2))} µs/call): second worker ${formatPercent(percentDifference(throughput(2), throughput(1)))} calls/s` +
        runsNote(Math.min(runs[1].length, runs[2].length), context.runs),
      target: 'no target; the server shares these 2 cores',
      met: null,
      reproduce: context.reproduce(NAME),
    });
  } finally {
    await server.stop();
  }
};
