/** What the tool's exit code says; docs/measurement.md ("Exit codes") is the table. */
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
