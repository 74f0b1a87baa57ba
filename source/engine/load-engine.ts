import { ConfigError } from '../config/config-error.js';
import { applyWorkloadChange } from '../config/workload-change.js';
import type { MixEntry, Workload, WorkloadInput } from '../config/schema.js';
import { pickWorkload, type EngineConfig } from './engine-config.js';
import { serverEvent } from '../metrics/recorder.js';
import { preloadEncoding } from '../metrics/histogram.js';
import { redactTarget, serverTextOf, type Target } from '../mcp-client/target.js';
import type { ServerText } from '../mcp-client/server-text.js';
import { Measurements, type MeasurementOptions } from './measurements.js';
import { loadModelOf, type LoadModel } from './load-model.js';
import { checkMix } from './preflight.js';
import { checkProtocolMix } from './refused-revision.js';
import type { ShardReport } from './session-pool.js';
import { ShardSet, type ShardSetHost } from './shard-set.js';
import type { EngineSnapshot, OperatorAction, ProtocolEra, RunState, ToolInfo } from './snapshot.js';
import { planFor, planOfConfig, type PlanRequest } from './plan-request.js';

/** The measurement hooks (server pids, interval logs, the server's metrics and lines) and what to run. */
export interface LoadEngineOptions extends MeasurementOptions {
  readonly config: EngineConfig;
  readonly target: Target;
  /** The mix to run (the config's, or the demo server's default). */
  readonly mix: readonly MixEntry[];
  /** The server's tools, from preflight. */
  readonly tools: readonly ToolInfo[];
  /** Snapshots per second. @default 4 */
  readonly publishHz?: number;
  /** The server's protocol era, from preflight. */
  readonly protocol?: ProtocolEra;
  /** The revisions preflight checked the server speaks: a live protocol mix may name only these. */
  readonly revisions?: readonly string[];
}

/** The longest line kept in the event log. */
const LOG_LINE_MAX = 500;

/** Why the run ended on its own. */
export type FinishReason = 'plan-complete' | 'duration';

/**
 * The controller: holds shards of sessions, merges their measurements into the rolling window and
 * levels, and publishes an immutable snapshot a few times a second. It knows nothing of the terminal.
 */
export class LoadEngine {
  private snapshot: EngineSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly shards: ShardSet;
  private workload: Workload;
  private state: RunState = 'starting';
  /** When the load began (after any `--start-at` wait). */
  private startedAt = Date.now();
  private readonly measured: Measurements;
  private actions: OperatorAction[] = [];
  private plan: ReturnType<typeof planOfConfig>;
  private timer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private finish!: (reason: FinishReason) => void;
  /** Closed (N held) or open (an arrival rate): how a level is set, shared and run. */
  private readonly model: LoadModel;
  /** Log lines may carry a server's text (a spawned server's output): redacted and stripped first. */
  private readonly text: ServerText;
  /** Resolves when the step plan or `--duration` ends the run. */
  readonly finished: Promise<FinishReason>;

  constructor(private readonly options: LoadEngineOptions) {
    const { config } = options;
    this.text = serverTextOf(options.target);
    this.workload = { ...pickWorkload(config), mix: [...options.mix] };
    this.model = loadModelOf(config);
    this.measured = new Measurements(config, options);
    const shardHost: ShardSetHost = {
      workload: () => this.workload,
      state: () => this.state,
      log: (level, message) => this.log(level, message),
      onReplaced: (index) => {
        this.act('worker', `worker ${index} crashed and was replaced`);
        this.publish();
      },
    };
    this.shards = new ShardSet(config, options.target, shardHost, this.model);
    this.plan = planOfConfig(config, () => this.workload.sloMs);
    // Until the plan starts (start-up, --start-at), snapshots and exported gauges show its first step.
    if (this.plan) this.workload = { ...this.workload, [this.model.knob]: this.plan.first };
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
    preloadEncoding();
    const startAt = config.startAt ? Date.parse(config.startAt) : null;
    const wait = startAt === null ? 0 : startAt - Date.now();
    if (wait > 0) this.state = 'waiting'; // workers start while waiting (idle): the load starts on time
    this.shards.start();
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
    if (this.plan) this.workload = { ...this.workload, [this.model.knob]: this.plan.start(now) };
    this.measured.begin(now, this.workload);
    this.state = 'running';
    this.shards.broadcast();
    this.timer = setInterval(() => void this.tick(), 1000 / (this.options.publishHz ?? 4));
    this.publish();
  }

  private act(kind: OperatorAction['kind'], detail: string): void {
    this.actions = [...this.actions, { at: new Date().toISOString(), kind, detail }];
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.measured.totals.log({ at: Date.now(), level, message: this.text.clean(message, LOG_LINE_MAX) });
  }

  /** A line a server this tool started printed: to the event log and `serverLines`, cleaned first. */
  serverLine(line: string): void {
    this.measured.totals.log(serverEvent(this.text.clean(line, LOG_LINE_MAX)));
  }

