/** What becomes of an arrival that is due. */
export type ArrivalFate = 'start' | 'wait' | 'drop';

/** Arrivals that may wait per worker, or the cap on sessions if that is more. @default 10000 */
export const BACKLOG_LIMIT = 10_000;

/**
 * Open model: arrivals that find `--max-sessions` sessions open wait here, oldest first, with the time
 * each was due, and start as sessions end; their wait counts in the corrected latency. At most 10,000
 * (or the cap, if more) wait: beyond that an arrival is turned away, so a server that stops answering
 * does not pile up arrivals without end either.
 */
export class ArrivalBacklog {
  private readonly due: number[] = [];

  /** An arrival due at `intendedAt` finds `open` sessions of at most `cap`. */
  admit(intendedAt: number, open: number, cap: number): ArrivalFate {
    if (open < cap && this.due.length === 0) return 'start';
    if (this.due.length >= Math.max(cap, BACKLOG_LIMIT)) return 'drop';
    this.due.push(intendedAt);
    return 'wait';
  }

  /** A session ended (`open` left of at most `cap`): the due time of the oldest waiting arrival to start. */
  next(open: number, cap: number): number | undefined {
    return open < cap ? this.due.shift() : undefined;
  }

  get waiting(): number {
    return this.due.length;
  }

  clear(): void {
    this.due.length = 0;
  }
}
