import type { WorkloadInput } from '../config/schema.js';
import type { EngineSnapshot } from '../engine/snapshot.js';
import type { PlanRequest } from '../engine/plan-request.js';

/** What the UI may do with the engine: read snapshots and send the operator's changes. */
export interface EnginePort {
  subscribe(listener: () => void): () => void;
  getSnapshot(): EngineSnapshot;
  /** Throws an error with a one-line message on a bad value. */
  setWorkload(change: WorkloadInput): void;
  pause(): void;
  resume(): void;
  mark(label: string): void;
  /** Starts or stops the `--steps` walk; throws when there is no plan. */
  togglePlan(): void;
  /** Starts a plan typed on the screen (`a` with none given); throws with a one-line message on a bad one. */
  startPlan(request: PlanRequest): void;
}
