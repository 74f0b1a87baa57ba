import { serverFiguresText } from '../format/server-figures-table.js';
import {
  analyseSnapshot,
  describeIndependence,
  describeUnsettled,
  type Findings,
} from '../analysis/findings.js';
import { caveats, describeCapacity } from '../analysis/describe.js';
import type { LevelLaw } from '../analysis/littles-law.js';
import type { LevelSummary } from '../engine/levels.js';
import { describeProtocol, unitOfN, type EngineSnapshot, type ProtocolEra } from '../engine/snapshot.js';
import type { Percentiles } from '../metrics/histogram.js';
import { fellBehind } from '../metrics/schedule-lag.js';

export function formatMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms >= 100) return ms.toFixed(0);
  return ms.toFixed(1);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)}G`;
  return `${Math.round(bytes / 1024 ** 2)}M`;
}

export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

export function formatPercentiles(latency: Percentiles | null): string {
  if (!latency) return 'p50=- p99=- ms';
  return `p50=${formatMs(latency.p50)} p90=${formatMs(latency.p90)} p99=${formatMs(latency.p99)} max=${formatMs(latency.max)} ms`;
}

/**
 * `corrected p99=812 (behind schedule: lag p99=700 max=760) ms` when the open model's generator fell behind
 * its arrival schedule (the corrected P99 well above the uncorrected one), else ''.
 */
export function behindText(
  latency: Percentiles | null,
  corrected: Percentiles | null | undefined,
  lag: Percentiles | null | undefined,
): string {
  if (!fellBehind(latency, corrected)) return '';
  return `corrected p99=${formatMs(corrected?.p99)} (behind schedule: lag p99=${formatMs(lag?.p99)} max=${formatMs(lag?.max)}) ms`;
}

/** `waiting to start at 2026-11-24 09:30:00Z (in 12s)` while a run waits for `--start-at`. */
export function waitingLabel(startAt: string, now = Date.now()): string {
  const left = Math.max(0, Math.ceil((Date.parse(startAt) - now) / 1000));
  const time = startAt.replace(/^\d{4}-\d{2}-\d{2}T/, '').replace(/\.000Z$/, 'Z');
  const inText = left >= 120 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`;
  return `waiting to start at ${startAt.slice(0, 10)} ${time} (in ${inText})`;
}

/** `m:ss` or `h:mm:ss` for a time left. */
function formatLeft(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * ` step 2/4 · 7:40 left` for a step plan: the step held and the time until the plan ends (what is left of
 * this hold plus the holds to come); ` plan complete` once it has ended.
 */
export function planProgress(plan: NonNullable<EngineSnapshot['plan']>, now: number, unit = 'N='): string {
  if (plan.bracket) return ` ${ceilingProgress(plan, now, unit)}`;
  if (plan.complete) return ' plan complete';
  const left = planLeftMs(plan, now);
  if (plan.stepIndex === null || left === null) return '';
  return ` step ${plan.stepIndex + 1}/${plan.steps.length} · ${formatLeft(left)} left`;
}

/** What is left of this hold plus the holds to come, ms; null while the walk is not running. */
export function planLeftMs(plan: NonNullable<EngineSnapshot['plan']>, now: number): number | null {
  if (plan.complete) return 0;
  if (plan.stepIndex === null || plan.stepEndsAt === null) return null;
  const thisHold = Date.parse(plan.stepEndsAt) - now;
  const later = Math.max(0, plan.steps.length - plan.stepIndex - 1) * plan.holdS * 1000;
  return Math.max(0, thisHold + later);
}

/**
 * `--find-ceiling`: the search's bracket instead of a step count that grows as it goes, e.g.
 * `ceiling: last good N=8 · first bad N=16 · probing N=12 · 0:20 left of this level`.
 */
export function ceilingProgress(plan: NonNullable<EngineSnapshot['plan']>, now: number, unit = 'N='): string {
  const { good, bad } = plan.bracket ?? { good: 0, bad: null };
  const bracket = `last good ${good > 0 ? `${unit}${good}` : 'none yet'} · first bad ${bad === null ? 'none yet' : `${unit}${bad}`}`;
  if (plan.complete) return `ceiling found: ${bracket}`;
  const probe = plan.stepIndex === null ? undefined : plan.steps[plan.stepIndex];
  if (probe === undefined || plan.stepEndsAt === null) return `ceiling search stopped: ${bracket}`;
  return `ceiling: ${bracket} · probing ${unit}${probe} · ${formatLeft(Date.parse(plan.stepEndsAt) - now)} left of this level`;
}

/** One status line per second for headless runs. */
export function statusLine(snapshot: EngineSnapshot): string {
  if (snapshot.state === 'waiting' && snapshot.startAt)
    return `[${formatElapsed(0)}] ${waitingLabel(snapshot.startAt)}, then ${snapshot.plan ? `steps ${snapshot.plan.steps.join(',')}` : `N=${snapshot.workload.concurrency}`}`;
  const { sessions, window, totals, server, generator, plan } = snapshot;
  // The snapshot's own time, so a replay shows what was left then.
  const now = Date.parse(snapshot.startedAt) + snapshot.elapsedMs;
  const step = plan
    ? planProgress(plan, now, snapshot.workload.arrivalRate === undefined ? 'N=' : 'rate ')
    : '';
  const parts = [
    `[${formatElapsed(snapshot.elapsedMs)}]${step}`,
    snapshot.workload.arrivalRate === undefined
      ? `N=${sessions.active}/${sessions.target}`
      : `N=${sessions.active} open (${snapshot.workload.arrivalRate}/s arriving)`,
    `conn=${sessions.connecting} close=${sessions.closing} inflight=${sessions.inflight}`,
    `calls=${totals.calls} (${window.throughput.toFixed(1)}/s)`,
    formatPercentiles(window.latencyMs),
    behindText(window.latencyMs, window.latencyCorrectedMs, window.scheduleLagMs),
    `err=${totals.errors}`,
    server ? `server rss=${formatBytes(server.rssBytes)} cpu=${server.cpuPercent.toFixed(0)}%` : '',
    `gen cpu=${generator.cpuPercent.toFixed(0)}% rss=${formatBytes(generator.rssBytes)} loop p99=${formatMs(generator.eventLoopDelayP99Ms)}ms`,
  ];
  return parts.filter(Boolean).join('  ');
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, index) => cell.padStart(widths[index] ?? 8)).join(' ');
}

