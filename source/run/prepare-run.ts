import type { Config } from '../config/schema.js';
import { LoadEngine } from '../engine/load-engine.js';
import { RecordingWriter } from '../replay/recording-writer.js';
import { preflight, PreflightError, type PreflightResult } from '../engine/preflight.js';
import { sampleProcess } from '../metrics/process-stats.js';
import { serverTextOf, type Target } from '../mcp-client/target.js';
import {
  isModernRevision,
  LEGACY_REVISION,
  MODERN_REVISION,
  type ProtocolRevision,
} from '../mcp-client/protocol-era.js';
import { accepting, splitCommand, startServer, waitForPort, type SpawnedServer } from './spawn-server.js';
import { openServerLog, type ServerLog } from './server-log.js';
import type { ServerText } from '../mcp-client/server-text.js';
import { startObservability, type RunObservability } from '../observability/observability.js';
import { VERSION } from '../report/write-report.js';
import { DEMO_MIX, DEMO_PROTOCOL_MIX, startDemoServer } from './built-in-demo.js';

/** How long a `--spawn`ed server may take to accept connections and then serve its first session, ms. */
const SPAWN_READY_MS = 30_000;

/** Everything a run needs, prepared before any load starts. */
export interface PreparedRun {
  readonly config: Config;
  readonly target: Target;
  readonly engine: LoadEngine;
  readonly preflight: PreflightResult;
  /** Writes the run to `--record` as it goes; `end()` it with the final snapshot. */
  readonly recording: RecordingWriter | null;
  /**
   * Resolves if a server this tool started (`--spawn`, the demo) exits before `cleanup()`, with one line
   * that says which, how and its last words: the run has lost its target. Never resolves otherwise.
   */
  readonly serverExited: Promise<string>;
  /** The server's scraped metrics and the live export (`--server-metrics`, `--metrics-port`, `--otlp-endpoint`). */
  readonly observability: RunObservability;
  /** Stops servers this tool started. */
  cleanup(): Promise<void>;
}

/** `--header` values with `--header-env` ones read from the environment (the schema checked they are set). */
function headersOf(config: Config): Record<string, string> {
  const fromEnv = Object.entries(config.headerEnv).map(([name, variable]): [string, string] => [
    name,
    process.env[variable] ?? '',
  ]);
  return { ...config.headers, ...Object.fromEntries(fromEnv) };
}

/**
 * Starts what the run needs: its server (`--spawn`, the demo), the preflight, the engine, its outputs.
 * `headless`: the server's own lines go to stderr as well as the event log (unless `--server-log`).
 */
