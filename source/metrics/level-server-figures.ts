import type { ServerResources } from '../metrics/process-stats.js';

/** A followed series over one level: its mean and highest reading while measuring. */
export interface LevelSeries {
  readonly mean: number;
  readonly max: number;
}

/** What the server's own metrics said over one level (`--server-metrics`). */
export interface LevelServerFigures {
  /** Mean of the server's per-second event-loop delay p99, ms; null when the server does not export it. */
  readonly serverEventLoopDelayP99Ms?: number | null;
  /** Mean GC pause time per second, ms; null when unknown. */
  readonly serverGcMsPerS?: number | null;
  /** `--server-metric` series, by name. */
  readonly serverSeries?: Readonly<Record<string, LevelSeries>>;
}

class Mean {
  sum = 0;
  count = 0;
  max = Number.NEGATIVE_INFINITY;
  add(value: number): void {
    this.sum += value;
    this.count += 1;
    this.max = Math.max(this.max, value);
  }
  get value(): number | null {
    return this.count ? this.sum / this.count : null;
  }
}

const hundredths = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 100) / 100;

/** Accumulates the server's own figures over a level, a reading a second, in constant memory. */
export class LevelServerBook {
  private readonly loopDelay = new Mean();
  private readonly gc = new Mean();
  private readonly series = new Map<string, Mean>();

  add(server: Partial<ServerResources>): void {
    if (server.eventLoopDelayP99Ms !== null && server.eventLoopDelayP99Ms !== undefined)
      this.loopDelay.add(server.eventLoopDelayP99Ms);
    if (server.gcMsPerS !== null && server.gcMsPerS !== undefined) this.gc.add(server.gcMsPerS);
    for (const [name, series] of Object.entries(server.series ?? {})) {
      if (series.value === null) continue;
      let mean = this.series.get(name);
      if (!mean) this.series.set(name, (mean = new Mean()));
      mean.add(series.value);
    }
  }

  figures(): Required<LevelServerFigures> {
    return {
      serverEventLoopDelayP99Ms: hundredths(this.loopDelay.value),
      serverGcMsPerS: hundredths(this.gc.value),
      serverSeries: Object.fromEntries(
        [...this.series].map(([name, mean]) => [name, { mean: hundredths(mean.value) ?? 0, max: mean.max }]),
      ),
    };
  }
}