/** A level measured for less than this after its warm-up is not a row of the summary, ms. */
const SHORTEST_ROW_MS = 1000;

/** The levels measured after their warm-up, as rows of a table; levels only passed through are left out. */
export function measuredLevels<Level extends Pick<LevelSummary, 'durationMs'>>(
  levels: readonly Level[],
): Level[] {
  return levels.filter((level) => level.durationMs >= SHORTEST_ROW_MS);
}

/** The line under a table that left out levels passed through before their warm-up ended, or ''. */
export function skippedLevelsLine(skipped: number): string {
  return skipped > 0
    ? `(${skipped} level${skipped === 1 ? '' : 's'} passed through before the warm-up ended: not measured, not shown)`
    : '';
}

/**
 * The table of levels printed at the end of a run, in at most 80 columns: rows grouped by N (a level held
 * twice shows twice, together), levels passed through before their warm-up ended left out and counted.
 */
/**
 * The response-time law under the table: per level the mean latency R and the N that X·(R + Z) implies,
 * next to the N set (`!` when they disagree by more than a quarter); empty without a think time.
 */
export function lawLine(laws: readonly LevelLaw[]): string {
  if (laws.length === 0) return '';
  const cells = laws.map(
    (law) =>
      `${law.concurrency}→${law.impliedConcurrency}${law.mismatch ? '!' : ''} (R ${formatMs(law.meanMs)})`,
  );
  return `N set → N = X·(R + Z) implied: ${cells.join(', ')}`;
}

/**
 * Under the table, the open model's levels whose generator fell behind its arrival schedule: their P99
 * from each call's intended start, next to the P99 from its actual start; '' when none fell behind.
 */
export function scheduleLine(levels: readonly LevelSummary[]): string {
  const behind = levels.filter((level) => fellBehind(level.latencyMs, level.latencyCorrectedMs));
  if (behind.length === 0) return '';
  const cells = behind.map(
    (level) =>
      `${level.arrivalRate ?? level.concurrency}/s: p99 ${formatMs(level.latencyCorrectedMs?.p99)} corrected vs ${formatMs(level.latencyMs?.p99)}, lag p99 ${formatMs(level.scheduleLagMs?.p99)}`,
  );
  return `behind the arrival schedule (p99 from the intended start, ms): ${cells.join('; ')}`;
}

