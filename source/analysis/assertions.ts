import type { Assertion } from '../config/assertion-schema.js';
import type { LevelSummary } from '../engine/levels.js';

/** One assertion's outcome, with the level that came closest to (or past) the threshold. */
export interface AssertionResult {
  readonly expression: string;
  readonly passed: boolean;
  readonly worst: { readonly concurrency: number; readonly value: number } | null;
}

function valueOf(level: LevelSummary, assertion: Assertion): number | null {
  if (assertion.metric === 'calls') return level.calls;
  if (assertion.metric === 'errors') {
    return assertion.percent ? (level.calls > 0 ? (100 * level.errors) / level.calls : 0) : level.errors;
  }
  return level.latencyMs ? level.latencyMs[assertion.metric] : null;
}

const holds = (value: number, { operator, value: limit }: Assertion): boolean =>
  operator === '<'
    ? value < limit
    : operator === '<='
      ? value <= limit
      : operator === '>'
        ? value > limit
        : value >= limit;

/** One assertion on one level: its value and whether it holds; null when the level has no such figure. */
export function checkLevel(
  assertion: Assertion,
  level: LevelSummary,
): { readonly value: number; readonly passed: boolean } | null {
  const value = valueOf(level, assertion);
  return value === null ? null : { value, passed: holds(value, assertion) };
}

/** Checks each assertion on every measured level; the worst level decides. */
export function checkAssertions(
  assertions: readonly Assertion[],
  levels: readonly LevelSummary[],
): AssertionResult[] {
  const measured = levels.filter((level) => level.calls > 0);
  return assertions.map((assertion) => {
    const upper = assertion.operator.startsWith('<');
    let worst: { concurrency: number; value: number } | null = null;
    for (const level of measured) {
      const value = valueOf(level, assertion);
      if (value === null) continue;
      if (!worst || (upper ? value > worst.value : value < worst.value))
        worst = { concurrency: level.concurrency, value };
    }
    return {
      expression: assertion.expression,
      passed: worst !== null && holds(worst.value, assertion),
      worst,
    };
  });
}
