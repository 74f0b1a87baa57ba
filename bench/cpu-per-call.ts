import type { BenchContext, Scenario } from './bench-context.js';
import { SERVER_KINDS, startServerOfKind, type BenchDemoServer, type ServerKind } from './demo-server.js';
import { formatNumber, median, runsNote } from './figures.js';
import { microsPerCall, runLoad, saturatingWorkload } from './load-cli.js';
import { plainClientPath, root } from './paths.js';
import type { PlainClientResult } from './plain-sdk-client.js';

const NAME = 'cpu-per-call';
const SESSIONS = 50;
const WARMUP_S = 2;
const HOLD_S = 10;
/** Generator CPU per tool call the explorer should stay under, µs. */
const TARGET_MICROS = 100;

/** µs of generator CPU per call of the explorer: its mean CPU over the measured period, shared out. */
async function explorerMicrosPerCall(
  context: BenchContext,
  server: BenchDemoServer,
  run: string,
): Promise<number> {
  const label = `${NAME}-explorer-${run}`;
  const result = await runLoad(context.registry, {
    server,
    mode: 'headless',
    // One worker: on 2 cores shared with the server a second one costs more than it adds (see multi-core).
    workload: saturatingWorkload(SESSIONS, 1),
    warmupS: WARMUP_S,
    holdS: HOLD_S,
    tmpDir: context.tmpDir,
    label,
  });
  for (const warning of result.warnings) context.warn(warning);
  const { generator, durationMs, calls, serverCpuPercent } = result.level;
  const micros = microsPerCall(result.level);
  context.progress(
    `${label}: ${formatNumber(micros)} µs/call, ${calls} calls in ${formatNumber(durationMs / 1000)} s, ` +
      `generator cpu ${formatNumber(generator.cpuPercent)}%, loop p99 ${formatNumber(generator.eventLoopDelayP99Ms)} ms, ` +
      `server cpu ${formatNumber(serverCpuPercent ?? Number.NaN)}%`,
  );
  return micros;
}

/** µs of CPU per call of `bench/plain-sdk-client.ts`, which measures itself. */
async function plainMicrosPerCall(
  context: BenchContext,
  server: BenchDemoServer,
  run: string,
): Promise<number> {
  const label = `${NAME}-plain-${run}`;
  const before = await server.stats();
  const args = [
    ...['--import', 'tsx', plainClientPath, '--url', server.url, '--sessions', String(SESSIONS)],
    ...['--warmup-s', String(WARMUP_S), '--duration-s', String(HOLD_S)],
  ];
  const child = context.registry.start(label, process.execPath, args, { cwd: root, graceMs: 5000 });
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    child.exited,
    new Promise<'late'>(
      (resolve) => (timer = setTimeout(() => resolve('late'), (WARMUP_S + HOLD_S + 60) * 1000)),
    ),
  ]);
  clearTimeout(timer);
  if (code === 'late') await child.stop();
  const line = child.stdout().trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(
      `${label}: the plain SDK client failed (${code}): ${child.stderr().trim().split('\n').at(-1)}`,
    );
  const result = JSON.parse(line) as PlainClientResult;
  const after = await server.stats();
  if (result.errors > 0) context.warn(`${label}: ${result.errors} calls failed`);
  if (after.sessions.active !== before.sessions.active)
    context.warn(
      `${label}: ${after.sessions.active - before.sessions.active} sessions were left open on the server`,
    );
  context.progress(
    `${label}: ${formatNumber(result.microsPerCall)} µs/call, ${result.calls} calls in ` +
      `${formatNumber(result.wallMs / 1000)} s, cpu ${formatNumber(result.cpuMicros / 10 / result.wallMs)}%`,
  );
  return result.microsPerCall;
}

const ratio = (value: number, base: number): string =>
  Number.isFinite(value / base) ? (value / base).toFixed(2) : '-';

/** Generator CPU per tool call, against the same load from a plain SDK client loop, per server kind. */
export const cpuPerCall: Scenario = async (context) => {
  for (const kind of context.servers) await measureAgainst(context, kind);
};

async function measureAgainst(context: BenchContext, kind: ServerKind): Promise<void> {
  const server = await startServerOfKind(context.registry, kind, ['--bottleneck', 'none', '--fast-ms', '0']);
  try {
    const explorer: number[] = [];
    const plain: number[] = [];
    const measureExplorer = async (run: number): Promise<void> => {
      const micros = await context.attempt(() => explorerMicrosPerCall(context, server, `${kind}-${run}`));
      if (micros !== null) explorer.push(micros);
    };
    for (let run = 1; run <= context.runs; run += 1) {
      // Alternate which side goes first, so that drift falls on both alike.
      if (run % 2 === 1) await measureExplorer(run);
      const micros = await context.attempt(() => plainMicrosPerCall(context, server, `${kind}-${run}`));
      if (micros !== null) plain.push(micros);
      if (run % 2 === 0) await measureExplorer(run);
    }
    const explorerMicros = median(explorer);
    const plainMicros = median(plain);
    const load = `${SESSIONS} sessions, no think time, fast with --fast-ms 0, 1 worker, ${SERVER_KINDS[kind].label}`;
    context.figure({
      scenario: NAME,
      text:
        `mcp-load-explorer ${formatNumber(explorerMicros)} µs of generator CPU per call (${load})` +
        runsNote(explorer.length, context.runs),
      target: `target ≤ ${TARGET_MICROS} µs`,
      met: explorerMicros <= TARGET_MICROS,
      reproduce: context.reproduce(NAME, kind),
    });
    context.figure({
      scenario: NAME,
      text:
        `plain SDK client (default fetch) ${formatNumber(plainMicros)} µs per call (${SERVER_KINDS[kind].label}); ` +
        `mcp-load-explorer / plain ${ratio(explorerMicros, plainMicros)}×` +
        runsNote(Math.min(explorer.length, plain.length), context.runs),
      target: 'no target, lower is better',
      met: null,
      reproduce: context.reproduce(NAME, kind),
    });
  } finally {
    await server.stop();
  }
}
