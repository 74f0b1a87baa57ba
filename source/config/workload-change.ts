import { ConfigError, describeIssues } from './config-error.js';
import { WorkloadSchema, type Workload, type WorkloadInput } from './schema.js';

/** Checks a live change against the same schema as the flags, on top of the current workload. */
export function applyWorkloadChange(current: Workload, change: WorkloadInput): Workload {
  const parsed = WorkloadSchema.safeParse({ ...current, ...change });
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, 'flags'));
  return parsed.data;
}
