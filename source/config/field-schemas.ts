/** The schemas of single settings (ranges, the mix, arguments, headers, URLs), shared by the config schema. */
import { z } from 'zod';
import { DurationRangeSchema, rangeSchema } from './duration.js';
import * as safe from './safe-values.js';

/** A uniform range in whole numbers, written `MIN-MAX` (or one number) on the command line. */
export const RangeSchema = rangeSchema(
  z
    .string()
    .trim()
    .regex(/^\d+(\s*-\s*\d+)?$/, 'expected MIN-MAX in whole numbers, e.g. 1000-5000')
    .transform((text) => {
      const [min, max = min] = text.split('-').map((part) => Number(part.trim()));
      return { min: min ?? 0, max: max ?? 0 };
    }),
);

export type Range = z.output<typeof RangeSchema>;

/** A range of milliseconds some timer waits: beyond the timer's range is refused, not wrapped to 1 ms. */
export const MsRangeSchema = DurationRangeSchema.refine(
  (range) => range.max <= safe.TIMER_MAX_MS,
  safe.TIMER_RANGE_MESSAGE,
);

const toolName = z
  .string()
  .trim()
  .min(1, 'a tool name is empty')
  .refine((name) => !safe.isPrototypeKey(name), safe.prototypeKeyMessage('a tool name'));

/** One weighted entry of the tool mix. */
export const MixEntrySchema = z.object({
  tool: toolName,
  weight: z.number().positive('weights must be > 0'),
});

/** `"tool:weight,…"`, a `{tool: weight}` object or a list of `{tool, weight}`. */
export const MixSchema = z
  .union([
    z
      .string()
      .trim()
      .min(1, 'expected "tool:weight,…"')
      .transform((text, ctx) => {
        const entries: { tool: string; weight: number }[] = [];
        for (const part of text.split(',')) {
          const match = /^\s*([^:]+?)\s*(?::\s*([0-9.]+))?\s*$/.exec(part);
          const weight = Number(match?.[2] ?? '1');
          if (!match?.[1] || !Number.isFinite(weight) || weight <= 0) {
            ctx.addIssue({ code: 'custom', message: `"${part.trim()}" is not tool:weight (weight > 0)` });
            return z.NEVER;
          }
          if (safe.refusePrototypeName(ctx, match[1], 'a tool name')) return z.NEVER;
          entries.push({ tool: match[1], weight });
        }
        return entries;
      }),
    z
      .record(toolName, z.number().positive())
      .transform((record) => Object.entries(record).map(([tool, weight]) => ({ tool, weight }))),
    z.array(MixEntrySchema).min(1),
  ])
  .refine((entries) => entries.length > 0, 'the mix is empty; give at least one tool, e.g. {"echo": 1}')
  .refine(
    (entries) => new Set(entries.map((entry) => entry.tool)).size === entries.length,
    'a tool is named twice',
  );

export type MixEntry = z.output<typeof MixEntrySchema>;

const jsonObject = z
  .record(z.string(), z.unknown())
  .refine((value) => safe.protoKeyPath(value) === null, 'arguments may not hold a __proto__ key');

/** Tool arguments: `tool=JSON` strings (repeatable flag) or a `{tool: {…}}` object. */
export const ArgsSchema = z.union([
  z.array(z.string()).transform((items, ctx) => {
    const args: Record<string, Record<string, unknown>> = {};
    for (const item of items) {
      const at = item.indexOf('=');
      const tool = item.slice(0, at).trim();
      let value: unknown;
      try {
        value = at > 0 ? JSON.parse(item.slice(at + 1)) : undefined;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `"${item}": ${(error as Error).message}` });
        return z.NEVER;
      }
      if (safe.refusePrototypeName(ctx, tool, 'a tool name')) return z.NEVER;
      const parsed = jsonObject.safeParse(value);
      if (safe.protoKeyPath(value)) {
        ctx.addIssue({ code: 'custom', message: `"${item}": arguments may not hold a __proto__ key` });
        return z.NEVER;
      }
      if (!tool || !parsed.success || Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not tool={JSON object}` });
        return z.NEVER;
      }
      args[tool] = parsed.data;
    }
    return args;
  }),
  z.record(toolName, jsonObject),
]);

const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a header name')
  .refine((name) => !safe.isPrototypeKey(name), safe.prototypeKeyMessage('a header name'));

/** HTTP headers: `"Name: value"` strings (repeatable flag) or a `{Name: value}` object. */
export const HeadersSchema = z.union([
  z.array(z.string()).transform((items, ctx) => {
    const headers: Record<string, string> = {};
    for (const item of items) {
      const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*)$/.exec(item);
      if (safe.refusePrototypeName(ctx, match?.[1], 'a header name')) return z.NEVER;
      if (!match?.[1]) {
        ctx.addIssue({ code: 'custom', message: `"${item.split(':')[0]}…" is not "Name: value"` });
        return z.NEVER;
      }
      headers[match[1]] = match[2] ?? '';
    }
    return headers;
  }),
  z.record(headerName, z.string()),
]);

/** `Name=ENV_VAR` strings (repeatable flag) or a `{Name: ENV_VAR}` object: header values read from the environment. */
export const HeaderEnvSchema = z.union([
  z.array(z.string()).transform((items, ctx) => {
    const names: Record<string, string> = {};
    for (const item of items) {
      const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(item);
      if (safe.refusePrototypeName(ctx, match?.[1], 'a header name')) return z.NEVER;
      if (!match?.[1] || !match[2]) {
        ctx.addIssue({
          code: 'custom',
          message: `"${item}" is not Name=ENV_VAR, e.g. Authorization=MCP_TOKEN`,
        });
        return z.NEVER;
      }
      names[match[1]] = match[2];
    }
    return names;
  }),
  z.record(headerName, z.string().min(1)),
]);

export const httpUrl = z
  .string()
  .trim()
  .refine((text) => URL.canParse(text), {
    message: 'not a URL, expected e.g. http://127.0.0.1:3001/mcp',
    abort: true,
  })
  .refine((text) => /^https?:$/.test(new URL(text).protocol), 'must start with http:// or https://');
