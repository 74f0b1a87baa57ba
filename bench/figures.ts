export { median } from '../source/metrics/median.js';

/** ` [2 of 3 runs]` when some runs failed, else nothing. */
export function runsNote(measured: number, runs: number): string {
  return measured === runs ? '' : ` [${measured} of ${runs} runs]`;
}

/** How much `value` differs from `base`, in % of `base`. */
export function percentDifference(value: number, base: number): number {
  return ((value - base) / base) * 100;
}

/** `52.4`, `147`: three significant digits at most, one decimal at most. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** `+0.6%`, `-3.1%`. */
export function formatPercent(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
}

/** One printed figure: what was measured, against which target, and how to measure it again. */
export interface Figure {
  readonly scenario: string;
  readonly text: string;
  /** e.g. `target ≤ 5%`, or `no target, lower is better`. */
  readonly target: string;
  /** Whether the target was met; null when the target is not a bound. */
  readonly met: boolean | null;
  readonly reproduce: string;
}

export function formatFigure({ scenario, text, target, met, reproduce }: Figure): string {
  const verdict = met === null ? '' : met ? ': met' : ': MISSED';
  return `${scenario}  ${text} (${target}${verdict})  reproduce: ${reproduce}`;
}
