import { LoopDelay } from '../metrics/loop-delay.js';
import { IntervalRecorder, type ShardInterval } from '../metrics/recorder.js';
import {
  createSessionFactory,
  type SessionFactory,
  type SessionFactoryOptions,
} from '../mcp-client/open-session.js';
import { limitHint } from '../mcp-client/error-kind.js';
import { serverTextOf, type Target } from '../mcp-client/target.js';
import type { ServerText } from '../mcp-client/server-text.js';
import { loadModelOf, type LoadModel, type ShardPacer } from './load-model.js';
import type { ShardWorkload } from './shard-workload.js';
import { VirtualUser, type UserState } from './virtual-user.js';

/** Live counts of one shard's sessions. */
export interface ShardGauges {
  /** Sessions this shard is asked to hold. */
  readonly target: number;
  readonly active: number;
  readonly connecting: number;
  readonly closing: number;
  /** Calls sent and not yet answered. */
  readonly inflight: number;
}

/** What a shard reports each tick. */
export interface ShardReport {
  readonly interval: ShardInterval;
  readonly gauges: ShardGauges;
  /** stdio server processes of the open sessions. */
  readonly pids: readonly number[];
  readonly eventLoopDelayP99Ms: number;
}

/** Sessions of one shard closing at once (each DELETE may need a connection of its own). */
const CLOSE_SLOTS = 256;
/** How long stopping may take per session held, on top of the requested bound, ms. */
const CLOSE_MS_PER_SESSION = 2;
/** The part of the stop bound that calls in flight get to finish before their sessions are ended. */
const DRAIN_SHARE = 0.5;

/** Runs at most `size` tasks at a time, the rest in arrival order. */
class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Holds one shard's virtual users; the same code runs in a worker thread or in-process. */
export class SessionPool {
  private readonly users = new Set<VirtualUser>();
  private readonly recorder = new IntervalRecorder();
  private readonly factory: SessionFactory;
  private readonly loopDelay = new LoopDelay();
  /** The load model (closed or open), and its pacer that starts and retires this shard's users. */
  private readonly model: LoadModel;
  private readonly pacer: ShardPacer;
  private readonly closeSlots = new Slots(CLOSE_SLOTS);
  private hurrying = false;
  private hurried: () => void = () => undefined;
  /** Generator limits already explained in the event log. */
  private readonly hinted = new Set<string>();
  /** Redacts and strips every message from the server before the recorder keeps it. */
  private readonly text: ServerText;
  private counts: Record<UserState, number> = {
    arriving: 0,
    connecting: 0,
    active: 0,
    calling: 0,
    closing: 0,
    retired: 0,
  };

  constructor(
    private readonly target: Target,
    private workload: ShardWorkload,
    onSessionChange?: SessionFactoryOptions['onSessionChange'],
  ) {
    this.text = serverTextOf(target);
    this.factory = createSessionFactory(target, {
      timeoutMs: () => this.workload.timeoutMs,
      onServerLog: (line) => this.recorder.serverLine(this.clean(line)),
      onTransportError: (error) => this.recorder.log('warn', this.clean(error.message)),
      onSessionChange,
      protocol: target.transport === 'streamable-http' ? target.protocol : undefined,
      onResume: () => this.recorder.recordResumption(),
      onInputRequest: () => this.recorder.recordInputRequest(),
    });
    this.loopDelay.enable();
    this.model = loadModelOf(workload);
    this.pacer = this.model.pacer({
      living: () => [...this.users].filter((user) => !user.isRetiring),
      held: () => this.users.size,
      startUser: (once, intendedAt) => this.startUser(once, intendedAt),
      waits: (held) => {
        if (this.hinted.has('arrival-waits')) return;
        this.hinted.add('arrival-waits');
        this.recorder.log(
          'warn',
          `${held} sessions open in this worker (--max-sessions): arrivals wait for one to end, behind the schedule; the corrected latency counts the wait`,
        );
      },
      turnAway: (held, waiting) =>
        this.recorder.recordError(
          'arrival-dropped',
          `${held} sessions already open in this worker (--max-sessions) and ${waiting} arrivals waiting: an arrival was turned away`,
        ),
    });
    this.pacer.apply(workload);
  }

