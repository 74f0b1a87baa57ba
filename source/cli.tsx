#!/usr/bin/env node
import meow from 'meow';
import { z } from 'zod';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { ConfigSchema, type Config } from './config/schema.js';
import { PreflightError } from './engine/preflight-error.js';
import { summary } from './format/run-text.js';
import { compareReports, readReport, renderComparison } from './report/compare.js';
import { runMergeCommand } from './report/merge-command.js';
import { ReportSchema, type EndReason } from './report/report-schema.js';
import { buildFailureReport, buildReport, writeReports } from './report/write-report.js';
import { checkUnknownFlags, flagDefinitions, flagsToConfig, splitAtDashes } from './run/flags.js';
import { checkOutputPaths } from './run/output-paths.js';
import type { PreparedRun } from './run/prepare-run.js';
import { captureConsole, onInterrupt } from './run/signals.js';
import { OBSERVABILITY_HELP } from './observability/options.js';
import { describeCanary } from './observability/probe-canary.js';
import { readRecording, type Recording } from './replay/read-recording.js';
import { replayText } from './replay/replay-text.js';

const help = `
  Usage
    $ mcp-load-explorer [options]                      explore the built-in demo server
    $ mcp-load-explorer --url http://host:port/mcp [options]
    $ mcp-load-explorer [options] -- <command> [args…]  stdio: one server process per session
    $ mcp-load-explorer demo-server [--port N] [--stdio] [--bottleneck KIND]
    $ mcp-load-explorer compare BASE.json NEW.json     overlay two runs' P99-vs-N, flag regressions (exit 4)
    $ mcp-load-explorer replay FILE [--speed X] [--paused] [--headless]   play a --record recording back
    $ mcp-load-explorer merge A.json B.json… [--report OUT.json] [--report-md F] [--report-csv F]
                                                       add agents' reports level by level, re-run the analysis
    $ mcp-load-explorer schema config|report           print the JSON Schema

  Target
    --url URL              Streamable HTTP endpoint (add --sse for legacy HTTP+SSE)
    --no-get-stream        Streamable HTTP: skip the optional GET stream (one socket fewer per session)
    --header "Name: value" extra HTTP header, repeatable (values are never shown)
    --header-env Name=VAR  header Name's value from environment variable VAR (keeps secrets out of argv)
    --spawn "CMD"          start the HTTP server with this command and track its RSS/CPU
    --pid N                track RSS/CPU of a running local server
    --bottleneck KIND      the embedded demo server's bottleneck: none|cpu|event-loop|memory|pool|state-leak (pool)

  Workload (all live-adjustable)
    -n, --concurrency N    sessions held open (10)
    --arrival-rate R       open model: sessions arrive at R/s (Poisson), make their calls and leave
    --max-sessions N       open model: cap on sessions open at once (10000)
    --jitter MS            each new session starts after a random 0..MS delay (1000)
    --think MIN-MAX        think time between a session's calls, ms (1000-5000)
    --session-calls MIN-MAX  calls per session before it closes and is replaced (10-50)
    --mix "tool:w,…"       weighted tool mix (required for servers other than the demo)
    --args 'tool=JSON'     arguments for a tool, repeatable
    --timeout MS           per-call timeout (30000)
    --slo MS               P99 tool-call SLO (2000)

  Plan and output
    --steps 1,5,10         concurrency levels to walk through (arrival rates with --arrival-rate)
    --find-ceiling         search for the ceiling: N = 1, 2, 4, … then bisect (each level held --hold S)
    --ceiling-precision P  stop the search when good and bad N are within P% (10)
    --hold S               seconds per step (300)
    --start-at TIME        prepare, then wait until TIME (2026-11-24T09:30:00Z or +30s) to start the load
    --duration S           length of a single-level run
    --warmup S             seconds left out at the start of each level (10)
    --window S             rolling window of the live figures (10)
    --workers N            worker threads holding sessions, 0 = in-process (cores)
    --config FILE          settings as JSON (same names as the report's config)
    --report FILE.json     write the JSON report on exit
    --report-md FILE.md    also write a Markdown summary for an incident review
    --report-csv FILE.csv  also write the levels as CSV
    --hdr-log FILE.hlog    HdrHistogram interval log of tool-call latency, written as the run goes
    --record FILE.ndjson   record the run (a frame a second, actions, events) for \`replay\`
    --assert EXPR          threshold on every level, e.g. p99<2000 or errors<1%; exit 3 if broken
    --json                 one JSON snapshot per second on stdout
    --headless             status lines instead of the TUI, even on a terminal
${OBSERVABILITY_HELP}`;

