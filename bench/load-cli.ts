import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { ReportSchema, type Report } from '../source/report/report-schema.js';
import { alive, type ChildRegistry } from './child-processes.js';
import type { BenchDemoServer, DemoStats } from './demo-server.js';
import { cliPath, root } from './paths.js';

/** The live screen in a pseudo-terminal, or status lines on a pipe. */
export type DisplayMode = 'tui' | 'headless';

export type LevelReport = Report['levels'][number];

export interface LoadRunOptions {
  readonly server: BenchDemoServer;
  readonly mode: DisplayMode;
  /** Workload flags: everything but --url, --warmup, --duration, --report and --headless. */
  readonly workload: readonly string[];
  readonly warmupS: number;
  /** Seconds measured after the warm-up. */
  readonly holdS: number;
  readonly tmpDir: string;
  /** Names the report file and the run in messages. */
  readonly label: string;
}

/** One run of the built CLI and what it reported. */
export interface LoadRun {
  readonly report: Report;
  readonly level: LevelReport;
  /** Frames the TUI drew (null headless). */
  readonly frames: number | null;
  /** What looked wrong: errors, leftover sessions, counts the server disagrees with. */
  readonly warnings: readonly string[];
}

/** Size of the pseudo-terminal the TUI draws on. */
const COLUMNS = 120;
const ROWS = 40;
/** Ink opens every frame with a synchronized-update sequence. */
const FRAME_MARKER = '\u001b[?2026h';
/** How long past its --duration a run may take to close its sessions and exit. */
const EXIT_GRACE_MS = 60_000;

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

/** The load CLI's arguments for one run. */
export function loadArgs(options: Omit<LoadRunOptions, 'tmpDir' | 'label'>, reportPath: string): string[] {
  const { server, mode, workload, warmupS, holdS } = options;
  return [
    ...['--url', server.url, '--pid', String(server.pid), ...workload],
    ...['--warmup', String(warmupS), '--duration', String(warmupS + holdS)],
    ...['--report', reportPath],
    ...(mode === 'headless' ? ['--headless'] : []),
  ];
}

/** The environment of a run: the TUI gets a real terminal type and no CI markers (Ink would draw once). */
function environment(mode: DisplayMode): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: String(COLUMNS), LINES: String(ROWS) };
  if (mode === 'headless') return env;
  delete env['CI'];
  delete env['CONTINUOUS_INTEGRATION'];
  return {
    ...env,
    SHELL: '/bin/sh',
    TERM: env['TERM'] && env['TERM'] !== 'dumb' ? env['TERM'] : 'xterm-256color',
  };
}

