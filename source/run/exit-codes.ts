import type { EngineSnapshot } from '../engine/snapshot.js';

/** What the tool's exit code says; docs/faults.md ("Exit codes") lists the same table. */
export const EXIT_CODES = {
  /** The run ended as planned (or the operator quit). */
  ok: 0,
  /** Preflight failed (the server could not be reached or used), or an output could not be written. */
  error: 1,
  /** Bad input: a flag, the config file, a report or recording given to a subcommand. */
  badInput: 2,
  /** An `--assert` threshold was broken. */
  assertFailed: 3,
  /** `compare` found a regression. */
  regression: 4,
  /** The run ended because its target failed: a server the tool started exited, or nothing succeeded. */
  targetFailed: 5,
} as const;

/**
 * Why the run counts as ended by its target's failure, or null. No session could be opened once the load
 * began, or the last window of the run had errors and no call that succeeded.
 */
export function targetFailure(final: EngineSnapshot): string | null {
  const { totals, window } = final;
  const worst = Object.entries(final.errorsByKind).sort(([, a], [, b]) => b.count - a.count)[0];
  const errors = worst ? ` (${totals.errors} errors, most ${worst[0]}: ${worst[1].lastMessage})` : '';
  if (totals.sessionsOpened === 0 && totals.errors > 0)
    return `the target failed: no session could be opened during the run${errors}`;
  const failedCalls = window.tools.reduce((sum, tool) => sum + tool.errors, 0);
  if (window.errors > 0 && window.calls - failedCalls <= 0)
    return `the target failed: no call succeeded in the last ${window.seconds} s of the run${errors}`;
  return null;
}
