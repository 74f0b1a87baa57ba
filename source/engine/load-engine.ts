import { applyWorkloadChange, ConfigError } from '../config/load-config.js';
import type { Config, MixEntry, Workload, WorkloadInput } from '../config/schema.js';
import { createHistogram, type LatencyHistogram } from '../metrics/histogram.js';
import { RollingWindow } from '../metrics/rolling-window.js';
import { redactTarget, type Target } from '../target/target.js';
import { Level, type LevelSummary } from './levels.js';
import { ResourceMonitor } from './resource-monitor.js';
import { checkMix } from './preflight.js';
import { RunTotals } from './run-totals.js';
import type { ShardReport } from './session-pool.js';
import { InProcessShard, TEST_WORKER_CRASH_ENV, WorkerShard, type Shard } from './shard.js';
import { shareOf, type ShardWorkload } from './shard-workload.js';
import type { EngineSnapshot, OperatorAction, PlanState, RunState, ToolInfo } from './snapshot.js';
import { CeilingSearch } from './ceiling-search.js';
import { StepPlan } from './step-plan.js';

export interface LoadEngineOptions {
  readonly config: Config;
  readonly target: Target;
  /** The mix to run (the config's, or the demo server's default). */
  readonly mix: readonly MixEntry[];
  /** The server's tools, from preflight. */
  readonly tools: readonly ToolInfo[];
  /** Server processes known up front (`--spawn`, `--pid`, the demo server). */
  readonly serverPids?: readonly number[];
  /** Receives each collected interval's merged tool-call histogram (for the HdrHistogram interval log). */
  readonly onInterval?: (call: LatencyHistogram, startMs: number, endMs: number) => void;
  /** Snapshots per second. @default 4 */
  readonly publishHz?: number;
}

/** Why the run ended on its own. */
export type FinishReason = 'plan-complete' | 'duration';

/**
 * The controller: holds shards of sessions, merges their measurements into the rolling window and
 * levels, and publishes an immutable snapshot a few times a second. It knows nothing of the terminal.
 */
export class LoadEngine {
  private snapshot: EngineSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly shards: Shard[] = [];
  private workload: Workload;
  private state: RunState = 'starting';
  /** When the load began (after any `--start-at` wait). */
  private startedAt = Date.now();
  private window: RollingWindow;
  private readonly totals = new RunTotals();
  /** Only the level being held keeps histograms; ended ones live on as summaries (memory stays bounded). */
  private level: Level | null = null;
  private readonly finishedLevels: LevelSummary[] = [];
  private actions: OperatorAction[] = [];
  private readonly plan: StepPlan | CeilingSearch | null;
  private readonly resources = new ResourceMonitor();
  private lastCollectAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private finish!: (reason: FinishReason) => void;
  /** Sessions arrive at a rate (open model) instead of being held at N (closed model). */
  private readonly open: boolean;
  /** Resolves when the step plan or `--duration` ends the run. */
  readonly finished: Promise<FinishReason>;

  constructor(private readonly options: LoadEngineOptions) {
    const { config } = options;
    this.workload = { ...pickWorkload(config), mix: [...options.mix] };
    this.open = config.arrivalRate !== undefined;
    this.window = new RollingWindow(config.windowS, this.startedAt);
    this.plan = config.findCeiling
      ? new CeilingSearch(config.holdS, () => this.workload.sloMs, config.ceilingPrecision)
      : config.steps
        ? new StepPlan(config.steps, config.holdS)
        : null;
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
    this.snapshot = this.buildSnapshot();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): EngineSnapshot => this.snapshot;