export async function prepareRun(chosen: Config, headless: boolean): Promise<PreparedRun> {
  const demoMix = !chosen.command && !chosen.url && chosen.protocol === 'auto' && !chosen.protocolMix;
  const config = demoMix ? { ...chosen, protocolMix: DEMO_PROTOCOL_MIX } : chosen;
  let spawned: SpawnedServer | null = null;
  let observability: RunObservability | null = null;
  let serverLog: ServerLog | null = null;
  let target: Target;
  let mix = config.mix;
  const serverPids: number[] = [];
  const startedAt = Date.now();
  try {
    if (config.command) {
      const [command, ...args] = config.command;
      target = { transport: 'stdio', command: command!, args };
    } else if (config.url) {
      target = {
        transport: config.sse ? 'sse' : 'streamable-http',
        url: config.url,
        headers: headersOf(config),
        getStream: config.getStream,
        protocol: config.protocol,
      };
      if (config.spawn) {
        // Else the server spawned would fail to listen ("port in use") and the other one would be tested.
        if (await accepting(config.url))
          throw new PreflightError(
            `--spawn: something already accepts connections at ${new URL(config.url).host}, before the server was started; stop it or give --url another port`,
          );
        spawned = await startServer(splitCommand(config.spawn));
        const server = spawned;
        let exit: string | null = null;
        void server.exited.then((how) => (exit = how));
        await waitForPort(config.url, SPAWN_READY_MS, () => exit);
        serverPids.push(server.pid);
      }
    } else {
      const demo = await startDemoServer(config);
      spawned = demo.server;
      target = {
        transport: 'streamable-http',
        url: demo.url,
        headers: headersOf(config),
        getStream: config.getStream,
        // It serves both eras; unless the run chose (a pinned --protocol, --protocol-mix), it speaks 2025-11-25
        // so that its documented knee and earlier runs stay comparable.
        protocol: config.protocol === 'auto' && !config.protocolMix ? LEGACY_REVISION : config.protocol,
      };
      serverPids.push(demo.server.pid);
      mix ??= [...DEMO_MIX];
    }
    if (config.pid) {
      if (!sampleProcess(config.pid))
        throw new PreflightError(`--pid ${config.pid}: no such process on this machine`);
      serverPids.push(config.pid);
    }
    // Before preflight: a bad probe file or a metrics URL that does not answer is told before anything else.
    observability = await startObservability(config, VERSION);
    const observed = observability;
    const check = config.independence;
    if (check && !(mix ?? []).some((entry) => entry.tool === check.tool)) {
      throw new PreflightError(
        `--check-independence: tool "${check.tool}" is not in the mix; add it to --mix`,
      );
    }
    // The nonce is set per call: check the arguments with one in place.
    const args = check
      ? { ...config.args, [check.tool]: { ...config.args[check.tool], [check.argument]: 'nonce' } }
      : config.args;
    const checked = await preflight(target, {
      mix,
      args,
      timeoutMs: config.timeoutMs,
      // A spawned server may accept connections before it can serve: keep trying for a while.
      retry: config.spawn ? { since: startedAt, forMs: SPAWN_READY_MS } : undefined,
      protocol: target.transport === 'streamable-http' ? config.protocol : undefined,
    });
    // Probed once: every client of the run speaks what the preflight found.
    if (target.transport === 'streamable-http') target = { ...target, protocol: pinnedRevision(checked) };
    serverLog = openLog(config.serverLog, headless, serverTextOf(target));
    const revisions = [pinnedRevision(checked)];
    // A protocol mix: every revision it names is checked too (a weight of 0 may be turned up live).
    for (const { revision } of config.protocolMix ?? []) {
      if (revisions.includes(revision)) continue;
      await preflight(target, {
        mix,
        args,
        timeoutMs: config.timeoutMs,
        protocol: revision,
        flag: '--protocol-mix',
      });
      revisions.push(revision);
    }
    // Loaded only when asked for: its writer loads the histogram package's encoding and WebAssembly build.
    const hdrLog = config.hdrLog
      ? new (await import('../report/hdr-log.js')).HdrIntervalLog(config.hdrLog, Date.now())
      : null;
    const engine = new LoadEngine({
      config,
      target,
      mix: mix!,
      tools: checked.tools,
      serverPids,
      protocol: { version: checked.protocolVersion, stateful: checked.stateful },
      revisions,
      onInterval: hdrLog
        ? (call, start, end, corrected) => hdrLog.write(call, start, end, corrected)
        : undefined,
      serverMetrics: observed.serverMetrics ?? undefined,
      onShardIntervals: observed.onShardIntervals,
      serverLines: serverLog ?? undefined,
    });
    await observed.attach(engine);
    const recording = config.record ? openRecording(config.record, engine) : null;
    const { failuresBeforeFirstSession: failures, msToFirstSession } = checked.startup;
    if (config.spawn)
      engine.log(
        failures > 0 ? 'warn' : 'info',
        `first session after ${msToFirstSession} ms, ${failures} failed initialize attempts before it`,
      );
    const hint = thinkTimeHint(config.thinkMs);
    if (hint) engine.log('warn', hint);
    const server = spawned;
    const name = config.spawn ? 'the --spawn server' : 'the demo server';
    let stopping = false;
    const exitLine = (how: string): string =>
      serverTextOf(target).clean(`${name} (pid ${server?.pid}) ${how}`);
    if (server && (server.child.exitCode !== null || server.child.signalCode !== null))
      throw new PreflightError(exitLine(await server.exited));
    const serverExited = new Promise<string>((resolve) => {
      void server?.exited.then((how) => {
        if (stopping) return;
        engine.log('error', exitLine(how));
        resolve(exitLine(how));
      });
    });
    server?.lines.forEach((line) => engine.serverLine(line));
    server?.onLine((line) => engine.serverLine(line));
    const log = serverLog;
    return {
      config,
      target: target!,
      engine,
      preflight: checked,
      recording,
      serverExited,
      observability: observed,
      cleanup: async () => {
        stopping = true;
        await observed.close();
        await server?.stop();
        hdrLog?.close();
        log?.close();
      },
    };
  } catch (error) {
    await observability?.close();
    await spawned?.stop();
    serverLog?.close();
    throw error;
  }
}

/** Opens `--server-log` (or stderr when headless); a path that cannot be written is said in one line. */
function openLog(file: string | undefined, headless: boolean, text: ServerText): ServerLog | null {
  try {
    return openServerLog(file, headless, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PreflightError(
      `--server-log ${file}: cannot write the server log (${reason}); choose another path`,
    );
  }
}

/** The revision the preflight's client spoke, as the run's clients will. */
function pinnedRevision(checked: { readonly protocolVersion: string }): ProtocolRevision {
  return isModernRevision(checked.protocolVersion) ? MODERN_REVISION : LEGACY_REVISION;
}

/** Starts the recording and feeds it every published snapshot. */
function openRecording(file: string, engine: LoadEngine): RecordingWriter {
  let recording: RecordingWriter;
  try {
    recording = new RecordingWriter(file, engine.getSnapshot());
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PreflightError(`--record ${file}: cannot write the recording (${reason}); choose another path`);
  }
  engine.subscribe(() => recording.observe(engine.getSnapshot()));
  return recording;
}

/** A think time of a few milliseconds was most likely meant in seconds (`--think 1-5` for 1–5 s). */
export function thinkTimeHint(thinkMs: { readonly min: number; readonly max: number }): string | null {
  if (thinkMs.min < 1 || thinkMs.max > 30) return null;
  return `--think ${thinkMs.min}-${thinkMs.max} is milliseconds: sessions barely pause between calls; if you meant seconds, write --think ${thinkMs.min * 1000}-${thinkMs.max * 1000}`;
}
