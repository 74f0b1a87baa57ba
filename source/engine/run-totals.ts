import { serverLineOf, type ErrorCount, type LogEvent, type ServerLineSink } from '../metrics/recorder.js';
import { createHistogram, percentilesOf, type LatencyHistogram } from '../metrics/histogram.js';
import type { LevelSummary } from './levels.js';
import type { ShardGauges, ShardReport } from './session-pool.js';

const EVENT_LOG_SIZE = 200;

/** Whole-run counters, merged from every shard's reports. */
export class RunTotals {
  sessionsOpened = 0;
  sessionsClosed = 0;
  resumptions = 0;
  inputRequests = 0;
  calls = 0;
  errors = 0;
  errorsByKind: Record<string, ErrorCount> = {};
  events: LogEvent[] = [];
  /** Calls by the revision of their client, over the whole run (with a protocol mix). */
  private readonly protocols = new Map<
    string,
    { latency: LatencyHistogram; calls: number; errors: number }
  >();
  private readonly gauges = new Map<number, ShardGauges>();
  private readonly pids = new Map<number, readonly number[]>();
  private readonly loopDelay = new Map<number, number>();

  constructor(private readonly serverLines?: ServerLineSink) {}

  add(shard: number, report: ShardReport): void {
    const { interval } = report;
    this.sessionsOpened += interval.sessionsOpened;
    this.sessionsClosed += interval.sessionsClosed;
    this.resumptions += interval.resumptions;
    this.inputRequests += interval.inputRequests;
    this.calls += interval.calls;
    this.errors += interval.errors;
    if (interval.errors > 0) {
      const merged = { ...this.errorsByKind };
      for (const [kind, count] of Object.entries(interval.errorsByKind)) {
        merged[kind] = { count: (merged[kind]?.count ?? 0) + count.count, lastMessage: count.lastMessage };
      }
      this.errorsByKind = merged;
    }
    for (const [revision, figures] of Object.entries(interval.protocols)) {
      let entry = this.protocols.get(revision);
      if (!entry) this.protocols.set(revision, (entry = { latency: createHistogram(), calls: 0, errors: 0 }));
      entry.latency.add(figures.latency);
      entry.calls += figures.calls;
      entry.errors += figures.errors;
    }
    for (const event of interval.events) this.log(event);
    this.gauges.set(shard, report.gauges);
    this.pids.set(shard, report.pids);
    this.loopDelay.set(shard, report.eventLoopDelayP99Ms);
  }

  /** Calls, errors and latency by revision over the run; null without a protocol mix. */
  byProtocol(): NonNullable<LevelSummary['byProtocol']> | null {
    if (this.protocols.size === 0) return null;
    return Object.fromEntries(
      [...this.protocols]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([revision, entry]) => [
          revision,
          { calls: entry.calls, errors: entry.errors, latencyMs: percentilesOf(entry.latency) },
        ]),
    );
  }

  log(event: LogEvent): void {
    const line = this.serverLines ? serverLineOf(event) : null;
    if (line !== null) {
      this.serverLines!.write(line);
      if (this.serverLines!.replacesEventLog) return;
    }
    this.events = [...this.events.slice(-(EVENT_LOG_SIZE - 1)), event];
  }

  sessions(): { target: number; active: number; connecting: number; closing: number; inflight: number } {
    const sum = { target: 0, active: 0, connecting: 0, closing: 0, inflight: 0 };
    for (const gauges of this.gauges.values()) {
      sum.target += gauges.target;
      sum.active += gauges.active;
      sum.connecting += gauges.connecting;
      sum.closing += gauges.closing;
      sum.inflight += gauges.inflight;
    }
    return sum;
  }

  stdioPids(): number[] {
    return [...this.pids.values()].flat();
  }

  shardLoopDelayP99Ms(): number {
    return Math.max(0, ...this.loopDelay.values());
  }
}
