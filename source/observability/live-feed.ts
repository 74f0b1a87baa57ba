import type { EngineSnapshot } from '../engine/snapshot.js';
import { forEachBucket } from '../metrics/histogram.js';
import type { ShardInterval } from '../metrics/recorder.js';

/** Tool-call latency buckets, seconds: from a fast local call to the longest timeout worth telling apart. */
export const LATENCY_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30,
] as const;

/** Where the run's live figures go: the Prometheus endpoint, the OTLP push. */
export interface LiveSink {
  /** `count` tool calls of `tool` that took `seconds`. */
  recordCalls(tool: string, seconds: number, count: number): void;
  /** `count` more errors of `kind`. */
  addErrors(kind: string, count: number): void;
  close(): Promise<void>;
}

/** The run's gauges as of the latest snapshot, read by each sink when it is collected. */
export interface LiveGauges {
  readonly state: EngineSnapshot['state'];
  readonly sessions: EngineSnapshot['sessions'];
  readonly concurrency: number;
  readonly arrivalRate: number | null;
  readonly level: number;
  readonly windowP99S: number | null;
  readonly throughput: number;
  readonly generator: EngineSnapshot['generator'];
  readonly generatorSaturated: boolean;
  readonly server: EngineSnapshot['server'];
}

/** The run states, each a label value of the state gauge. */
export const RUN_STATES: readonly EngineSnapshot['state'][] = [
  'starting',
  'waiting',
  'running',
  'paused',
  'stopping',
  'stopped',
];

export function gaugesOf(snapshot: EngineSnapshot): LiveGauges {
  const { generator } = snapshot;
  const level = snapshot.levels[snapshot.levels.length - 1];
  return {
    state: snapshot.state,
    sessions: snapshot.sessions,
    concurrency: snapshot.workload.concurrency,
    arrivalRate: snapshot.workload.arrivalRate ?? null,
    level: level?.index ?? 0,
    windowP99S: snapshot.window.latencyMs ? snapshot.window.latencyMs.p99 / 1000 : null,
    throughput: snapshot.window.throughput,
    generator,
    // The same rule as the screen's warning (a worker's core nearly used up, or its event loop lagging).
    generatorSaturated:
      generator.eventLoopDelayP99Ms > 50 || generator.cpuPercent > 85 * Math.max(1, generator.workers),
    server: snapshot.server,
  };
}

/** Feeds every sink from the shards' intervals (calls, errors) as the engine collects them. */
export function feedIntervals(sinks: readonly LiveSink[], intervals: readonly ShardInterval[]): void {
  if (sinks.length === 0) return;
  for (const interval of intervals) {
    for (const [tool, figures] of Object.entries(interval.tools)) {
      forEachBucket(figures.latency, (ms, count) => {
        for (const sink of sinks) sink.recordCalls(tool, ms / 1000, count);
      });
    }
    for (const [kind, count] of Object.entries(interval.errorsByKind))
      for (const sink of sinks) sink.addErrors(kind, count.count);
  }
}
