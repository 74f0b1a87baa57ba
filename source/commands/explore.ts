import meow from 'meow';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { summary } from '../format/run-text.js';
import { wrapLines } from '../format/fit-text.js';
import type { EndReason, Report } from '../report/report-schema.js';
import { buildFailureReport, buildReport, preloadWriters, writeReports } from '../report/write-report.js';
import { checkUnknownFlags, flagDefinitions, flagsToConfig, helpFlags, splitAtDashes } from '../run/flags.js';
import { mainHelp } from '../run/help.js';
import { checkOutputPaths } from '../run/output-paths.js';
import type { PreparedRun } from '../run/prepare-run.js';
import { EXIT_CODES } from '../run/exit-codes.js';
import { captureConsole, onInterrupt, signalExitCode } from '../run/signals.js';
import { packageVersion } from '../run/version.js';
import { chooseScreen, ciSet } from '../run/screen-choice.js';
import { describeCanary } from '../analysis/probe-canary.js';
import { fail, flagError } from './fail.js';

/** The main command: explore a server (or the built-in demo) with the live screen or status lines. */
export async function run(args: readonly string[]): Promise<number> {
  const { options: argv, command } = splitAtDashes(args);
  let cli;
  try {
    cli = meow(mainHelp(), {
      importMeta: import.meta,
      argv,
      flags: { ...flagDefinitions, ...helpFlags },
      allowUnknownFlags: true,
      autoHelp: false,
      autoVersion: false,
    });
  } catch (error) {
    return fail(flagError(error), 2);
  }
  if (cli.flags['help']) {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (cli.flags['version']) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  await explore(cli.flags, cli.unnormalizedFlags, cli.input, argv, command);
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

async function explore(
  flags: Readonly<Record<string, unknown>>,
  given: Readonly<Record<string, unknown>>,
  input: readonly string[],
  argv: readonly string[],
  command: readonly string[],
): Promise<void> {
  let config: Config;
  let run: PreparedRun;
  try {
    checkUnknownFlags(given);
    if (input.length > 0)
      throw new ConfigError(`unexpected "${input[0]}"; put a stdio server command after --`);
    config = await loadConfig(flagsToConfig(flags, command, argv), flags['config'] as string | undefined);
    await checkOutputPaths(config);
  } catch (error) {
    fail((error as Error).message, 2, error);
    return;
  }
  const startedAt = new Date();
  const terminal = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  const screen = chooseScreen(config, terminal, ciSet(process.env['CI']));
  // --quiet: stderr holds only what went wrong; stdout only the summary.
  const note = (text: string): void =>
    void (config.quiet || process.stderr.write(`mcp-load-explorer: ${text}\n`));
  try {
    // The engine, the SDK and the screen load only once the flags are good: a mistake answers at once.
    const { prepareRun } = await import('../run/prepare-run.js');
    run = await prepareRun(config, !screen.interactive);
  } catch (error) {
    const message = (error as Error).message;
    await writeReports(config, buildFailureReport(config, startedAt, message)).catch(() => undefined);
    fail(message, EXIT_CODES.error, error);
    return;
  }

  const { engine } = run;
  const signals = onInterrupt();
  // A server this tool started exited under the run: what is measured from here is not that server.
  let targetFailed: string | null = null;
  const serverExited = run.serverExited.then((line) => ((targetFailed = line), 'error' as const));
  const { interactive } = screen;
  if (screen.note) note(screen.note);
  let endReason: EndReason;
  let failure: string | null = null;
  // Where the final report goes: the configured files, or those `e` wrote when none was configured.
  let finalFiles: Pick<Config, 'report' | 'reportMd' | 'reportCsv' | 'junit'> = config;
  // Every module the rest of the run needs loads before the load starts: a run that uses up its file
  // descriptors (one socket per session) could not open a module's file afterwards.
  const [screenModule, headlessModule] = await Promise.all([
    interactive ? import('../ui/live-screen.js') : null,
    interactive ? null : import('../headless/run-headless.js'),
    preloadWriters(config, interactive),
  ]);
  engine.start();
  try {
    if (screenModule) {
      const { renderLiveScreen } = screenModule;
      const restoreConsole = captureConsole((level, message) => engine.log(level, message));
      let quit = false;
      const exportReport = async (): Promise<string> => {
        const fallback = `mcp-load-explorer-${startedAt.toISOString().replace(/[:.]/g, '-')}`;
        const files =
          config.report || config.reportMd || config.reportCsv
            ? config
            : { report: `${fallback}.json`, reportMd: `${fallback}.md` };
        // The final report goes to the same files at the end, so what `e` wrote is not left stale.
        if (files !== config) finalFiles = { ...config, ...files };
        const snapshot = engine.getSnapshot();
        const report = buildReport({
          snapshot,
          config,
          server: serverOf(run),
          endReason: 'snapshot',
          startup: run.preflight.startup,
        });
        return `report written to ${(await writeReports(files, report)).join(', ')}`;
      };
      const app = renderLiveScreen(
        {
          engine,
          onQuit: () => (quit = true),
          onExportReport: exportReport,
          planDefaults: { holdS: config.holdS, warmupS: config.warmupS },
        },
        !process.env['NO_COLOR'],
      );
      // In the live screen a finished step plan leaves the last level held; only --duration ends the run.
      const durationOver = engine.finished.then((reason) =>
        reason === 'duration' ? reason : new Promise<never>(() => undefined),
      );
      const outcome = await Promise.race([
        app.waitUntilExit().then(() => 'quit' as const),
        signals.interrupted,
        durationOver,
        serverExited,
      ]);
      endReason = quit ? 'quit' : outcome;
      app.unmount();
      restoreConsole();
    } else {
      const { runHeadless } = headlessModule!;
      endReason = await runHeadless(engine, {
        json: config.json,
        quiet: config.quiet,
        write: (line) => process.stdout.write(`${line}\n`),
        warn: (line) => process.stderr.write(`mcp-load-explorer: ${line}\n`),
        interrupted: Promise.race([signals.interrupted, serverExited]),
      });
    }
  } catch (error) {
    endReason = 'error';
    failure = (error as Error).message;
  }

  note('closing sessions…');
  // Every session ended on the server (a second interrupt stops the wait for calls), then our servers.
  const final = await engine.stop(undefined, signals.hurried);
  run.recording?.end(final, endReason);
  await run.cleanup();
  const canary = await run.observability.canary(final.levels);
  targetFailed ??= endReason === 'interrupted' ? null : engine.targetFailure();
  const report = buildReport({
    snapshot: final,
    config,
    server: serverOf(run),
    endReason,
    error: failure ?? targetFailed,
    startup: run.preflight.startup,
    canary,
  });
  // --json: the last line is the whole report, analysis included (`schema report` describes it).
  if (config.json) process.stdout.write(`${JSON.stringify({ type: 'summary', ...report })}\n`);
  else {
    const text = `${summary(final)}\n${canary ? `${describeCanary(canary).join('\n')}\n` : ''}`;
    // On a terminal, long findings are wrapped at spaces rather than split mid-word by the terminal.
    process.stdout.write(process.stdout.isTTY ? wrapLines(text, process.stdout.columns || 80) : text);
  }
  if (config.spawn) {
    const { failuresBeforeFirstSession: failures, msToFirstSession } = run.preflight.startup;
    note(
      `startup: first session ${msToFirstSession} ms after --spawn, ${failures} failed attempts before it`,
    );
  }
  const written = await writeReports(finalFiles, report).catch((error: Error) => {
    fail(`could not write the report: ${error.message}`, EXIT_CODES.error);
    return [];
  });
  if (written.length) note(`report written to ${written.join(', ')}`);
  for (const result of report.assertions) {
    const worst = result.worst
      ? `${result.worst.value} at N=${result.worst.concurrency}`
      : 'no level measured';
    const line = `assert ${result.expression}: ${result.passed ? 'passed' : 'FAILED'} (worst ${worst})`;
    if (result.passed) note(line);
    else process.stderr.write(`mcp-load-explorer: ${line}\n`);
    if (!result.passed) process.exitCode = EXIT_CODES.assertFailed;
  }
  if (failure) fail(failure, EXIT_CODES.error);
  if (targetFailed) fail(targetFailed, EXIT_CODES.targetFailed);
  // Shells expect 128 + the signal's number of a run a signal ended, whatever else happened.
  if (signals.signal) process.exitCode = signalExitCode(signals.signal);
  signals.dispose();
}

/** The server as the report names it: its identity and the protocol era the run found. */
function serverOf(run: PreparedRun): Report['server'] {
  const { server, protocolVersion, stateful } = run.preflight;
  return server ? { ...server, protocolVersion, stateful } : null;
}
