import { z } from 'zod';

/** The units a duration may carry; a bare number is in the option's own unit. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

type Unit = 'ms' | 's';

const DURATION = /^(-?\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;

/** `"5m"` → 300 in seconds, `"1500ms"` → 1.5; a bare number keeps `unit`; anything else is NaN. */
export function parseDuration(text: string, unit: Unit): number {
  const match = DURATION.exec(text.trim());
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  const given = (match[2] ?? unit) as keyof typeof UNIT_MS;
  return (value * UNIT_MS[given]) / UNIT_MS[unit];
}

const expected = (unit: Unit): string =>
  `expected a number (${unit}) or a duration with a unit, e.g. ${unit === 'ms' ? '500ms, 2s' : '90s, 5m'}`;

/** A number in `unit` that also takes `90s`, `5m`, `500ms`, `1h`; `check` narrows the number. */
export function duration<T extends z.ZodType<number, number>>(unit: Unit, check: (number: z.ZodNumber) => T) {
  return z
    .union([z.number(), z.string()])
    .transform((value) => (typeof value === 'number' ? value : parseDuration(value, unit)))
    .pipe(
      check(
        z.number({
          error: (issue) =>
            issue.code === 'invalid_type' && issue.expected === 'number' ? expected(unit) : undefined,
        }),
      ),
    );
}

const PART = String.raw`\d+(?:\.\d+)?\s*(?:ms|s|m|h)?`;
const DURATION_RANGE = new RegExp(`^(${PART})(?:\\s*-\\s*(${PART}))?$`);

/**
 * A `{min, max}` range as typed (`text`, parsed by the caller's string schema), as one number, or as the
 * object itself (a config file); MIN must not exceed MAX.
 */
export function rangeSchema(text: z.ZodType<{ min: number; max: number }, string>) {
  return z
    .union([
      text,
      z
        .number()
        .int()
        .nonnegative()
        .transform((value) => ({ min: value, max: value })),
      z.object({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() }).strict(),
    ])
    .refine((range) => range.min <= range.max, 'MIN must not exceed MAX');
}

/** A range of milliseconds written `MIN-MAX`, with units or without (`1000-5000`, `1s-5s`, `2s`). */
export const DurationRangeSchema = rangeSchema(
  z
    .string()
    .trim()
    .regex(DURATION_RANGE, 'expected MIN-MAX in ms or with units, e.g. 1000-5000 or 1s-5s')
    .transform((text) => {
      const [, min = '0', max = min] = DURATION_RANGE.exec(text) ?? [];
      return { min: Math.round(parseDuration(min, 'ms')), max: Math.round(parseDuration(max, 'ms')) };
    }),
);
