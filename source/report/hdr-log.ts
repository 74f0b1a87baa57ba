import { closeSync, writeSync } from 'node:fs';
import { openPrivateFileSync } from '../files/private-file.js';
import hdr from 'hdr-histogram-js';
import type { LatencyHistogram } from '../metrics/histogram.js';

/**
 * The standard HdrHistogram interval log (format 1.3): one compressed tool-call histogram per interval,
 * readable by HdrHistogram's HistogramLogProcessor and other tools. Values are µs; the max column in ms.
 * Lines are written as the run goes, so a crash loses at most the last interval.
 */
export class HdrIntervalLog {
  private readonly fd: number;
  private readonly writer: hdr.HistogramLogWriter;

  constructor(file: string, startedAtMs: number) {
    this.fd = openPrivateFileSync(file);
    this.writer = new hdr.HistogramLogWriter((text) => writeSync(this.fd, text));
    this.writer.outputLogFormatVersion();
    this.writer.outputComment('mcp-load-explorer tool-call latency, values in microseconds');
    this.writer.outputStartTime(startedAtMs);
    this.writer.baseTime = startedAtMs;
    this.writer.outputLegend();
  }

  write(histogram: LatencyHistogram, startMs: number, endMs: number): void {
    if (histogram.totalCount === 0) return;
    const base = this.writer.baseTime;
    this.writer.outputIntervalHistogram(histogram, (startMs - base) / 1000, (endMs - base) / 1000, 1000);
  }

  close(): void {
    closeSync(this.fd);
  }
}