  /** Starts the shards and the publish loop; with `--start-at`, the load waits for that time. */
  start(): void {
    const { config } = this.options;
    const startAt = config.startAt ? Date.parse(config.startAt) : null;
    const wait = startAt === null ? 0 : startAt - Date.now();
    // Workers are started while waiting (idle), so the load itself starts on time.
    if (wait > 0) this.state = 'waiting';
    this.startShards();
    if (wait > 0) {
      this.startTimer = setTimeout(() => this.begin(), wait);
      this.timer = setInterval(() => this.publish(), 1000 / (this.options.publishHz ?? 4));
      this.publish();
      return;
    }
    if (startAt !== null && wait < -1000) {
      const late = `--start-at ${config.startAt} had passed ${(-wait / 1000).toFixed(1)} s before the load could start; started at once, so this agent's levels begin late`;
      this.log('warn', late);
      this.act('plan', late);
    }
    this.begin();
  }

  private begin(): void {
    const now = Date.now();
    clearInterval(this.timer);
    if (this.state === 'waiting') this.act('plan', `started at --start-at ${this.options.config.startAt}`);
    this.startedAt = now;
    this.lastCollectAt = now;
    this.window = new RollingWindow(this.options.config.windowS, now);
    if (this.plan) {
      const first = this.plan.start(now);
      this.workload = this.open
        ? { ...this.workload, arrivalRate: first }
        : { ...this.workload, concurrency: first };
    }
    this.resources.start();
    this.beginLevel(now);
    this.state = 'running';
    this.broadcast();
    this.timer = setInterval(() => void this.tick(), 1000 / (this.options.publishHz ?? 4));
    this.publish();
  }

  private startShards(): void {
    const { config } = this.options;
    const count = Math.max(1, config.workers);
    const crashAfter = process.env[TEST_WORKER_CRASH_ENV];
    for (let index = 0; index < count; index += 1) {
      this.shards.push(
        this.createShard(index, count, index === 0 && crashAfter ? Number(crashAfter) : undefined),
      );
    }
  }

  /** What a step sets: N in the closed model, the arrival rate in the open one. */
  private levelSetting(step: number): WorkloadInput {
    return this.open ? { arrivalRate: step } : { concurrency: step };
  }

  private createShard(index: number, count: number, crashAfterMs?: number): Shard {
    const { config, target } = this.options;
    const workload = this.shardWorkload(index, count);
    if (config.workers === 0) return new InProcessShard(target, workload);
    return new WorkerShard(
      target,
      workload,
      (error) => this.replaceShard(index, error),
      (line) => this.log('warn', `worker ${index}: ${line}`),
      crashAfterMs,
    );
  }

  /** A crashed worker's sessions are gone with it: a new worker opens its share again. */
  private replaceShard(index: number, error: Error): void {
    if (this.state === 'stopping' || this.state === 'stopped') {
      this.log('error', `worker ${index} crashed while stopping: ${error.message}`);
      return;
    }
    const share = shareOf(this.workload.concurrency, index, this.shards.length);
    this.log(
      'error',
      `worker ${index} crashed: ${error.message}; a new worker takes over its ${share} sessions`,
    );
    this.act('worker', `worker ${index} crashed and was replaced`);
    this.shards[index] = this.createShard(index, this.shards.length);
    this.publish();
  }

  private shardWorkload(index: number, count: number): ShardWorkload {
    const idle = this.state === 'starting' || this.state === 'waiting';
    return {
      ...this.workload,
      mix: this.workload.mix ?? [],
      // No sessions before the load begins: shards are created idle, then told their share.
      concurrency: idle ? 0 : shareOf(this.workload.concurrency, index, count),
      arrivalRate:
        this.workload.arrivalRate === undefined ? undefined : idle ? 0 : this.workload.arrivalRate / count,
      maxSessions: Math.max(1, shareOf(this.options.config.maxSessions, index, count)),
      paused: this.state === 'paused',
    };
  }

  private broadcast(): void {
    this.shards.forEach((shard, index) => shard.setWorkload(this.shardWorkload(index, this.shards.length)));
  }

