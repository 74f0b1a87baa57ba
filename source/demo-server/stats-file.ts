import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DemoStats } from './demo-stats.js';

const CALL_WRITE_INTERVAL_MS = 200;

/**
 * Keeps `DIR/<pid>.json` current so a test (or the load tester) can count live stdio sessions across
 * processes. Writes are synchronous and atomic (temp file + rename): a reader never sees half a file, and
 * the last write happens even when the process is about to exit.
 */
export class StatsFile {
  readonly path: string;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    directory: string,
    private readonly read: () => DemoStats,
  ) {
    mkdirSync(directory, { recursive: true });
    this.path = path.join(directory, `${process.pid}.json`);
  }

  writeNow(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.read())}\n`);
    renameSync(temporary, this.path);
  }

  /** At most one write per interval after calls, whatever the call rate. */
  writeSoon(): void {
    this.pending ??= setTimeout(() => this.writeNow(), CALL_WRITE_INTERVAL_MS).unref();
  }
}
