import { z } from 'zod';
import type { LevelSummary } from '../engine/levels.js';

const METRICS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'errors', 'calls'] as const;
type Metric = (typeof METRICS)[number];

/** A threshold such as `p99<2000` (ms), `errors<1%` (of calls) or `calls>=100`, checked on every level. */
export const AssertionSchema = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const match = /^(p50|p90|p95|p99|p999|max|mean|errors|calls)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)(%?)$/.exec(
      text,
    );
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not METRIC<VALUE, e.g. p99<2000 or errors<1% (metrics: ${METRICS.join(', ')})`,
      });
      return z.NEVER;
    }
    const [, metric, operator, value, percent] = match;
    if (percent && metric !== 'errors') {
      ctx.addIssue({ code: 'custom', message: `"${text}": only errors can be a percentage` });
      return z.NEVER;
    }
    return {
      expression: text,
      metric: metric as Metric,
      operator: operator as '<' | '<=' | '>' | '>=',
      value: Number(value),
      percent: percent === '%',
    };
  });

export type Assertion = z.output<typeof AssertionSchema>;

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
