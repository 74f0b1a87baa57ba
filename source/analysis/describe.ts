import type { Findings } from './findings.js';
import { describeMismatch } from './littles-law.js';

/** `16 (14–19)`, `16`, or `-` with no finding. */
export function withInterval(value: number | null, interval: readonly [number, number] | null): string {
  if (value === null) return '-';
  return interval && interval[0] !== interval[1] ? `${value} (${interval[0]}–${interval[1]})` : String(value);
}

/** `knee 16 (14–19) · ceiling 30 (21–30) · cliff -`: the capacity findings with their intervals. */
export function describeCapacity(findings: Findings): string {
  return [
    `knee ${withInterval(findings.kneeConcurrency, findings.kneeInterval)}`,
    `ceiling ${withInterval(findings.ceilingConcurrency, findings.ceilingInterval)}`,
    `cliff ${findings.cliffConcurrency ?? '-'}`,
  ].join(' · ');
}

/** Levels whose P99 is shown but does not count, in words; null when every level had enough calls. */
export function describeSample(findings: Findings): string | null {
  return findings.fewCallLevels.length
    ? `too few calls for a P99 (under ${findings.minCallsForP99}) at N=${findings.fewCallLevels.join(', ')}: shown, not counted; hold those levels longer`
    : null;
}

/** The caveats a reader must see beside the advice: sample size, Little's law, unsettled levels. */
export function caveats(findings: Findings): string[] {
  return [describeSample(findings), describeMismatch(findings.littlesLaw)].filter(
    (line): line is string => line !== null,
  );
}
