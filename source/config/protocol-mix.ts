import { z } from 'zod';
import { PROTOCOL_REVISIONS } from '../mcp-client/protocol-era.js';

export { formatProtocolMix, pickRevision, type ProtocolMixEntry } from './protocol-mix-entry.js';

const REVISIONS = PROTOCOL_REVISIONS.join(', ');

const entrySchema = z.object({
  revision: z.enum(PROTOCOL_REVISIONS, { error: `a revision is one of ${REVISIONS}` }),
  weight: z.number().min(0, 'weights must be ≥ 0'),
});

/**
 * `"2025-11-25:70,2026-07-28:30"`, a `{revision: weight}` object or a list of `{revision, weight}`: which
 * revision each new client speaks, by weight. A weight of 0 keeps a revision checked at the start so that
 * it can be turned up live.
 */
export const ProtocolMixSchema = z
  .union([
    z
      .string()
      .trim()
      .min(1, 'expected "REVISION:weight,…"')
      .transform((text, ctx) => {
        const entries: { revision: string; weight: number }[] = [];
        for (const part of text.split(',')) {
          const match = /^\s*(\d{4}-\d{2}-\d{2})\s*(?::\s*([0-9.]+))?\s*$/.exec(part);
          const weight = Number(match?.[2] ?? '1');
          if (!match?.[1] || !Number.isFinite(weight)) {
            ctx.addIssue({
              code: 'custom',
              message: `"${part.trim()}" is not REVISION:weight, e.g. 2026-07-28:30`,
            });
            return z.NEVER;
          }
          entries.push({ revision: match[1], weight });
        }
        return entries;
      })
      .pipe(z.array(entrySchema)),
    z
      .record(z.string(), z.number())
      .transform((record) => Object.entries(record).map(([revision, weight]) => ({ revision, weight })))
      .pipe(z.array(entrySchema)),
    z.array(entrySchema),
  ])
  .refine((entries) => entries.some((entry) => entry.weight > 0), {
    message: `give at least one revision a weight above 0, e.g. 2025-11-25:70,2026-07-28:30 (revisions: ${REVISIONS})`,
  })
  .refine(
    (entries) => new Set(entries.map((entry) => entry.revision)).size === entries.length,
    'a revision is named twice',
  );
