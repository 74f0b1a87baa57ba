import type { CallCycle } from '../engine/call-cycle.js';
import { MIN_CALLS_FOR_P99, type LevelSummary } from '../engine/levels.js';

export type { CallCycle };

/** One level through the response-time law N = X·(R + Z). */
export interface LevelLaw {
  readonly concurrency: number;
  /** Calls per second. */
  readonly throughput: number;
  /** Mean tool-call latency, ms. */
  readonly meanMs: number;
  /** Time per call outside the call: think time, plus this level's initialize and close per call, ms. */
  readonly thinkMs: number;
  /** N = X·(R + Z): the sessions the measured throughput and latency imply. */
  readonly impliedConcurrency: number;
  /**
   * |implied − set| / set above `LITTLE_MISMATCH`: the generator did not apply the load it claims. Never
   * set for a level too short to judge (`LITTLE_MIN_CYCLES`, `MIN_CALLS_FOR_P99`).
   */
  readonly mismatch: boolean;
}

/** Implied and set N further apart than this share flag the level. @default 0.25 */
export const LITTLE_MISMATCH = 0.25;

/**
 * A level is judged only when it lasted this many call cycles (R + Z) and made `MIN_CALLS_FOR_P99` calls.
 * A session that starts in a level (the run's start, N raised live, a session replaced) makes its first
 * call without thinking: up to N calls more than the law's steady state, which over c cycles reads as N/c
 * more sessions. Over 4 cycles that stays within `LITTLE_MISMATCH`; a level of one cycle would read as
 * twice its N (N≈19.3 at N=10 was seen on the demo, a level of under 100 calls after N was raised live).
 */
export const LITTLE_MIN_CYCLES = 4;

/**
 * Z per call: a session of k calls thinks k − 1 times and opens and closes once, so each call carries
 * (k − 1)/k of a think and 1/k of the session's initialize and close.
 */
export function thinkPerCall(level: LevelSummary, cycle: CallCycle): number {
  const calls = Math.max(1, cycle.sessionCalls);
  const overhead = (level.initializeMs?.mean ?? 0) + (level.closeMs?.mean ?? 0);
  return (cycle.thinkMs * (calls - 1) + overhead) / calls;
}

/**
 * The think time and session length a level ran at: its own (think time changed live between levels), the
 * run's for a report without them, and null when they changed during the level (no one Z to judge it by).
 */
export function levelCycle(level: LevelSummary, run: CallCycle | undefined): CallCycle | null {
  return level.callCycle === undefined ? (run ?? null) : level.callCycle;
}

/** The response-time law per completed level with calls; in the open model N is the mean sessions open. */
export function levelLaws(levels: readonly LevelSummary[], run: CallCycle | undefined): LevelLaw[] {
  return levels
    .filter((level) => level.latencyMs && level.calls > 0 && level.concurrency > 0 && level.durationMs > 0)
    .flatMap((level) => {
      const cycle = levelCycle(level, run);
      if (!cycle) return [];
      const thinkMs = thinkPerCall(level, cycle);
      const throughput = level.throughput;
      const cycleMs = level.latencyMs!.mean + thinkMs;
      const impliedConcurrency = (throughput * cycleMs) / 1000;
      const judged = level.calls >= MIN_CALLS_FOR_P99 && level.durationMs >= LITTLE_MIN_CYCLES * cycleMs;
      return [
        {
          concurrency: level.concurrency,
          throughput: Math.round(throughput * 100) / 100,
          meanMs: Math.round(level.latencyMs!.mean * 10) / 10,
          thinkMs: Math.round(thinkMs),
          impliedConcurrency: Math.round(impliedConcurrency * 10) / 10,
          mismatch:
            judged && Math.abs(impliedConcurrency - level.concurrency) / level.concurrency > LITTLE_MISMATCH,
        },
      ];
    });
}

/** The mismatch in words, or null when every level's implied N agrees with the N that was set. */
export function describeMismatch(laws: readonly LevelLaw[]): string | null {
  const off = laws.filter((law) => law.mismatch);
  if (off.length === 0) return null;
  return `Little's law: the measured X·(R + Z) implies ${off.map((law) => `N≈${law.impliedConcurrency} at N=${law.concurrency}`).join(', ')}: the generator did not apply the load it claims (it fell behind, or sessions were not all calling)`;
}
