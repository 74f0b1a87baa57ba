import type { Workload } from '../config/schema.js';
import type { EngineConfig } from './engine-config.js';
import { createHistogram, type LatencyHistogram } from '../metrics/histogram.js';
import { RollingWindow, type WindowFigures } from '../metrics/rolling-window.js';
import { addInto } from '../metrics/schedule-lag.js';
import { LevelBook } from './level-book.js';
import { ResourceMonitor, type RemoteServerFigures } from './resource-monitor.js';
import type { ServerLineSink, ShardInterval } from '../metrics/recorder.js';
import { RunTotals } from './run-totals.js';
import type { ShardReport } from './session-pool.js';
import { TargetHealth } from './target-health.js';
import type { EngineSnapshot } from './snapshot.js';

export interface MeasurementOptions {
  /** Server processes known up front (`--spawn`, `--pid`, the demo server). */
  readonly serverPids?: readonly number[];
  /**
   * Receives each collected interval's merged tool-call histogram, and in the open model the corrected one
   * (for the HdrHistogram interval log).
   */
  readonly onInterval?: (
    call: LatencyHistogram,
    startMs: number,
    endMs: number,
    corrected: LatencyHistogram | null,
  ) => void;
  /** The server's own metrics (`--server-metrics`), sampled with the resources once a second. */
  readonly serverMetrics?: RemoteServerFigures;
  /** Receives each shard's interval as it is collected (the live metrics export). */
  readonly onShardIntervals?: (intervals: readonly ShardInterval[], now: number) => void;
  /** Where the server's own lines go besides, or instead of, the event log (`--server-log`, stderr). */
  readonly serverLines?: ServerLineSink;
}

/** The figures of a snapshot that come from measurements. */
export type MeasuredFigures = Pick<
  EngineSnapshot,
  'sessions' | 'window' | 'totals' | 'errorsByKind' | 'server' | 'generator' | 'history' | 'levels' | 'events'
>;

/**
 * Everything the controller measured: the shards' intervals merged into the rolling window, the run's
 * totals and its levels, and once a second the server's and the generator's resources.
 */
export class Measurements {
  private window: RollingWindow;
  /**
   * The window's figures as of the last collect: a pass over every histogram's buckets, done once per
   * collect for the resource sample and every snapshot until the next one (the window only changes there).
   */
  private windowFigures: WindowFigures | null = null;
  readonly totals: RunTotals;
  /** When anything last succeeded: a run whose last seconds only failed lost its target. */
  readonly health = new TargetHealth(Date.now());
  readonly levels: LevelBook;
  private readonly resources: ResourceMonitor;
  private lastCollectAt = Date.now();

  constructor(
    private readonly config: EngineConfig,
    private readonly options: MeasurementOptions,
  ) {
    this.totals = new RunTotals(options.serverLines);
    this.window = new RollingWindow(config.windowS, Date.now());
    this.levels = new LevelBook(config.warmupS * 1000);
    this.resources = new ResourceMonitor(options.serverMetrics ?? null);
  }

  /** The load begins (after any `--start-at` wait): live figures count from here. */
  begin(now: number, workload: Workload): void {
    this.lastCollectAt = now;
    this.window = new RollingWindow(this.config.windowS, now);
    this.windowFigures = null;
    this.resources.start();
    this.levels.begin(now, workload);
    this.health.begin(now);
  }

  /** Merges one round of shard reports (shard `index` is the report's position). */
  absorb(reports: readonly ShardReport[], now: number): void {
    this.health.observe(
      reports.map((report) => report.interval),
      now,
    );
    if (this.options.onInterval) {
      const merged = createHistogram();
      let corrected: LatencyHistogram | null = null;
      for (const report of reports) {
        merged.add(report.interval.call);
        corrected = addInto(corrected, report.interval.corrected);
      }
      this.options.onInterval(merged, this.lastCollectAt, now, corrected);
      this.lastCollectAt = now;
    }
    this.options.onShardIntervals?.(
      reports.map((report) => report.interval),
      now,
    );
    reports.forEach((report, index) => {
      this.totals.add(index, report);
      this.window.add(report.interval, now);
      this.levels.add(report.interval, now);
    });
    this.windowFigures = this.window.figures(now);
    // Little's law counts a session from its arrival to its departure: opening and closing ones too.
    const sessions = this.totals.sessions();
    this.levels.addSessions(now, sessions.active + sessions.connecting + sessions.closing);
    if (this.resources.due(now)) this.sampleResources(now, this.windowFigures);
  }

  private sampleResources(now: number, window: WindowFigures): void {
    const p99Ms = window.latencyMs?.p99 ?? null;
    this.resources.sample(now, {
      pids: [...(this.options.serverPids ?? []), ...this.totals.stdioPids()],
      shardLoopDelayP99Ms: this.totals.shardLoopDelayP99Ms(),
      p99Ms,
      throughput: window.throughput,
    });
    this.levels.addResources(now, this.resources.server, this.resources.generator, p99Ms);
  }

  figures(now: number, targetSessions: number): MeasuredFigures {
    const byProtocol = this.totals.byProtocol();
    return {
      sessions: { ...this.totals.sessions(), target: targetSessions },
      window: this.windowFigures ?? this.window.figures(now),
      totals: {
        sessionsOpened: this.totals.sessionsOpened,
        sessionsClosed: this.totals.sessionsClosed,
        resumptions: this.totals.resumptions,
        inputRequests: this.totals.inputRequests,
        calls: this.totals.calls,
        errors: this.totals.errors,
        ...(byProtocol ? { byProtocol } : {}),
      },
      errorsByKind: this.totals.errorsByKind,
      server: this.resources.server,
      generator: { ...this.resources.generator, workers: this.config.workers },
      history: this.resources.history,
      levels: this.levels.summaries(now),
      events: this.totals.events,
    };
  }

  /** The load stops: the last level ends, and what the shutdown brings no longer says if the target failed. */
  end(now: number): void {
    this.levels.end(now);
    this.health.end(now);
  }

  stop(): void {
    this.resources.stop();
  }
}
