import { closeSync, writeSync } from 'node:fs';
import { openPrivateFileSync } from '../files/private-file.js';
import hdr from 'hdr-histogram-js';
import type { LatencyHistogram } from '../metrics/histogram.js';

/** The tag of the open model's corrected tool-call histograms in the log (the uncorrected ones have none). */
export const CORRECTED_TAG = 'corrected';

/**
 * The standard HdrHistogram interval log (format 1.3): one compressed tool-call histogram per interval,
 * readable by HdrHistogram's HistogramLogProcessor and other tools. Values are µs; the max column in ms.
 * In the open model each interval has a second line, tagged `corrected`: latency from each call's
 * intended start. Lines are written as the run goes, so a crash loses at most the last interval.
 */
export class HdrIntervalLog {
  private readonly fd: number;
  private readonly writer: hdr.HistogramLogWriter;

  constructor(file: string, startedAtMs: number) {
    this.fd = openPrivateFileSync(file);
    this.writer = new hdr.HistogramLogWriter((text) => writeSync(this.fd, text));
    this.writer.outputLogFormatVersion();
    this.writer.outputComment(
      'mcp-load-explorer tool-call latency, values in microseconds; Tag=corrected: from the intended start (open model)',
    );
    this.writer.outputStartTime(startedAtMs);
    this.writer.baseTime = startedAtMs;
    this.writer.outputLegend();
  }

  write(
    histogram: LatencyHistogram,
    startMs: number,
    endMs: number,
    corrected?: LatencyHistogram | null,
  ): void {
    if (histogram.totalCount === 0) return;
    const base = this.writer.baseTime;
    this.writer.outputIntervalHistogram(histogram, (startMs - base) / 1000, (endMs - base) / 1000, 1000);
    if (!corrected || corrected.totalCount === 0) return;
    corrected.tag = CORRECTED_TAG;
    this.writer.outputIntervalHistogram(corrected, (startMs - base) / 1000, (endMs - base) / 1000, 1000);
  }

  close(): void {
    closeSync(this.fd);
  }
}
