import { ConfigError } from '../config/config-error.js';
import type { EngineConfig } from './engine-config.js';
import { CeilingSearch } from './ceiling-search.js';
import { StepPlan } from './step-plan.js';

/** A plan the operator starts from the screen (`a`): fixed steps, or the ceiling search. */
export type PlanRequest =
  | { readonly steps: readonly number[]; readonly holdS: number }
  | { readonly findCeiling: true; readonly holdS: number };

/** What a plan needs from the run to be built. */
export interface PlanContext {
  readonly warmupS: number;
  /** @default 10 */
  readonly ceilingPrecision: number;
  readonly sloMs: () => number;
}

/** The walk a request asks for; throws ConfigError (one line) when nothing of a hold would be measured. */
export function planFor(request: PlanRequest, context: PlanContext): StepPlan | CeilingSearch {
  if (!(request.holdS > context.warmupS))
    throw new ConfigError(
      `a hold of ${request.holdS} s leaves nothing after the ${context.warmupS} s warm-up to measure: hold longer than --warmup`,
    );
  if ('findCeiling' in request)
    return new CeilingSearch(request.holdS, context.sloMs, context.ceilingPrecision);
  if (request.steps.length === 0) throw new ConfigError('a step plan needs at least one step');
  return new StepPlan(request.steps, request.holdS);
}

/** The plan the flags give (`--steps` or `--find-ceiling`), or null. */
export function planOfConfig(config: EngineConfig, sloMs: () => number): StepPlan | CeilingSearch | null {
  if (config.findCeiling) return new CeilingSearch(config.holdS, sloMs, config.ceilingPrecision);
  return config.steps ? new StepPlan(config.steps, config.holdS) : null;
}
