import type { FinishReason, LoadEngine } from '../engine/load-engine.js';
import { statusLine } from '../format/run-text.js';
import { serverLineOf } from '../metrics/recorder.js';
import { snapshotLine } from './json-lines.js';

export interface HeadlessOptions {
  /** One compact JSON snapshot per line instead of status lines (`schema json-lines`). */
  readonly json: boolean;
  /** Nothing a second: the summary alone, printed by the caller; only error events, on `warn`. */
  readonly quiet: boolean;
  /** A line of stdout. */
  readonly write: (line: string) => void;
  /** A line of stderr (`--quiet`'s error events). */
  readonly warn: (line: string) => void;
  /** Resolves when the run is cut short: the operator interrupts it (Ctrl-C, SIGTERM), or its server exits. */
  readonly interrupted: Promise<'interrupted' | 'error'>;
}

/** Prints one line per second until the plan or duration ends, or the run is interrupted. */
export async function runHeadless(
  engine: LoadEngine,
  options: HeadlessOptions,
): Promise<FinishReason | 'interrupted' | 'error'> {
  let printedEvents = 0;
  const print = (): void => {
    const snapshot = engine.getSnapshot();
    if (options.json) {
      if (!options.quiet) options.write(JSON.stringify(snapshotLine(snapshot)));
      return;
    }
    if (!options.quiet) options.write(statusLine(snapshot));
    // The event log, in order, for a terminal or a CI log; the server's own lines went to stderr already.
    const events = snapshot.events;
    const fresh = events.filter((event) => event.at > printedEvents && serverLineOf(event) === null);
    if (options.quiet) {
      for (const event of fresh) if (event.level === 'error') options.warn(`error: ${event.message}`);
    } else for (const event of fresh.slice(-5)) options.write(`  ${event.level}: ${event.message}`);
    printedEvents = events[events.length - 1]?.at ?? printedEvents;
  };
  const timer = setInterval(print, 1000);
  try {
    return await Promise.race([engine.finished, options.interrupted]);
  } finally {
    clearInterval(timer);
  }
}
