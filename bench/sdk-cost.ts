import type { BenchContext, Scenario } from './bench-context.js';
import { formatNumber, median, runsNote, type Figure } from './figures.js';
import {
  costOf,
  microsPerCall,
  microsPerSession,
  RUN_S,
  SESSION_CALLS,
  SESSIONS,
  type Who,
} from './sdk-cost-runs.js';
import { startSdkServer, type BenchSdkServer, type SdkKind } from './sdk-server-child.js';
import { startupCost, type StartupCost } from './startup-cost.js';

const NAME = 'sdk-cost';
const TARGET_MICROS_PER_CALL = 100;
const TARGET_SESSION_RATIO = 3;

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

/** Each client's figures over the rounds: µs per call with churn, per session, per call without churn. */
interface Tally {
  readonly churned: number[];
  readonly sessions: number[];
  readonly calls: number[];
}

const tally = (): Tally => ({ churned: [], sessions: [], calls: [] });

/** One round of one client: churning, steady and one-call runs (the plain client: churning only). */
async function round(
  context: BenchContext,
  server: BenchSdkServer,
  who: Who,
  label: string,
  startupCpuS: number,
  into: Tally,
): Promise<void> {
  const churn = await context.attempt(() => costOf(context, server, who, 'churn', `${label}-${who}-churn`));
  if (churn) into.churned.push(microsPerCall(churn));
  if (who === 'plain') return;
  const steady = await context.attempt(() =>
    costOf(context, server, who, 'steady', `${label}-${who}-steady`),
  );
  const one = await context.attempt(() => costOf(context, server, who, 'one', `${label}-${who}-one`));
  if (steady && one) {
    const cost = microsPerSession(one, steady, startupCpuS);
    into.sessions.push(cost.session);
    into.calls.push(cost.call);
  }
}

const FLOOR_NAMES = {
  raw: 'the floor on raw sockets (no HTTP or MCP library)',
  undici: "the floor on undici's dispatcher (the explorer's HTTP library, no MCP code)",
} as const;

function floorFigure(context: BenchContext, server: string, who: 'raw' | 'undici', runs: Tally): Figure {
  const session = median(runs.sessions);
  const call = median(runs.calls);
  return {
    scenario: NAME,
    text:
      `${server}: ${FLOOR_NAMES[who]}, bench/raw-floor-client.ts --http ${who}: ` +
      `${formatNumber(median(runs.churned))} µs per call, the same load; a session ${formatNumber(session)} µs, ` +
      `${(session / call).toFixed(1)}× a call (${formatNumber(call)} µs without churn)` +
      runsNote(runs.churned.length, context.runs),
    target: 'no target: what a client spends here before it does anything else',
    met: null,
    reproduce: context.reproduce(NAME),
  };
}

async function measureKind(context: BenchContext, kind: SdkKind): Promise<void> {
  const server = await startSdkServer(context, kind);
  try {
    const startup = await context.attempt(() => startupCost(context, server, `${NAME}-${kind}-startup`));
    // The yardsticks speak 2025-11-25 only: on v2 the explorer runs alone.
    const clients: Who[] = kind === 'v1' ? ['explorer', 'plain', 'raw', 'undici'] : ['explorer'];
    const tallies = new Map(clients.map((who) => [who, tally()]));
    for (let run = 1; run <= context.runs; run += 1) {
      // Each client in turn in every round, so that drift on a shared machine falls on every side alike.
      for (const who of clients)
        await round(
          context,
          server,
          who,
          `${NAME}-${kind}-${run}`,
          who === 'explorer' ? (startup?.cpuS ?? 0) : 0,
          tallies.get(who)!,
        );
    }
    const server_ = SERVER_NAMES[kind];
    const explorer = tallies.get('explorer')!;
    const load = `${SESSIONS} clients, no think time, noop, --session-calls ${SESSION_CALLS}, default workers, ${RUN_S} s runs`;
    const perCall = median(explorer.churned);
    context.figure({
      scenario: NAME,
      text:
        `${server_}: mcp-load-explorer ${formatNumber(perCall)} µs of CPU per call, whole process with start-up (${load})` +
        runsNote(explorer.churned.length, context.runs),
      target: `target ≤ ${TARGET_MICROS_PER_CALL} µs`,
      met: perCall <= TARGET_MICROS_PER_CALL,
      reproduce: context.reproduce(NAME),
    });
    const plain = tallies.get('plain');
    if (plain)
      context.figure({
        scenario: NAME,
        text:
          `${server_}: plain SDK client ${formatNumber(median(plain.churned))} µs per call, the same load (tsx start taken out); ` +
          `mcp-load-explorer / plain ${(perCall / median(plain.churned)).toFixed(2)}×` +
          runsNote(plain.churned.length, context.runs),
        target: 'no target, lower is better',
        met: null,
        reproduce: context.reproduce(NAME),
      });
    const session = median(explorer.sessions);
    const call = median(explorer.calls);
    context.figure({
      scenario: NAME,
      text:
        `${server_}: session set-up and tear-down ${formatNumber(session)} µs of CPU per session, ` +
        `${(session / call).toFixed(1)}× a call (${formatNumber(call)} µs without churn; one-call sessions)` +
        runsNote(explorer.sessions.length, context.runs),
      target: `target ≤ ${TARGET_SESSION_RATIO}× a call`,
      met: session / call <= TARGET_SESSION_RATIO,
      reproduce: context.reproduce(NAME),
    });
    for (const who of ['raw', 'undici'] as const) {
      const runs = tallies.get(who);
      if (runs) context.figure(floorFigure(context, server_, who, runs));
    }
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
