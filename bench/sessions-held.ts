import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SnapshotLineSchema, type SnapshotLine } from '../source/headless/json-lines.js';
import { ReportSchema } from '../source/report/report-schema.js';
import type { BenchContext, Scenario } from './bench-context.js';
import { startDemoServer, type BenchDemoServer } from './demo-server.js';
import { formatNumber, median, runsNote } from './figures.js';
import { cliPath, root } from './paths.js';

const NAME = 'sessions-held';
/** Sessions held with their GET stream (a socket each: `ulimit -n` must exceed it), and without. */
const SESSIONS = { 'get-stream': 10_000, 'no-get-stream': 20_000 } as const;
/** Sessions opened per second (`--jitter` spreads arrivals): the demo server on 2 cores shared with
 * other work opens about 70–200 sessions a second; faster, its accept queue overflows and connects time
 * out (`connect-failed`). 10,000 arrive over 150 s. */
const ARRIVALS_PER_S = 200 / 3;
/** Seconds the sessions are held once all are open. */
const HOLD_S = 10;
/** Generator RSS per held session, KB. */
const TARGET_KB = 16;
/** One worker: on 2 cores shared with the server, a second worker only takes CPU from it. */
const WORKERS = '1';

/** What one run of the CLI holding sessions saw. */
interface Held {
  /** From the start of the run until every session was open, s (null if they never all were). */
  readonly establishedS: number | null;
  readonly rssBytes: number;
  readonly serverActive: number;
  readonly fds: number | null;
  readonly failed: number;
  readonly errors: string;
}

async function openFiles(pid: number): Promise<number | null> {
  return readdir(`/proc/${pid}/fd`).then(
    (entries) => entries.length,
    () => null,
  );
}

/** Runs the CLI with `--json`, holds `sessions` for HOLD_S once all are open, then stops it (SIGTERM). */
async function hold(
  context: BenchContext,
  server: BenchDemoServer,
  sessions: number,
  getStream: boolean,
  label: string,
): Promise<Held> {
  const reportPath = join(context.tmpDir, `${label}.json`);
  const before = await server.stats();
  const arrivalS = Math.round(sessions / ARRIVALS_PER_S);
  const args = [
    ...[cliPath, '--url', server.url, '--pid', String(server.pid), '--concurrency', String(sessions)],
    ...['--think', '3600000-3600000', '--jitter', String(sessions > 1 ? arrivalS * 1000 : 0)],
    ...['--session-calls', '1000000-1000000', '--mix', 'fast:1', '--warmup', '0', '--workers', WORKERS],
    // 2025-11-25 sessions (initialize, a session id, the GET stream): the demo would otherwise speak
    // 2026-07-28, whose clients hold no session.
    ...['--timeout', '60000', '--protocol', '2025-11-25'],
    ...['--duration', String(arrivalS * 3 + HOLD_S), '--json', '--report', reportPath],
    ...(getStream ? [] : ['--no-get-stream']),
  ];
  let full: SnapshotLine | null = null;
  let last: SnapshotLine | null = null;
  let fds: number | null = null;
  let serverActive = 0;
  const child = context.registry.start(label, process.execPath, args, {
    cwd: root,
    graceMs: 120_000,
    onLine: (line) => {
      if (!line.startsWith('{"type":"snapshot"')) return;
      last = SnapshotLineSchema.parse(JSON.parse(line));
      if (!full && last.n.active >= sessions) full = last;
    },
  });
  let ended = false;
  void child.exited.then(() => (ended = true));
  const deadline = Date.now() + (arrivalS * 3 + HOLD_S) * 1000;
  while (!full && !ended && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
  if (full) {
    fds = await openFiles(child.pid);
    const until = Date.now() + HOLD_S * 1000;
    while (Date.now() < until && !ended) {
      serverActive = Math.max(serverActive, (await server.stats()).sessions.active - before.sessions.active);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  await child.stop();
  const written = await readFile(reportPath, 'utf8').catch(() => null);
  if (!written) throw new Error(`${label}: no report: ${child.stderr().trim().split('\n').at(-1)}`);
  const report = ReportSchema.parse(JSON.parse(written));
  const after = await server.stats();
  if (after.sessions.active !== before.sessions.active)
    context.warn(
      `${label}: ${after.sessions.active - before.sessions.active} sessions left open on the server`,
    );
  const snapshot = last as SnapshotLine | null;
  const established = full as SnapshotLine | null;
  return {
    establishedS: established ? established.elapsedS : null,
    rssBytes: snapshot?.generator.rssBytes ?? Number.NaN,
    serverActive,
    fds,
    failed: report.totals.errors,
    errors: JSON.stringify(
      Object.fromEntries(Object.entries(report.errorsByKind).map(([k, v]) => [k, v.count])),
    ),
  };
}

/** 10,000 sessions held open with the GET stream per session, and 20,000 without, against the demo server. */
export const sessionsHeld: Scenario = async (context) => {
  const server = await startDemoServer(context.registry, ['--bottleneck', 'none', '--fast-ms', '0']);
  try {
    for (const getStream of [true, false]) {
      const mode = getStream ? 'get-stream' : 'no-get-stream';
      const sessions = SESSIONS[mode];
      const perSession: number[] = [];
      const established: number[] = [];
      const counted: number[] = [];
      const fds: number[] = [];
      let failed = 0;
      for (let run = 1; run <= context.runs; run += 1) {
        const base = await context.attempt(() =>
          hold(context, server, 1, getStream, `${NAME}-${mode}-base-${run}`),
        );
        const held = await context.attempt(() =>
          hold(context, server, sessions, getStream, `${NAME}-${mode}-${run}`),
        );
        if (!base || !held) continue;
        context.progress(
          `${NAME}-${mode}-${run}: established in ${formatNumber(held.establishedS ?? Number.NaN)} s, ` +
            `server ${held.serverActive} active, RSS ${formatNumber(held.rssBytes / 1e6)} MB (1 session: ` +
            `${formatNumber(base.rssBytes / 1e6)} MB), ${held.fds ?? '-'} fds, errors ${held.errors}`,
        );
        failed += held.failed;
        if (held.establishedS === null) continue;
        perSession.push((held.rssBytes - base.rssBytes) / sessions / 1024);
        established.push(held.establishedS);
        counted.push(held.serverActive);
        if (held.fds !== null) fds.push(held.fds);
      }
      const kb = median(perSession);
      context.figure({
        scenario: NAME,
        text:
          `${sessions} 2025-11-25 sessions (${getStream ? 'with' : '--no-get-stream: without'} the GET stream) all open in ` +
          `${formatNumber(median(established))} s (arrivals spread over ${Math.round(sessions / ARRIVALS_PER_S)} s), server counted ` +
          `${formatNumber(median(counted))}, ${failed} failed, generator ${formatNumber(median(fds))} fds; ` +
          `generator RSS ${formatNumber(kb)} KB per held session` +
          runsNote(perSession.length, context.runs),
        target: `target ≤ ${TARGET_KB} KB, all open, none failed`,
        met: perSession.length > 0 && kb <= TARGET_KB && failed === 0 && median(counted) >= sessions,
        reproduce: context.reproduce(NAME),
      });
    }
  } finally {
    await server.stop();
  }
};
