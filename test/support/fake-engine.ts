import { applyWorkloadChange } from '../../source/config/workload-change.js';
import { ConfigSchema, type WorkloadInput } from '../../source/config/schema.js';
import { emptyHistory } from '../../source/engine/history.js';
import type { LevelSummary } from '../../source/engine/levels.js';
import type { EngineSnapshot } from '../../source/engine/snapshot.js';
import { planFor, type PlanRequest } from '../../source/engine/plan-request.js';
import type { EnginePort } from '../../source/ui/engine-port.js';

export function snapshotFixture(overrides: Partial<EngineSnapshot> = {}): EngineSnapshot {
  const config = ConfigSchema.parse({ concurrency: 12, mix: 'fast:1' });
  return {
    state: 'running',
    target: {
      transport: 'streamable-http',
      url: 'http://127.0.0.1:3001/mcp',
      headers: { Authorization: '[redacted]' },
    },
    startedAt: '2026-11-23T10:00:00.000Z',
    startAt: null,
    elapsedMs: 83_000,
    workload: config,
    plan: null,
    sessions: { target: 12, active: 11, connecting: 1, closing: 0, inflight: 4 },
    window: {
      seconds: 10,
      calls: 420,
      errors: 0,
      throughput: 42,
      latencyMs: { count: 420, p50: 5.2, p90: 9.9, p95: 12.5, p99: 48.1, p999: 97, max: 120, mean: 7.3 },
      initializeMs: { count: 12, p50: 3.1, p90: 4, p95: 4.2, p99: 6.6, p999: 6.6, max: 6.6, mean: 3.4 },
      tools: [],
    },
    totals: { sessionsOpened: 30, sessionsClosed: 18, calls: 3000, errors: 2 },
    errorsByKind: { 'http-503': { count: 2, lastMessage: 'fast: Service Unavailable' } },
    server: { rssBytes: 150 * 1024 * 1024, cpuPercent: 37, processes: 1 },
    generator: { cpuPercent: 12, rssBytes: 90 * 1024 * 1024, eventLoopDelayP99Ms: 1.5, workers: 2 },
    history: emptyHistory,
    levels: [],
    actions: [],
    events: [{ at: 1, level: 'warn', message: 'server: something odd' }],
    tools: [
      { name: 'fast', inputSchema: { type: 'object' } },
      { name: 'slow', inputSchema: { type: 'object' } },
    ],
    ...overrides,
  };
}

/** A stand-in engine for UI tests: records what the UI asked of it. */
export class FakeEngine implements EnginePort {
  snapshot: EngineSnapshot;
  readonly calls: string[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(snapshot = snapshotFixture()) {
    this.snapshot = snapshot;
  }
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = (): EngineSnapshot => this.snapshot;
  publish(snapshot: EngineSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }
  /** Applies the change through the real schema, as the engine does, and publishes it. */
  setWorkload(change: WorkloadInput): void {
    this.calls.push(`setWorkload ${JSON.stringify(change)}`);
    this.publish({ ...this.snapshot, workload: applyWorkloadChange(this.snapshot.workload, change) });
  }
  pause(): void {
    this.calls.push('pause');
    this.publish({ ...this.snapshot, state: 'paused' });
  }
  resume(): void {
    this.calls.push('resume');
    this.publish({ ...this.snapshot, state: 'running' });
  }
  togglePlan(): void {
    this.calls.push('togglePlan');
    if (!this.snapshot.plan) throw new Error('no step plan: start with --steps 1,5,10 --hold SECONDS');
  }
  /** Builds the plan as the engine does (a bad one throws) and publishes its state. */
  startPlan(request: PlanRequest): void {
    this.calls.push(`startPlan ${JSON.stringify(request)}`);
    const plan = planFor(request, { warmupS: 10, ceilingPrecision: 10, sloMs: () => 2000 });
    const first = plan.start(Date.parse(this.snapshot.startedAt) + this.snapshot.elapsedMs);
    this.publish({
      ...this.snapshot,
      plan: plan.state(),
      workload: applyWorkloadChange(this.snapshot.workload, { concurrency: first }),
    });
  }
  mark(label: string): void {
    this.calls.push(`mark ${label}`);
  }
}

/** A level as the engine reports it, with the P99 given. */
export function levelFixture(index: number, concurrency: number, p99: number, ended = true): LevelSummary {
  const latency = {
    count: 200,
    p50: p99 / 2,
    p90: p99 * 0.8,
    p95: p99 * 0.9,
    p99,
    p999: p99,
    max: p99,
    mean: p99 / 2,
  };
  return {
    index,
    concurrency,
    arrivalRate: null,
    startedAt: '2026-11-23T10:00:00.000Z',
    measuredFrom: '2026-11-23T10:00:10.000Z',
    endedAt: ended ? '2026-11-23T10:05:00.000Z' : null,
    durationMs: 290_000,
    calls: 200,
    errors: 0,
    errorsByKind: {},
    // As the response-time law gives it for the default workload (Z ≈ 2900 ms a call): N = X·(R + Z).
    throughput: Math.round((concurrency / (p99 / 2 + 2900)) * 100_000) / 100,
    latencyMs: latency,
    latencyCorrectedMs: null,
    scheduleLagMs: null,
    initializeMs: null,
    closeMs: null,
    tools: {},
    serverRssBytes: null,
    serverRssStartBytes: null,
    serverRssMidBytes: null,
    settled: true,
    serverCpuPercent: null,
    generator: { cpuPercent: 5, rssBytes: 1, eventLoopDelayP99Ms: 1 },
    histogram: null,
    histogramCorrected: null,
  };
}