/** Runs the CLI once until it exits by itself, then reads and checks its report. */
export async function runLoad(registry: ChildRegistry, options: LoadRunOptions): Promise<LoadRun> {
  const { server, mode, warmupS, holdS, tmpDir, label } = options;
  const reportPath = join(tmpDir, `${label}.json`);
  const pidPath = join(tmpDir, `${label}.pid`);
  const args = loadArgs(options, reportPath);
  const before = await server.stats();
  let cliPid: number | null = null;
  // Under `script` the CLI is a grandchild; it gets the SIGTERM itself so that it closes its sessions.
  const signalTarget = (): number | null => cliPid;
  const child =
    mode === 'headless'
      ? registry.start(label, process.execPath, [cliPath, ...args], { cwd: root, env: environment(mode) })
      : registry.start(
          label,
          'script',
          [
            '-qfec',
            `echo $$ > ${quote(pidPath)}; stty cols ${COLUMNS} rows ${ROWS}; ` +
              `exec ${[process.execPath, cliPath, ...args].map(quote).join(' ')}`,
            '/dev/null',
          ],
          // stdin stays open, as a terminal's does: on its end `script` would type an EOF into the TUI.
          { cwd: root, env: environment(mode), stdio: 'pipe', signalTarget, marker: FRAME_MARKER },
        );
  if (mode === 'tui') void readPid(pidPath).then((pid) => (cliPid = pid));

  const deadlineMs = (warmupS + holdS) * 1000 + EXIT_GRACE_MS;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    child.exited.then((code) => ({ code })),
    new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs))),
  ]);
  clearTimeout(timer);
  if (outcome === 'late') {
    await child.stop();
    throw new Error(`${label}: the CLI (${mode}) had not exited ${EXIT_GRACE_MS / 1000} s after --duration`);
  }
  const early: string[] = [];
  if (cliPid !== null && alive(cliPid)) {
    early.push(`${label}: \`script\` exited before the CLI inside it`);
    await gone(cliPid, EXIT_GRACE_MS);
  }
  const written = await readFile(reportPath, 'utf8').catch(() => null);
  if (outcome.code !== 0 || written === null) {
    const what = outcome.code !== 0 ? `exited ${outcome.code}` : `exited 0 without writing ${reportPath}`;
    throw new Error(`${label}: the CLI (${mode}) ${what}: ${lastLines(child.stderr() || child.stdout())}`);
  }

  const parsed = ReportSchema.safeParse(JSON.parse(written));
  if (!parsed.success)
    throw new Error(`${label}: the report does not match its schema: ${parsed.error.message}`);
  const report = parsed.data;
  const level = report.levels[0];
  if (!level) throw new Error(`${label}: the report has no level`);
  const frames = mode === 'tui' ? child.markers() : null;
  const warnings = [...early, ...(await check(label, options, report, level, frames, before))];
  return { report, level, frames, warnings };
}

async function check(
  label: string,
  options: LoadRunOptions,
  report: Report,
  level: LevelReport,
  frames: number | null,
  before: DemoStats,
): Promise<string[]> {
  const warnings: string[] = [];
  const warn = (message: string): number => warnings.push(`${label}: ${message}`);
  if (report.error) warn(`the report says the run failed: ${report.error}`);
  if (report.endReason !== 'duration') warn(`the run ended by ${report.endReason}, not by --duration`);
  if (level.errors > 0) warn(`${level.errors} errors while measured: ${JSON.stringify(level.errorsByKind)}`);
  if (level.initializeMs && level.initializeMs.count > 0)
    warn(
      `${level.initializeMs.count} sessions were still initializing after the ${options.warmupS} s warm-up`,
    );
  if (frames !== null && frames < options.holdS) warn(`the TUI drew only ${frames} frames`);
  const after = await settledStats(options.server, before.sessions.active);
  const served = after.calls.total - before.calls.total;
  if (served !== report.totals.calls)
    warn(`the server answered ${served} calls, the report counts ${report.totals.calls}`);
  if (after.sessions.active !== before.sessions.active)
    warn(`${after.sessions.active - before.sessions.active} sessions were left open on the server`);
  return warnings;
}

/** Server stats once its session count is back where it was (or after 3 s). */
async function settledStats(server: BenchDemoServer, active: number): Promise<DemoStats> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const stats = await server.stats();
    if (stats.sessions.active === active || Date.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function gone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function readPid(path: string): Promise<number | null> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (pid > 0) return pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/** The end of what a run printed, without the TUI's escape sequences. */
const lastLines = (text: string): string =>
  stripVTControlCharacters(text)
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-4)
    .join(' / ');

/**
 * The generator flat out: no think time, sessions that never end, the instant tool. Its cost per call is
 * then all there is to see.
 */
export function saturatingWorkload(sessions: number, workers: number): string[] {
  return [
    ...['--concurrency', String(sessions), '--think', '0-0', '--jitter', '0', '--workers', String(workers)],
    ...['--session-calls', '1000000-1000000', '--mix', 'fast:1'],
  ];
}

/** Generator CPU (user + system, all threads) per call over a level's measured part, µs. */
export function microsPerCall(level: LevelReport): number {
  const { generator, durationMs, calls } = level;
  return calls > 0 ? ((generator.cpuPercent / 100) * durationMs * 1000) / calls : Number.NaN;
}
