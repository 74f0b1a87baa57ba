import type { BenchContext, Scenario } from './bench-context.js';
import { formatNumber, median, runsNote, type Figure } from './figures.js';
import { cliPath, plainClientPath, root } from './paths.js';
import type { PlainClientResult } from './plain-sdk-client.js';
import { startTimed } from './process-cpu.js';
import { sessionsOpened, startSdkServer, type BenchSdkServer, type SdkKind } from './sdk-server-child.js';
import { startupCost, type StartupCost } from './startup-cost.js';

const NAME = 'sdk-cost';
const SESSIONS = 50;
/** Seconds each run lasts, start-up included in its CPU. */
const RUN_S = 20;
/** The explorer's default session length, written out for the plain client. */
const SESSION_CALLS = '10-50';
const TARGET_MICROS_PER_CALL = 100;
const TARGET_SESSION_RATIO = 3;

/** What one run cost and did, by `/usr/bin/time` and by the server's own counts. */
interface RunCost {
  readonly cpuS: number;
  readonly calls: number;
  readonly sessions: number;
}

const microsPerCall = (run: RunCost): number => (run.cpuS * 1e6) / run.calls;

const SERVER_NAMES = { v1: 'v1 SDK server (SSE answers)', v2: 'v2 SDK server (2026-07-28)' } as const;

function startupFigure(context: BenchContext, kind: SdkKind, startup: StartupCost): Figure {
  return {
    scenario: NAME,
    text:
      `${SERVER_NAMES[kind]}: start-up, launch to the first tool call ${formatNumber(startup.wallS * 1000)} ms, ` +
      `${formatNumber(startup.cpuS * 1000)} ms of CPU; loaded ${startup.packages.length} packages` +
      (startup.unwanted.length > 0 ? `, of them unused: ${startup.unwanted.join(', ')}` : ', none unused'),
    target: 'target: nothing loads that the run does not use',
    met: startup.unwanted.length === 0,
    reproduce: context.reproduce('sdk-startup'),
  };
}

/** One run of the CLI: no think time, the no-op tool, default workers; `churn` keeps the default session length. */
async function explorerRun(
  context: BenchContext,
  server: BenchSdkServer,
  churn: boolean,
  label: string,
): Promise<RunCost> {
  const args = [
    ...[cliPath, '--url', server.url, '--concurrency', String(SESSIONS), '--think', '0-0'],
    ...['--mix', 'noop:1', '--duration', String(RUN_S), '--headless'],
    ...(churn ? [] : ['--session-calls', '1000000-1000000']),
    ...(server.kind === 'v2' ? ['--protocol', '2026-07-28'] : []),
  ];
  const before = await server.stats();
  const timed = startTimed(context.registry, label, context.tmpDir, process.execPath, args, { cwd: root });
  const { code, cpuS } = await timed.measured;
  if (code !== 0)
    throw new Error(`${label}: the CLI exited ${code}: ${timed.child.stderr().trim().split('\n').at(-1)}`);
  return settle(context, server, before, label, cpuS);
}

/** The plain SDK client, the same load and session length, under the same clock. */
async function plainRun(context: BenchContext, server: BenchSdkServer, label: string): Promise<RunCost> {
  const args = [
    ...['--import', 'tsx', '--import', './bench/boot-cpu.mjs', plainClientPath, '--url', server.url],
    ...['--sessions', String(SESSIONS), '--tool', 'noop', '--warmup-s', '0', '--duration-s', String(RUN_S)],
    ...['--session-calls', SESSION_CALLS],
  ];
  const before = await server.stats();
  const timed = startTimed(context.registry, label, context.tmpDir, process.execPath, args, { cwd: root });
  const { code, cpuS } = await timed.measured;
  const line = timed.child.stdout().trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(
      `${label}: the plain client exited ${code}: ${timed.child.stderr().trim().split('\n').at(-1)}`,
    );
  const result = JSON.parse(line) as PlainClientResult;
  // Running from source costs the tsx loader's start; the CLI runs built.
  return settle(context, server, before, label, cpuS - (result.bootCpuMicros ?? 0) / 1e6);
}

async function settle(
  context: BenchContext,
  server: BenchSdkServer,
  before: Awaited<ReturnType<BenchSdkServer['stats']>>,
  label: string,
  cpuS: number,
): Promise<RunCost> {
  const after = await server.stats();
  const run = {
    cpuS,
    calls: after.calls.total - before.calls.total,
    sessions: sessionsOpened(server, before, after),
  };
  if (after.sessions.active !== before.sessions.active)
    context.warn(
      `${label}: ${after.sessions.active - before.sessions.active} sessions left open on the server`,
    );
  context.progress(
    `${label}: ${formatNumber(cpuS)} s CPU, ${run.calls} calls, ${run.sessions} sessions: ` +
      `${formatNumber(microsPerCall(run))} µs/call`,
  );
  return run;
}