export function levelTable(levels: readonly LevelSummary[]): string {
  // In the open model N is the mean of sessions open; the arrival rate that produced it comes first.
  const open = levels.some((level) => level.arrivalRate !== null);
  type Column = readonly [title: string, width: number, cell: (level: LevelSummary) => string];
  const columns: Column[] = [
    ...(open ? [['arrive/s', 8, (level) => String(level.arrivalRate ?? '-')] satisfies Column] : []),
    ['N', 5, (level) => String(level.concurrency)],
    ['secs', 5, (level) => (level.durationMs / 1000).toFixed(0)],
    ['calls', 7, (level) => String(level.calls)],
    ['calls/s', 7, (level) => level.throughput.toFixed(1)],
    ['errors', 6, (level) => String(level.errors)],
    ['p50', 7, (level) => formatMs(level.latencyMs?.p50)],
    ...(open ? [] : [['p90', 7, (level) => formatMs(level.latencyMs?.p90)] satisfies Column]),
    ['p99', 7, (level) => formatMs(level.latencyMs?.p99)],
    ['max', 7, (level) => formatMs(level.latencyMs?.max)],
    ['init p99', 8, (level) => formatMs(level.initializeMs?.p99)],
  ];
  const widths = columns.map(([, width]) => width);
  const measured = measuredLevels(levels);
  const byN = [...measured].sort(
    (a, b) =>
      (a.arrivalRate ?? 0) - (b.arrivalRate ?? 0) || a.concurrency - b.concurrency || a.index - b.index,
  );
  const lines = [
    row(
      columns.map(([title]) => title),
      widths,
    ),
  ];
  for (const level of byN)
    lines.push(
      row(
        columns.map(([, , cell]) => cell(level)),
        widths,
      ),
    );
  const skipped = skippedLevelsLine(levels.length - measured.length);
  if (skipped) lines.push(skipped);
  return lines.join('\n');
}

function findingsText(findings: Findings): string {
  return [
    `${describeCapacity(findings)} sessions`,
    `knee: ${findings.kneeReason}`,
    findings.recommendation,
    ...caveats(findings),
    findings.independence ? `independence: ${describeIndependence(findings.independence)}` : '',
    `memory: ${findings.memory.verdict}; ${findings.memory.evidence}`,
    describeUnsettled(findings.unsettledLevels) ?? '',
    `bottleneck: ${findings.bottleneck.kind}${findings.bottleneck.evidence.map((line) => `\n  - ${line}`).join('')}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** What the end-of-run summary reads: a run's snapshot, or a (merged) report. */
export interface RunFigures {
  readonly levels: readonly LevelSummary[];
  readonly totals: EngineSnapshot['totals'];
  readonly errorsByKind: EngineSnapshot['errorsByKind'];
  readonly sloMs: number;
  readonly protocol?: ProtocolEra | undefined;
}

/**
 * With a protocol mix: a row per revision, `  2025-11-25  calls 120  errors 0  p50=… ms`, within 80 columns
 * up to six-digit calls and four-digit latencies.
 */
export function protocolRows(byProtocol: EngineSnapshot['totals']['byProtocol']): string {
  const rows = Object.entries(byProtocol ?? {}).map(
    ([revision, figures]) =>
      `  ${revision}  calls ${figures.calls}  errors ${figures.errors}  ${formatPercentiles(figures.latencyMs)}`,
  );
  return rows.length > 0 ? `by protocol revision (whole run):\n${rows.join('\n')}` : '';
}

function protocolLine(protocol: NonNullable<RunFigures['protocol']>, revisions: readonly string[]): string {
  return revisions.length > 1
    ? `protocol mix ${revisions.join(' + ')} (the probe found ${describeProtocol(protocol)})`
    : `protocol ${describeProtocol(protocol)}`;
}

export function summary(snapshot: EngineSnapshot): string {
  return summaryOf({ ...snapshot, sloMs: snapshot.workload.sloMs }, analyseSnapshot(snapshot));
}

/** The levels table, totals, errors and findings printed at the end of a run (or a merge). */
export function summaryOf(run: RunFigures, findings: Findings): string {
  const { totals } = run;
  // A protocol mix: the probe's revision is one of several the clients spoke.
  const revisions = Object.keys(totals.byProtocol ?? {});
  const errors = Object.entries(run.errorsByKind)
    .map(([kind, count]) => `  ${kind}: ${count.count} (last: ${count.lastMessage})`)
    .join('\n');
  return [
    `levels (latency in ms, measured after warm-up; SLO p99 ${run.sloMs} ms):`,
    levelTable(run.levels),
    scheduleLine(run.levels),
    lawLine(findings.littlesLaw),
    ...(run.protocol ? [protocolLine(run.protocol, revisions)] : []),
    revisions.length > 1
      ? `clients started ${totals.sessionsOpened}, ended ${totals.sessionsClosed}; calls ${totals.calls}; errors ${totals.errors}`
      : unitOfN(run.protocol) === 'clients'
        ? `stateless server: N = concurrent clients; clients started ${totals.sessionsOpened}, ended ${totals.sessionsClosed} (none held by the server); calls ${totals.calls}; errors ${totals.errors}`
        : `sessions opened ${totals.sessionsOpened}, closed ${totals.sessionsClosed}; calls ${totals.calls}; errors ${totals.errors}`,
    totals.resumptions || totals.inputRequests
      ? `streams resumed ${totals.resumptions ?? 0}; input requests declined ${totals.inputRequests ?? 0}`
      : '',
    protocolRows(totals.byProtocol),
    errors ? `errors by kind:\n${errors}` : '',
    serverFiguresText(run.levels),
    findingsText(findings),
  ]
    .filter(Boolean)
    .join('\n');
}