const { options: argv, command } = splitAtDashes(process.argv.slice(2));

if (argv[0] === 'demo-server') {
  const { runDemoServerCommand } = await import('./demo-server/command.js');
  process.exitCode = await runDemoServerCommand([...argv.slice(1), ...command]);
} else if (argv[0] === 'compare') {
  const [base, next] = argv.slice(1);
  if (!base || !next || argv.length > 3) fail('compare: give two JSON reports, BASE.json NEW.json', 2);
  else {
    try {
      const comparison = compareReports(await readReport(base), await readReport(next));
      console.log(renderComparison(comparison, Boolean(process.stdout.isTTY) && !process.env['NO_COLOR']));
      if (comparison.regressions > 0) process.exitCode = 4;
    } catch (error) {
      fail((error as Error).message, 2);
    }
  }
} else if (argv[0] === 'replay') {
  await replay(argv.slice(1));
} else if (argv[0] === 'merge') {
  process.exitCode = await runMergeCommand(argv.slice(1));
} else if (argv[0] === 'schema') {
  const schema = argv[1] === 'report' ? ReportSchema : argv[1] === 'config' ? ConfigSchema : null;
  if (schema)
    console.log(JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2));
  else fail('schema: name config or report', 2);
} else {
  const cli = meow(help, { importMeta: import.meta, argv, flags: flagDefinitions, allowUnknownFlags: true });
  await explore(cli.flags, cli.unnormalizedFlags, cli.input);
}

async function explore(
  flags: Record<string, unknown>,
  given: Record<string, unknown>,
  input: string[],
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
    return fail((error as Error).message, 2, error);
  }
  const startedAt = new Date();
  try {
    // The engine, the SDK and the screen load only once the flags are good: a mistake answers at once.
    const { prepareRun } = await import('./run/prepare-run.js');
    run = await prepareRun(config);
  } catch (error) {
    const message = (error as Error).message;
    await writeReports(config, buildFailureReport(config, startedAt, message)).catch(() => undefined);
    return fail(message, 1, error);
  }

  const { engine } = run;
  const signals = onInterrupt();
  const interactive =
    !config.headless && !config.json && Boolean(process.stdout.isTTY && process.stdin.isTTY);
  if (!interactive && !config.headless && !config.json)
    process.stderr.write(
      'mcp-load-explorer: no terminal (stdin or stdout is not a TTY): status lines instead of the live screen; pass --headless to say so\n',
    );
  let endReason: EndReason;
  let failure: string | null = null;
  engine.start();
  try {
    if (interactive) {
      const [{ render }, { App }, { ColorContext }] = await Promise.all([
        import('ink'),
        import('./ui/app.js'),
        import('./ui/color.js'),
      ]);
      const restoreConsole = captureConsole((level, message) => engine.log(level, message));
      let quit = false;
      const exportReport = async (): Promise<string> => {
        const fallback = `mcp-load-explorer-${startedAt.toISOString().replace(/[:.]/g, '-')}`;
        const files =
          config.report || config.reportMd || config.reportCsv
            ? config
            : { report: `${fallback}.json`, reportMd: `${fallback}.md` };
        const snapshot = engine.getSnapshot();
        const report = buildReport({
          snapshot,
          config,
          server: run.preflight.server,
          endReason: 'quit',
          startup: run.preflight.startup,
        });
        return `report written to ${(await writeReports(files, report)).join(', ')}`;
      };
      const app = render(
        <ColorContext.Provider value={!process.env['NO_COLOR']}>
          <App engine={engine} onQuit={() => (quit = true)} onExportReport={exportReport} />
        </ColorContext.Provider>,
        { exitOnCtrlC: false, patchConsole: false, maxFps: 10 },
      );
      // In the live screen a finished step plan leaves the last level held; only --duration ends the run.
      const durationOver = engine.finished.then((reason) =>
        reason === 'duration' ? reason : new Promise<never>(() => undefined),
      );
      const outcome = await Promise.race([
        app.waitUntilExit().then(() => 'quit' as const),
        signals.interrupted,
        durationOver,
      ]);
      endReason = quit ? 'quit' : outcome;
      app.unmount();
      restoreConsole();
    } else {
      const { runHeadless } = await import('./headless/run-headless.js');
      endReason = await runHeadless(engine, {
        json: config.json,
        write: (line) => process.stdout.write(`${line}\n`),
        interrupted: signals.interrupted,
      });
    }
  } catch (error) {
    endReason = 'error';
    failure = (error as Error).message;
  }

  process.stderr.write('mcp-load-explorer: closing sessions…\n');
  const final = await engine.stop();
  run.recording?.end(final, endReason);
  await run.cleanup();
  signals.dispose();
  const canary = await run.observability.canary(final.levels);
  if (config.json)
    process.stdout.write(
      `${JSON.stringify({ type: 'summary', levels: final.levels, totals: final.totals, startup: run.preflight.startup, ...(canary ? { canary } : {}) })}\n`,
    );
  else process.stdout.write(`${summary(final)}\n${canary ? `${describeCanary(canary).join('\n')}\n` : ''}`);
  if (config.spawn) {
    const { failuresBeforeFirstSession: failures, msToFirstSession } = run.preflight.startup;
    process.stderr.write(
      `mcp-load-explorer: startup: first session ${msToFirstSession} ms after --spawn, ${failures} failed attempts before it\n`,
    );
  }
  const report = buildReport({
    snapshot: final,
    config,
    server: run.preflight.server,
    endReason,
    error: failure,
    startup: run.preflight.startup,
    canary,
  });
  const written = await writeReports(config, report).catch((error: Error) => {
    fail(`could not write the report: ${error.message}`, 1);
    return [];
  });
  if (written.length) process.stderr.write(`mcp-load-explorer: report written to ${written.join(', ')}\n`);
  for (const result of report.assertions) {
    const worst = result.worst
      ? `${result.worst.value} at N=${result.worst.concurrency}`
      : 'no level measured';
    process.stderr.write(
      `mcp-load-explorer: assert ${result.expression}: ${result.passed ? 'passed' : 'FAILED'} (worst ${worst})\n`,
    );
    if (!result.passed) process.exitCode = 3;
  }
  if (failure) fail(failure, 1);
}

