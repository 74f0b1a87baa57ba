import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The delay monitor's sampling interval; it reports whole intervals, so this is subtracted. */
const RESOLUTION_MS = 10;

/** This thread's event-loop delay, read (and restarted) once per report. */
export class LoopDelay {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  enable(): void {
    this.histogram.enable();
  }

  disable(): void {
    this.histogram.disable();
  }

  /** P99 delay beyond the sampling interval since the last call, ms; then starts a new period. */
  takeP99Ms(): number {
    const p99 =
      this.histogram.count > 0 ? Math.max(0, this.histogram.percentile(99) / 1e6 - RESOLUTION_MS) : 0;
    this.histogram.reset();
    return p99;
  }
}
