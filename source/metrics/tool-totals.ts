import { addHistogram, createHistogram, type LatencyHistogram } from './histogram.js';
import type { ShardInterval } from './recorder.js';

/** Calls, errors and latency of one tool (or one protocol revision), summed over intervals. */
export interface ToolTotal {
  readonly latency: LatencyHistogram;
  calls: number;
  errors: number;
}

/** Totals by tool name (or by revision). */
export type ToolTotals = Map<string, ToolTotal>;

/** Adds an interval's per-tool figures into `target`, making an entry for a tool met for the first time. */
export function addTools(target: ToolTotals, tools: ShardInterval['tools']): void {
  for (const [name, tool] of Object.entries(tools)) {
    let entry = target.get(name);
    if (!entry) {
      entry = { latency: createHistogram(), calls: 0, errors: 0 };
      target.set(name, entry);
    }
    addHistogram(entry.latency, tool.latency);
    entry.calls += tool.calls;
    entry.errors += tool.errors;
  }
}
