import type { Config } from '../config/schema.js';

/**
 * The fields of the run's configuration that the engine reads: the workload it starts with, the plan, the
 * measurement windows and the worker count. Output paths, the target and UI settings stay outside.
 */
export type EngineConfig = Pick<
  Config,
  | 'concurrency'
  | 'jitterMs'
  | 'thinkMs'
  | 'sessionCalls'
  | 'args'
  | 'protocolMix'
  | 'timeoutMs'
  | 'sloMs'
  | 'independence'
  | 'arrivalRate'
  | 'maxSessions'
  | 'steps'
  | 'findCeiling'
  | 'ceilingPrecision'
  | 'holdS'
  | 'durationS'
  | 'startAt'
  | 'warmupS'
  | 'windowS'
  | 'workers'
>;
