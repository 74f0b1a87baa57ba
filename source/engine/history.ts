/** Per-second series for sparklines and the P99-over-time trend. */
export interface History {
  readonly p99Ms: readonly number[];
  readonly throughput: readonly number[];
  readonly serverRssBytes: readonly number[];
  readonly serverCpuPercent: readonly number[];
  /** The server's own event-loop delay p99 (`--server-metrics`), ms. */
  readonly serverEventLoopDelayMs: readonly number[];
  readonly generatorCpuPercent: readonly number[];
  readonly generatorRssBytes: readonly number[];
  readonly eventLoopDelayMs: readonly number[];
}

export type HistorySample = { readonly [K in keyof History]: number | null };

/** Seconds of history kept. */
export const HISTORY_SECONDS = 120;

export const emptyHistory: History = {
  p99Ms: [],
  throughput: [],
  serverRssBytes: [],
  serverCpuPercent: [],
  serverEventLoopDelayMs: [],
  generatorCpuPercent: [],
  generatorRssBytes: [],
  eventLoopDelayMs: [],
};

/** Appends one sample; returns a new object (snapshots are never mutated). Nulls are skipped. */
export function appendHistory(history: History, sample: HistorySample): History {
  const next: Record<string, readonly number[]> = {};
  for (const key of Object.keys(history) as (keyof History)[]) {
    const value = sample[key];
    next[key] = value === null ? history[key] : [...history[key].slice(-(HISTORY_SECONDS - 1)), value];
  }
  return next as unknown as History;
}