  /** Changes the workload live; throws ConfigError on a bad value. Concurrency changes start a level. */
  setWorkload(change: WorkloadInput, by: OperatorAction['kind'] = 'workload'): void {
    const refusal = this.model.refusal(change);
    if (refusal) throw new ConfigError(refusal);
    const next = applyWorkloadChange(this.workload, change);
    if (change.mix !== undefined || change.args !== undefined)
      checkMix(this.options.tools, next.mix ?? [], next.args);
    if (change.protocolMix !== undefined) checkProtocolMix(next.protocolMix, this.options.revisions);
    const changed = Object.keys(change).filter(
      (key) =>
        JSON.stringify(next[key as keyof Workload]) !== JSON.stringify(this.workload[key as keyof Workload]),
    );
    if (changed.length === 0) return;
    const concurrencyChanged = this.model.level(next) !== this.model.level(this.workload);
    this.workload = next;
    this.act(by, changed.map((key) => `${key}=${JSON.stringify(next[key as keyof Workload])}`).join(' '));
    if (concurrencyChanged && this.state !== 'starting' && this.state !== 'waiting')
      this.measured.levels.begin(Date.now(), this.workload);
    else this.measured.levels.noteWorkload(this.workload);
    if (concurrencyChanged && by === 'workload' && this.plan?.walking) {
      this.plan.stopWalking();
      this.act(
        'plan',
        `operator took over at ${this.model.describe(this.model.level(next))}: step walk stopped`,
      );
    }
    this.shards.broadcast();
    this.publish();
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.act('pause', 'load paused, sessions held');
    this.shards.broadcast();
    this.publish();
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.act('resume', 'load resumed');
    this.shards.broadcast();
    this.publish();
  }

  mark(label: string): void {
    this.act('marker', label);
    this.publish();
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    // A throw while absorbing must not leave `ticking` set, or every later tick would return early.
    try {
      this.ticking = this.collect(this.shards.collect());
      await this.ticking;
    } catch (error) {
      this.log('error', `measurement tick failed: ${(error as Error).message}`);
    } finally {
      this.ticking = null;
    }
    const now = Date.now();
    if (this.plan && this.state !== 'stopping') {
      const step = this.plan.advance(now, () => this.measured.levels.outcome());
      if (step === 'done') {
        this.plan.stopWalking();
        this.act('plan', 'step plan complete');
        this.finish('plan-complete');
      } else if (step !== null) this.setWorkload(this.model.setting(step), 'step');
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
    this.measured.absorb(settled, Date.now());
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
      this.setWorkload(this.model.setting(this.plan.start(Date.now())), 'step');
    }
    this.publish();
  }

  /** Starts a new plan from the screen (`a` with no plan given); throws ConfigError on a bad one. */
  startPlan(request: PlanRequest): void {
    if (this.state === 'waiting')
      throw new ConfigError(`a plan starts once the load does, at --start-at ${this.options.config.startAt}`);
    const { warmupS, ceilingPrecision } = this.options.config;
    const plan = planFor(request, { warmupS, ceilingPrecision, sloMs: () => this.workload.sloMs });
    this.plan?.stopWalking();
    this.plan = plan;
    const what = 'findCeiling' in request ? 'ceiling search' : `step walk ${request.steps.join(',')}`;
    this.act('plan', `${what} started from the screen, each level held ${request.holdS} s`);
    this.setWorkload(this.model.setting(plan.start(Date.now())), 'step');
  }

  private buildSnapshot(): EngineSnapshot {
    const now = Date.now();
    return {
      state: this.state,
      target: redactTarget(this.options.target),
      ...(this.options.protocol ? { protocol: this.options.protocol } : {}),
      startedAt: new Date(this.startedAt).toISOString(),
      startAt: this.state === 'waiting' ? (this.options.config.startAt ?? null) : null,
      elapsedMs: this.state === 'waiting' ? 0 : now - this.startedAt,
      workload: this.workload,
      plan: this.plan?.state() ?? null,
      ...this.measured.figures(now, this.workload.concurrency),
      actions: this.actions,
      tools: this.options.tools,
    };
  }

  private publish(): void {
    this.snapshot = this.buildSnapshot();
    for (const listener of this.listeners) listener();
  }

  /** Why the run counts as ended by its target's failure (its last seconds only failed), or null. */
  targetFailure = (): string | null => this.measured.health.failure();

  /** Ends every session on the server (SessionPool.stop); `hurried`: stop waiting for calls in flight. */
  async stop(timeoutMs = 10_000, hurried?: Promise<void>): Promise<EngineSnapshot> {
    if (this.state === 'stopped') return this.snapshot;
    clearInterval(this.timer);
    clearTimeout(this.startTimer);
    await this.ticking?.catch(() => undefined);
    this.state = 'stopping';
    this.measured.end(Date.now());
    this.publish();
    void hurried?.then(() => this.shards.hurry());
    await this.collect(this.shards.stop(timeoutMs));
    this.measured.stop();
    this.state = 'stopped';
    this.publish();
    return this.snapshot;
  }
}
