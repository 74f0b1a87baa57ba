/** What a session spends per call besides the call itself, as the workload sets it. */
export interface CallCycle {
  /** Mean think time between a session's calls, ms. */
  readonly thinkMs: number;
  /** Mean calls a session makes before it closes and is replaced. @default 1 */
  readonly sessionCalls: number;
}

/** Mean think time and calls per session from a workload's ranges (the config or a report's `config`). */
export function cycleOf(workload: {
  readonly thinkMs?: { readonly min: number; readonly max: number } | undefined;
  readonly sessionCalls?: { readonly min: number; readonly max: number } | undefined;
}): CallCycle | undefined {
  const { thinkMs, sessionCalls } = workload;
  if (!thinkMs || typeof thinkMs.min !== 'number' || typeof thinkMs.max !== 'number') return undefined;
  const calls =
    sessionCalls && typeof sessionCalls.min === 'number' ? (sessionCalls.min + sessionCalls.max) / 2 : 1;
  return { thinkMs: (thinkMs.min + thinkMs.max) / 2, sessionCalls: calls };
}

export const sameCycle = (a: CallCycle | null, b: CallCycle | null): boolean =>
  a?.thinkMs === b?.thinkMs && a?.sessionCalls === b?.sessionCalls;
