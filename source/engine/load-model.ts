import type { Workload, WorkloadInput } from '../config/schema.js';
import { CLOSED_MODEL } from './closed-model.js';
import { OPEN_MODEL } from './open-model.js';
import type { ShardWorkload } from './shard-workload.js';
import type { UserState } from './virtual-user.js';

/** Closed: N sessions held. Open: sessions arrive at a rate, each makes one session and leaves. */
export type LoadModelKind = 'closed' | 'open';

/** The workload field that sets the level. */
export type LevelKnob = 'concurrency' | 'arrivalRate';

/** The level fields one shard is told: its share of N and, in the open model, of the arrival rate. */
export type ShardLevel = Pick<ShardWorkload, 'concurrency' | 'arrivalRate'>;

/** A user of the pool as a pacer sees it. */
export interface PacedUser {
  readonly state: UserState;
  retire(): void;
}

/** What a pacer may do in its shard's pool. */
export interface PacerHost {
  /** Users not yet retiring. */
  living(): PacedUser[];
  /** Users the pool holds, retiring ones too (sessions open, for `--max-sessions`). */
  held(): number;
  /**
   * Starts a user; `once`: an arrival that makes one session and leaves; `intendedAt`: when that arrival
   * was due on the schedule (performance.now() ms), so its calls are also timed from then.
   */
  startUser(once: boolean, intendedAt?: number): void;
  /** An arrival waits for a session to end: `held` sessions were open already (said once). */
  waits(held: number): void;
  /** An arrival was turned away: `held` sessions were open and `waiting` arrivals waited already. */
  turnAway(held: number, waiting: number): void;
}

/** Runs a load model inside one shard: decides when sessions start and end. */
export interface ShardPacer {
  /** Brings the shard to its share of the workload's level. */
  apply(workload: ShardWorkload): void;
  /** A session ended: a model that holds back arrivals may start one now. */
  released(): void;
  /** No session starts from now on (shutdown). */
  stop(): void;
}

/**
 * A load model, as k6's executors are: the controller, the shards and the screen ask it how a level is set,
 * shared, described and run, instead of branching on the model. A new model is one more of these.
 */
export interface LoadModel {
  readonly kind: LoadModelKind;
  /** The live-adjustable field that sets the level (keys, `--steps`, `--find-ceiling`). */
  readonly knob: LevelKnob;
  /** The knob as the operator reads it, e.g. `sessions (N)`. */
  readonly knobLabel: string;
  /** The level the workload asks for: N, or sessions per second. */
  level(workload: Workload): number;
  /** The change that sets a level (a step of the plan). */
  setting(level: number): WorkloadInput;
  /** Why this model refuses a change (it sets another model's knob), or null. */
  refusal(change: WorkloadInput): string | null;
  /** ↑↓ and PgUp/PgDn: `delta` is ±1 or ±10. */
  nudge(workload: Workload, delta: number): WorkloadInput;
  /** A level in a few characters: `N=5`, `2/s`. */
  label(level: number): string;
  /** A level in a sentence: `N=5`, `2 sessions/s`. */
  describe(level: number): string;
  /** One shard's share of the level. */
  share(workload: Workload, shard: number, shards: number): ShardLevel;
  /** A shard's level before the load begins and while stopping: no sessions. */
  readonly idle: ShardLevel;
  /** The N a level gives the analysis: the N set, or the mean of sessions open (Little's law's L). */
  levelN(set: number, meanOpen: number | null): number;
  /** The object that runs this model in one shard. */
  pacer(host: PacerHost): ShardPacer;
}

/** The model a workload (or a level) runs: an arrival rate makes it open. */
export function loadModelOf(workload: { readonly arrivalRate?: number | null }): LoadModel {
  return workload.arrivalRate === undefined || workload.arrivalRate === null ? CLOSED_MODEL : OPEN_MODEL;
}