/**
 * CPU per session set-up and tear-down: what a churning run spent beyond its calls at the steady cost of
 * a call (a run whose sessions never end, start-up taken out of both), shared out over the sessions the
 * server saw opened.
 */
function microsPerSession(
  churn: RunCost,
  steady: RunCost,
  startupCpuS: number,
): { session: number; call: number } {
  const call = ((steady.cpuS - startupCpuS) * 1e6) / steady.calls;
  const session =
    ((churn.cpuS - startupCpuS) * 1e6 - call * churn.calls) / Math.max(1, churn.sessions - SESSIONS);
  return { session, call };
}

async function measureKind(context: BenchContext, kind: SdkKind): Promise<void> {
  const server = await startSdkServer(context, kind);
  try {
    const startup = await context.attempt(() => startupCost(context, server, `${NAME}-${kind}-startup`));
    const startupCpuS = startup?.cpuS ?? 0;
    const churned: number[] = [];
    const plain: number[] = [];
    const sessions: number[] = [];
    const calls: number[] = [];
    for (let run = 1; run <= context.runs; run += 1) {
      const label = `${NAME}-${kind}-${run}`;
      // Alternate the order, so that drift on a shared machine falls on every side alike.
      const churn = await context.attempt(() => explorerRun(context, server, true, `${label}-churn`));
      if (kind === 'v1') {
        const result = await context.attempt(() => plainRun(context, server, `${label}-plain`));
        if (result) plain.push(microsPerCall(result));
      }
      const steady = await context.attempt(() => explorerRun(context, server, false, `${label}-steady`));
      if (churn) churned.push(microsPerCall(churn));
      if (churn && steady) {
        const cost = microsPerSession(churn, steady, startupCpuS);
        sessions.push(cost.session);
        calls.push(cost.call);
      }
    }
    const server_ = SERVER_NAMES[kind];
    const load = `${SESSIONS} clients, no think time, noop, --session-calls ${SESSION_CALLS}, default workers, ${RUN_S} s runs`;
    const perCall = median(churned);
    context.figure({
      scenario: NAME,
      text:
        `${server_}: mcp-load-explorer ${formatNumber(perCall)} µs of CPU per call, whole process with start-up (${load})` +
        runsNote(churned.length, context.runs),
      target: `target ≤ ${TARGET_MICROS_PER_CALL} µs`,
      met: perCall <= TARGET_MICROS_PER_CALL,
      reproduce: context.reproduce(NAME),
    });
    if (kind === 'v1')
      context.figure({
        scenario: NAME,
        text:
          `${server_}: plain SDK client ${formatNumber(median(plain))} µs per call, the same load (tsx start taken out); ` +
          `mcp-load-explorer / plain ${(perCall / median(plain)).toFixed(2)}×` +
          runsNote(plain.length, context.runs),
        target: 'no target, lower is better',
        met: null,
        reproduce: context.reproduce(NAME),
      });
    const session = median(sessions);
    const call = median(calls);
    context.figure({
      scenario: NAME,
      text:
        `${server_}: session set-up and tear-down ${formatNumber(session)} µs of CPU per session, ` +
        `${(session / call).toFixed(1)}× a call (${formatNumber(call)} µs without churn)` +
        runsNote(sessions.length, context.runs),
      target: `target ≤ ${TARGET_SESSION_RATIO}× a call`,
      met: session / call <= TARGET_SESSION_RATIO,
      reproduce: context.reproduce(NAME),
    });
    if (startup) context.figure(startupFigure(context, kind, startup));
  } finally {
    await server.stop();
  }
}

/** The generator's cost against servers built with the SDKs' defaults (issue 15). */
export const sdkCost: Scenario = async (context) => {
  await measureKind(context, 'v1');
  await measureKind(context, 'v2');
};

/** Start-up alone: CPU and wall time to the first call, and the packages loaded, against both servers. */
export const sdkStartup: Scenario = async (context) => {
  for (const kind of ['v1', 'v2'] as const) {
    const server = await startSdkServer(context, kind);
    try {
      const startup = await context.attempt(() => startupCost(context, server, `${NAME}-${kind}-startup`));
      if (startup) context.figure(startupFigure(context, kind, startup));
    } finally {
      await server.stop();
    }
  }
};
