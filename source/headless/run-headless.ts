import type { FinishReason, LoadEngine } from '../engine/load-engine.js';
import { statusLine } from '../format/run-text.js';

export interface HeadlessOptions {
  /** One JSON snapshot per line instead of status lines. */
  readonly json: boolean;
  readonly write: (line: string) => void;
  /** Resolves when the operator interrupts the run (Ctrl-C, SIGTERM). */
  readonly interrupted: Promise<'interrupted'>;
}

/** Prints one line per second until the plan or duration ends, or the run is interrupted. */
export async function runHeadless(
  engine: LoadEngine,
  options: HeadlessOptions,
): Promise<FinishReason | 'interrupted'> {
  const print = (): void => {
    const snapshot = engine.getSnapshot();
    if (!options.json) return options.write(statusLine(snapshot));
    const { tools: _tools, ...rest } = snapshot;
    options.write(JSON.stringify({ type: 'snapshot', ...rest }));
  };
  let printedEvents = 0;
  const timer = setInterval(() => {
    print();
    if (!options.json) {
      // The event log, in order, for a terminal or a CI log.
      const events = engine.getSnapshot().events;
      const fresh = events.filter((event) => event.at > printedEvents);
      for (const event of fresh.slice(-5)) options.write(`  ${event.level}: ${event.message}`);
      printedEvents = events[events.length - 1]?.at ?? printedEvents;
    }
  }, 1000);
  try {
    return await Promise.race([engine.finished, options.interrupted]);
  } finally {
    clearInterval(timer);
  }
}
