import type { Config, Workload } from '../config/schema.js';

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

/** The workload a run starts with, before its mix is known. */
export function pickWorkload(config: EngineConfig): Omit<Workload, 'mix'> {
  const { concurrency, jitterMs, thinkMs, sessionCalls, args, timeoutMs, sloMs, independence, arrivalRate } =
    config;
  const workload = { concurrency, jitterMs, thinkMs, sessionCalls, args, timeoutMs, sloMs, independence };
  return { ...workload, arrivalRate, protocolMix: config.protocolMix };
}
