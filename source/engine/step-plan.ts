import type { PlanState } from './snapshot.js';

/** Walks concurrency through `steps`, holding each for `holdS` seconds. */
export class StepPlan {
  private index: number | null = null;
  private endsAt = 0;
  private complete = false;

  constructor(
    readonly steps: readonly number[],
    readonly holdS: number,
  ) {}

  /** The first step's setting: what the run shows before the plan starts. */
  get first(): number {
    return this.steps[0] ?? 0;
  }

  /** Starts at the first step; returns its concurrency. */
  start(now: number): number {
    this.index = 0;
    this.complete = false;
    this.endsAt = now + this.holdS * 1000;
    return this.steps[0] ?? 0;
  }

  stopWalking(): void {
    this.index = null;
  }

  get walking(): boolean {
    return this.index !== null;
  }

  /** The next step's concurrency when the hold is over, 'done' after the last step, else null. */
  advance(now: number, _outcome?: unknown): number | 'done' | null {
    if (this.index === null || this.complete || now < this.endsAt) return null;
    if (this.index + 1 >= this.steps.length) {
      this.complete = true;
      return 'done';
    }
    this.index += 1;
    this.endsAt = now + this.holdS * 1000;
    return this.steps[this.index] ?? 0;
  }

  state(): PlanState {
    return {
      steps: this.steps,
      holdS: this.holdS,
      stepIndex: this.index,
      stepEndsAt: this.index === null ? null : new Date(this.endsAt).toISOString(),
      complete: this.complete,
    };
  }
}
