// One run of sdk-cost: a client against a bench SDK server, under /usr/bin/time, with the server's counts.
import type { BenchContext } from './bench-context.js';
import { formatNumber } from './figures.js';
import { cliPath, plainClientPath, rawFloorClientPath, root } from './paths.js';
import type { PlainClientResult } from './plain-sdk-client.js';
import { startTimed } from './process-cpu.js';
import { sessionsOpened, type BenchSdkServer } from './sdk-server-child.js';

export const SESSIONS = 50;
/** Seconds each run lasts, start-up included in its CPU. */
export const RUN_S = 20;
/** The explorer's default session length, written out for the other clients. */
export const SESSION_CALLS = '10-50';

/**
 * Who runs: the explorer (the built CLI), the plain SDK client, or a floor (`bench/raw-floor-client.ts`
 * on raw sockets or on undici's dispatcher).
 */
export type Who = 'explorer' | 'plain' | 'raw' | 'undici';
/** Sessions of the default length, sessions that never end, or one call each. */
export type Shape = 'churn' | 'steady' | 'one';

/** What one run cost and did, by `/usr/bin/time` and by the server's own counts. */
export interface RunCost {
  readonly cpuS: number;
  readonly calls: number;
  readonly sessions: number;
}

export const microsPerCall = (run: RunCost): number => (run.cpuS * 1e6) / run.calls;

const SESSION_FLAG: Record<Shape, string[]> = {
  churn: ['--session-calls', SESSION_CALLS],
  steady: [],
  one: ['--session-calls', '1-1'],
};

function argsOf(who: Who, shape: Shape, server: BenchSdkServer): string[] {
  if (who === 'explorer')
    return [
      ...[cliPath, '--url', server.url, '--concurrency', String(SESSIONS), '--think', '0-0'],
      ...['--mix', 'noop:1', '--duration', String(RUN_S), '--headless'],
      ...(shape === 'steady' ? ['--session-calls', '1000000-1000000'] : SESSION_FLAG[shape]),
      ...(server.kind === 'v2' ? ['--protocol', '2026-07-28'] : []),
    ];
  return [
    ...[
      '--import',
      'tsx',
      '--import',
      './bench/boot-cpu.mjs',
      who === 'plain' ? plainClientPath : rawFloorClientPath,
    ],
    ...['--url', server.url, '--sessions', String(SESSIONS), '--tool', 'noop', '--duration-s', String(RUN_S)],
    ...(who === 'plain' ? ['--warmup-s', '0'] : ['--http', who]),
    ...SESSION_FLAG[shape],
  ];
}

/**
 * One run. The clients other than the explorer run from source under tsx: the CPU spent before their
 * first module loads (Node and the tsx loader, bench/boot-cpu.mjs) is taken out; the CLI runs built.
 */
export async function costOf(
  context: BenchContext,
  server: BenchSdkServer,
  who: Who,
  shape: Shape,
  label: string,
): Promise<RunCost> {
  const before = await server.stats();
  const args = argsOf(who, shape, server);
  const timed = startTimed(context.registry, label, context.tmpDir, process.execPath, args, { cwd: root });
  const { code, cpuS } = await timed.measured;
  const lastError = timed.child.stderr().trim().split('\n').at(-1);
  let bootS = 0;
  if (who !== 'explorer') {
    const line = timed.child.stdout().trim().split('\n').at(-1) ?? '';
    if (code !== 0 || !line.startsWith('{'))
      throw new Error(`${label}: the ${who} client exited ${code}: ${lastError}`);
    bootS = ((JSON.parse(line) as PlainClientResult).bootCpuMicros ?? 0) / 1e6;
  } else if (code !== 0) throw new Error(`${label}: the CLI exited ${code}: ${lastError}`);
  const after = await server.stats();
  const run = {
    cpuS: cpuS - bootS,
    calls: after.calls.total - before.calls.total,
    sessions: sessionsOpened(server, before, after),
  };
  if (after.sessions.active !== before.sessions.active)
    context.warn(
      `${label}: ${after.sessions.active - before.sessions.active} sessions left open on the server`,
    );
  context.progress(
    `${label}: ${formatNumber(run.cpuS)} s CPU, ${run.calls} calls, ${run.sessions} sessions: ` +
      `${formatNumber(microsPerCall(run))} µs/call`,
  );
  return run;
}

/**
 * CPU per session set-up and tear-down, from a run of one-call sessions: what it spent beyond its calls
 * at the cost of a call in a run whose sessions never end (start-up taken out of both), shared out over
 * the sessions the server saw opened. Nearly all of a one-call run is sessions, so the call's share (and
 * the noise of the steady run at saturation) moves it little.
 */
export function microsPerSession(
  one: RunCost,
  steady: RunCost,
  startupCpuS: number,
): { session: number; call: number } {
  const call = ((steady.cpuS - startupCpuS) * 1e6) / steady.calls;
  const session = ((one.cpuS - startupCpuS) * 1e6 - call * one.calls) / Math.max(1, one.sessions);
  return { session, call };
}
