import { performance } from 'node:perf_hooks';
import { TIMER_MAX_MS } from '../config/safe-values.js';
import { ArrivalBacklog } from './arrival-backlog.js';
import type { LoadModel, PacerHost, ShardPacer } from './load-model.js';
import { exponentialMs, shareOf, type ShardWorkload } from './shard-workload.js';

/**
 * Poisson arrivals: exponential gaps on an absolute schedule, so a late timer lets in every session that
 * was due (high rates are not capped by timer resolution). A new rate starts a new schedule: the process
 * is memoryless.
 */
class Arrivals implements ShardPacer {
  /** When the next session arrives (performance.now() ms). */
  private nextAt: number | null = null;
  private rate: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private maxSessions = 1;
  /** Arrivals due while `--max-sessions` were open, waiting for a session to end. */
  private readonly backlog = new ArrivalBacklog();

  constructor(private readonly host: PacerHost) {}

  apply(workload: ShardWorkload): void {
    if (this.stopped) return;
    this.maxSessions = workload.maxSessions;
    this.pace(workload.paused ? 0 : (workload.arrivalRate ?? 0));
  }

  private pace(rate: number): void {
    if (rate !== this.rate) {
      this.rate = rate;
      this.nextAt = rate > 0 ? performance.now() + exponentialMs(rate) : null;
    }
    clearTimeout(this.timer);
    if (this.nextAt === null || rate <= 0) return;
    const now = performance.now();
    while (this.nextAt <= now) {
      this.arrive(this.nextAt);
      this.nextAt += exponentialMs(rate);
    }
    // A gap beyond the timer's range (a tiny rate) would fire after 1 ms: wake at the range and look again.
    this.timer = setTimeout(() => this.pace(rate), Math.min(this.nextAt - now, TIMER_MAX_MS));
  }

  /** An arrival due at `intendedAt` (its slot in the schedule) starts, waits for a free session, or is dropped. */
  private arrive(intendedAt: number): void {
    const held = this.host.held();
    const fate = this.backlog.admit(intendedAt, held, this.maxSessions);
    if (fate === 'start') return this.host.startUser(true, intendedAt);
    if (fate === 'wait') this.host.waits(held);
    else this.host.turnAway(held, this.backlog.waiting);
    this.released();
  }

  /** A session ended: the oldest arrivals waiting for one start, late by the time they waited. */
  released(): void {
    if (this.stopped) return;
    let due: number | undefined;
    while ((due = this.backlog.next(this.host.held(), this.maxSessions)) !== undefined)
      this.host.startUser(true, due);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.backlog.clear();
  }
}

/** Rates are nudged by a factor and kept to two significant digits; below 0.01/s is 0. */
export function nudgeRate(rate: number, factor: number): number {
  if (rate === 0) return factor > 1 ? 0.1 : 0;
  const next = Number((rate * factor).toPrecision(2));
  return next < 0.01 ? 0 : next;
}

/** The open model: sessions arrive at a rate, each makes one session of calls and leaves. */
export const OPEN_MODEL: LoadModel = {
  kind: 'open',
  knob: 'arrivalRate',
  knobLabel: 'arrival rate (sessions/s)',
  level: (workload) => workload.arrivalRate ?? 0,
  setting: (level) => ({ arrivalRate: level }),
  refusal: (change) =>
    change.concurrency === undefined
      ? null
      : 'the open model sets the arrival rate, not N: change the rate instead',
  nudge: (workload, delta) => {
    // ↑↓: ×/÷1.1; PgUp/PgDn: ×/÷2.
    const factor = Math.abs(delta) >= 10 ? 2 : 1.1;
    return { arrivalRate: nudgeRate(workload.arrivalRate ?? 0, delta > 0 ? factor : 1 / factor) };
  },
  label: (level) => `${level}/s`,
  describe: (level) => `${level} sessions/s`,
  share: (workload, shard, shards) => ({
    concurrency: shareOf(workload.concurrency, shard, shards),
    arrivalRate: (workload.arrivalRate ?? 0) / shards,
  }),
  idle: { concurrency: 0, arrivalRate: 0 },
  levelN: (_set, meanOpen) => Math.round(meanOpen ?? 0),
  pacer: (host) => new Arrivals(host),
};