/** Plays a `--record` recording back: the live screen on a terminal, else its status lines and summary. */
async function replay(args: string[]): Promise<void> {
  const usage = 'replay FILE [--speed X] [--paused] [--headless]';
  const cli = meow(help, {
    importMeta: import.meta,
    argv: args,
    allowUnknownFlags: false,
    flags: {
      speed: { type: 'number', default: 1 },
      paused: { type: 'boolean' },
      headless: { type: 'boolean' },
    },
  });
  const [file, extra] = cli.input;
  if (!file || extra) return fail(`replay: give one recording file: ${usage}`, 2);
  if (!(cli.flags.speed > 0 && cli.flags.speed <= 1000))
    return fail('replay --speed: a positive number of recorded seconds per second, e.g. 4', 2);
  let recording: Recording;
  try {
    recording = await readRecording(file);
  } catch (error) {
    return fail((error as Error).message, 2, error);
  }
  if (recording.truncated)
    process.stderr.write('mcp-load-explorer: the last line of the recording was cut short and is left out\n');
  if (cli.flags.headless || !process.stdout.isTTY || !process.stdin.isTTY) {
    process.stdout.write(`${replayText(recording)}\n`);
    return;
  }
  const [{ render }, { ReplayApp }, { ColorContext }, { ReplayPlayer }] = await Promise.all([
    import('ink'),
    import('./ui/replay-app.js'),
    import('./ui/color.js'),
    import('./replay/replay-player.js'),
  ]);
  const player = new ReplayPlayer(recording, { speed: cli.flags.speed, paused: cli.flags.paused });
  const app = render(
    <ColorContext.Provider value={!process.env['NO_COLOR']}>
      <ReplayApp player={player} onQuit={() => player.stop()} />
    </ColorContext.Provider>,
    { exitOnCtrlC: false, maxFps: 10 },
  );
  await app.waitUntilExit();
  player.stop();
}

/** One line, no stack trace, a non-zero exit code. */
function fail(message: string, code: number, error?: unknown): void {
  process.stderr.write(`mcp-load-explorer: ${message}\n`);
  const expected = error instanceof ConfigError || error instanceof PreflightError;
  if (process.env['DEBUG'] && error instanceof Error && !expected) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}
