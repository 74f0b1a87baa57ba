import { CLIFF_ERROR_RATE, MIN_CALLS_FOR_P99 } from './levels.js';
import type { PlanState } from './snapshot.js';

/** How a held level came out, for the search to decide where to go next. */
export interface LevelOutcome {
  readonly p99Ms: number | null;
  readonly calls: number;
  readonly errors: number;
  /** False while the level's rolling P99 is still moving (with enough readings to tell). */
  readonly settled: boolean;
}

/** A level whose P99 is still moving at the end of its hold is held longer, up to this many holds. */
export const MAX_HOLDS_TO_SETTLE = 3;

/** Extra hold granted at a time while a level settles, ms. */
const SETTLE_EXTENSION_MS = 5000;

/** The search's highest N. @default 100000 */
export const MAX_SEARCH_CONCURRENCY = 100_000;

/**
 * `--find-ceiling`: walks N up geometrically from 1 (1, 2, 4, 8, …) holding each level, then bisects
 * between the last good and the first bad level until they are within `precisionPercent` (at least 1
 * session) of each other. A level is bad when its P99 exceeds the SLO or its errors reach 1% of its calls.
 * A level still settling, or with fewer than `MIN_CALLS_FOR_P99` calls, when its hold ends is held longer
 * (up to three holds) before it is judged.
 */
export class CeilingSearch {
  private current: number | null = null;
  private endsAt = 0;
  private startedAt = 0;
  private good = 0;
  private bad: number | null = null;
  private readonly visited: number[] = [];
  private complete = false;

  constructor(
    readonly holdS: number,
    private readonly sloMs: () => number,
    /** @default 10 */
    private readonly precisionPercent = 10,
  ) {}

  /** The search starts at N=1: what the run shows before it starts. */
  readonly first = 1;

  start(now: number): number {
    this.good = 0;
    this.bad = null;
    this.complete = false;
    this.visited.length = 0;
    return this.go(this.first, now);
  }

  private go(concurrency: number, now: number): number {
    this.current = concurrency;
    this.visited.push(concurrency);
    this.startedAt = now;
    this.endsAt = now + this.holdS * 1000;
    return concurrency;
  }

  stopWalking(): void {
    this.current = null;
  }

  get walking(): boolean {
    return this.current !== null;
  }

  /** The ceiling's bracket so far: the last good N and the first bad one. */
  get bracket(): { readonly good: number; readonly bad: number | null } {
    return { good: this.good, bad: this.bad };
  }

  advance(now: number, outcome: () => LevelOutcome): number | 'done' | null {
    if (this.current === null || this.complete || now < this.endsAt) return null;
    const { p99Ms, calls, errors, settled } = outcome();
    const latest = this.startedAt + MAX_HOLDS_TO_SETTLE * this.holdS * 1000;
    // A P99 from too few calls is the slowest call or next to it: hold on until it means something.
    if ((!settled || calls < MIN_CALLS_FOR_P99) && now < latest) {
      this.endsAt = Math.min(latest, now + SETTLE_EXTENSION_MS);
      return null;
    }
    const broke =
      (p99Ms !== null && p99Ms > this.sloMs()) || (calls > 0 && errors / calls >= CLIFF_ERROR_RATE);
    if (broke) this.bad = this.current;
    else this.good = this.current;
    if (this.bad === null) {
      if (this.current >= MAX_SEARCH_CONCURRENCY) return this.finish();
      return this.go(Math.min(MAX_SEARCH_CONCURRENCY, this.current * 2), now);
    }
    // The ceiling's interval is (good, bad]: done when it is within the precision of the ceiling.
    if (this.bad - this.good <= Math.max(1, Math.round((this.bad * this.precisionPercent) / 100)))
      return this.finish();
    return this.go(Math.floor((this.good + this.bad) / 2), now);
  }

  private finish(): 'done' {
    this.complete = true;
    return 'done';
  }

  state(): PlanState {
    return {
      steps: [...this.visited],
      holdS: this.holdS,
      stepIndex: this.current === null ? null : this.visited.length - 1,
      stepEndsAt: this.current === null ? null : new Date(this.endsAt).toISOString(),
      complete: this.complete,
      bracket: this.bracket,
    };
  }
}