  private beginLevel(now: number): void {
    const current = this.level;
    if (current && current.endedAt === null) {
      current.endedAt = now;
      this.finishedLevels.push(current.summary(now, true));
    }
    const warmupMs = this.options.config.warmupS * 1000;
    const { concurrency, arrivalRate } = this.workload;
    this.level = new Level(this.finishedLevels.length, concurrency, now, now + warmupMs, arrivalRate ?? null);
  }

  private act(kind: OperatorAction['kind'], detail: string): void {
    this.actions = [...this.actions, { at: new Date().toISOString(), kind, detail }];
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.totals.log({ at: Date.now(), level, message });
  }

  /** Changes the workload live; throws ConfigError on a bad value. Concurrency changes start a level. */
  setWorkload(change: WorkloadInput, by: OperatorAction['kind'] = 'workload'): void {
    if (!this.open && change.arrivalRate !== undefined)
      throw new ConfigError('arrival rates need the open model: restart with --arrival-rate R');
    if (this.open && change.concurrency !== undefined)
      throw new ConfigError('the open model sets the arrival rate, not N: change the rate instead');
    const next = applyWorkloadChange(this.workload, change);
    if (change.mix !== undefined || change.args !== undefined)
      checkMix(this.options.tools, next.mix ?? [], next.args);
    const changed = Object.keys(change).filter(
      (key) =>
        JSON.stringify(next[key as keyof Workload]) !== JSON.stringify(this.workload[key as keyof Workload]),
    );
    if (changed.length === 0) return;
    const concurrencyChanged = this.open
      ? next.arrivalRate !== this.workload.arrivalRate
      : next.concurrency !== this.workload.concurrency;
    this.workload = next;
    this.act(by, changed.map((key) => `${key}=${JSON.stringify(next[key as keyof Workload])}`).join(' '));
    if (concurrencyChanged && this.state !== 'starting' && this.state !== 'waiting')
      this.beginLevel(Date.now());
    if (concurrencyChanged && by === 'workload' && this.plan?.walking) {
      this.plan.stopWalking();
      const at = this.open ? `${next.arrivalRate} sessions/s` : `N=${next.concurrency}`;
      this.act('plan', `operator took over at ${at}: step walk stopped`);
    }
    this.broadcast();
    this.publish();
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.act('pause', 'load paused, sessions held');
    this.broadcast();
    this.publish();
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.act('resume', 'load resumed');
    this.broadcast();
    this.publish();
  }

  mark(label: string): void {
    this.act('marker', label);
    this.publish();
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = this.collect(this.shards.map((shard) => shard.collect()));
    await this.ticking;
    this.ticking = null;
    const now = Date.now();
    if (this.plan && this.state !== 'stopping') {
      const step = this.plan.advance(now, () => {
        const level = this.level?.summary(now, false);
        return {
          p99Ms: level?.latencyMs?.p99 ?? null,
          calls: level?.calls ?? 0,
          errors: level?.errors ?? 0,
          settled: !this.level?.stillMoving(),
        };
      });
      if (step === 'done') {
        this.plan.stopWalking();
        this.act('plan', 'step plan complete');
        this.finish('plan-complete');
      } else if (step !== null) this.setWorkload(this.levelSetting(step), 'step');
    } else if (
      this.options.config.durationS &&
      now - this.startedAt >= this.options.config.durationS * 1000
    ) {
      this.finish('duration');
    }
    this.publish();
  }

  private async collect(reports: Promise<ShardReport>[]): Promise<void> {
    const settled = await Promise.all(reports);
    const now = Date.now();
    const level = this.level ?? undefined;
    if (this.options.onInterval) {
      const merged = createHistogram();
      for (const report of settled) merged.add(report.interval.call);
      this.options.onInterval(merged, this.lastCollectAt, now);
      this.lastCollectAt = now;
    }
    settled.forEach((report, index) => {
      this.totals.add(index, report);
      this.window.add(report.interval, now);
      level?.add(report.interval, now);
    });
    // Little's law counts a session from its arrival to its departure: opening and closing ones too.
    const sessions = this.totals.sessions();
    level?.addSessions(now, sessions.active + sessions.connecting + sessions.closing);
    if (this.resources.due(now)) this.sampleResources(now, level);
  }