  private clean(message: string): string {
    return this.text.clean(message);
  }

  setWorkload(workload: ShardWorkload): void {
    this.workload = workload;
    this.pacer.apply(workload);
  }

  /** `once`: an open-model arrival, which makes one session and leaves; `intendedAt`: when it was due. */
  private startUser(once: boolean, intendedAt?: number): void {
    const user = new VirtualUser({
      once,
      intendedAt,
      factory: this.factory,
      recorder: this.recorder,
      workload: () => this.workload,
      clean: (message) => this.clean(message),
      onFailure: (kind) => this.explainLimit(kind),
      closeSlot: (close) => this.closeSlots.run(close),
      onState: (_user, from, to) => {
        this.counts[from] -= 1;
        this.counts[to] += 1;
      },
    });
    this.counts.arriving += 1;
    this.users.add(user);
    void user.done.then(() => {
      this.users.delete(user);
      this.counts.retired -= 1;
      this.pacer.released();
    });
  }

  /** One event-log line the first time the generator hits a limit of its own machine. */
  private explainLimit(kind: string): void {
    if (this.hinted.has(kind)) return;
    const hint = limitHint(kind);
    if (!hint) return;
    this.hinted.add(kind);
    this.recorder.log('error', `${kind}: ${hint}`);
  }

  gauges(): ShardGauges {
    return {
      target: this.workload.concurrency,
      active: this.counts.active + this.counts.calling,
      connecting: this.counts.connecting,
      closing: this.counts.closing,
      inflight: this.counts.calling,
    };
  }

  report(): ShardReport {
    const pids: number[] = [];
    for (const user of this.users) if (user.session?.pid) pids.push(user.session.pid);
    const eventLoopDelayP99Ms = this.loopDelay.takeP99Ms();
    return { interval: this.recorder.drain(), gauges: this.gauges(), pids, eventLoopDelayP99Ms };
  }

  /** Shutdown: stop waiting for calls in flight (a second Ctrl-C); their sessions are ended at once. */
  hurry(): void {
    this.hurrying = true;
    this.hurried();
  }

  /**
   * Shutdown in order: no new calls or sessions; calls in flight get part of the bound to finish (less
   * after `hurry()`); then every session is ended on the server, a busy one too (DELETE), all bounded.
   */
  async stop(requestedMs = 10_000): Promise<void> {
    // Thousands of sessions take longer than a handful to end on the server: the bound grows with them.
    const timeoutMs = Math.max(requestedMs, this.users.size * CLOSE_MS_PER_SESSION);
    this.pacer.stop();
    this.workload = { ...this.workload, ...this.model.idle };
    for (const user of this.users) user.retire();
    const all = Promise.all([...this.users].map((user) => user.done)).then(() => 'closed' as const);
    const hurried = new Promise<'late'>((resolve) => (this.hurried = () => resolve('late')));
    const drainMs = this.hurrying ? 0 : requestedMs * DRAIN_SHARE;
    if ((await within(drainMs, Promise.race([all, hurried]))) !== 'closed') {
      let cut = 0;
      for (const user of this.users) if (user.abandon()) cut += 1;
      if (cut > 0) {
        const why = this.hurrying ? 'on a second interrupt' : `after ${Math.round(drainMs)} ms`;
        this.recorder.log(
          'warn',
          `${cut} calls still in flight ${why}: their sessions were ended (DELETE), their answers not counted`,
        );
      }
      if ((await within(timeoutMs - drainMs, all)) !== 'closed') {
        this.recorder.log('warn', `${this.users.size} sessions did not close within ${timeoutMs} ms`);
        await Promise.all(
          [...this.users].map((user) => user.session?.release().catch(() => undefined) ?? Promise.resolve()),
        );
      }
    }
    this.loopDelay.disable();
    await this.factory.destroy();
  }
}

/** `promise`'s value, or 'late' after `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
