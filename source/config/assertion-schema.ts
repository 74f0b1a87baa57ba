import { z } from 'zod';

export const METRICS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'errors', 'calls'] as const;
export type Metric = (typeof METRICS)[number];

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