  private sampleResources(now: number, level: Level | undefined): void {
    const window = this.window.figures(now);
    this.resources.sample(now, {
      pids: [...(this.options.serverPids ?? []), ...this.totals.stdioPids()],
      shardLoopDelayP99Ms: this.totals.shardLoopDelayP99Ms(),
      p99Ms: window.latencyMs?.p99 ?? null,
      throughput: window.throughput,
    });
    level?.addResources(now, this.resources.server, this.resources.generator, window.latencyMs?.p99 ?? null);
  }

  private planState(): PlanState | null {
    return this.plan?.state() ?? null;
  }

  /** Starts the step walk from its first step, or stops it where it is (sessions stay held). */
  togglePlan(): void {
    if (!this.plan)
      throw new ConfigError('no step plan: start with --steps 1,5,10 --hold SECONDS or --find-ceiling');
    if (this.state === 'waiting')
      throw new ConfigError(`the step plan starts at --start-at ${this.options.config.startAt}`);
    if (this.plan.walking) {
      this.plan.stopWalking();
      this.act('plan', 'step walk stopped');
    } else {
      this.act('plan', 'step walk started');
      this.setWorkload(this.levelSetting(this.plan.start(Date.now())), 'step');
    }
    this.publish();
  }

  private buildSnapshot(): EngineSnapshot {
    const now = Date.now();
    const current = this.level;
    return {
      state: this.state,
      target: redactTarget(this.options.target),
      startedAt: new Date(this.startedAt).toISOString(),
      startAt: this.state === 'waiting' ? (this.options.config.startAt ?? null) : null,
      elapsedMs: this.state === 'waiting' ? 0 : now - this.startedAt,
      workload: this.workload,
      plan: this.planState(),
      sessions: { ...this.totals.sessions(), target: this.workload.concurrency },
      window: this.window.figures(now),
      totals: {
        sessionsOpened: this.totals.sessionsOpened,
        sessionsClosed: this.totals.sessionsClosed,
        calls: this.totals.calls,
        errors: this.totals.errors,
      },
      errorsByKind: this.totals.errorsByKind,
      server: this.resources.server,
      generator: { ...this.resources.generator, workers: this.options.config.workers },
      history: this.resources.history,
      levels:
        current && current.endedAt === null
          ? [...this.finishedLevels, current.summary(now, false)]
          : [...this.finishedLevels],
      actions: this.actions,
      events: this.totals.events,
      tools: this.options.tools,
    };
  }

  private publish(): void {
    this.snapshot = this.buildSnapshot();
    for (const listener of this.listeners) listener();
  }

  /** Closes every session on the server (bounded), ends the last level and publishes the final snapshot. */
  async stop(timeoutMs = 10_000): Promise<EngineSnapshot> {
    if (this.state === 'stopped') return this.snapshot;
    clearInterval(this.timer);
    clearTimeout(this.startTimer);
    await this.ticking;
    this.state = 'stopping';
    const now = Date.now();
    const current = this.level;
    if (current && current.endedAt === null) {
      current.endedAt = now;
      this.finishedLevels.push(current.summary(now, true));
    }
    this.publish();
    await this.collect(this.shards.map((shard) => shard.stop(timeoutMs)));
    this.resources.stop();
    this.state = 'stopped';
    this.publish();
    return this.snapshot;
  }
}

function pickWorkload(config: Config): Omit<Workload, 'mix'> {
  const { concurrency, jitterMs, thinkMs, sessionCalls, args, timeoutMs, sloMs, independence, arrivalRate } =
    config;
  return { concurrency, jitterMs, thinkMs, sessionCalls, args, timeoutMs, sloMs, independence, arrivalRate };
}
