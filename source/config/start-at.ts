import { z } from 'zod';

/** How far ahead `--start-at` may be: a typo in the date should not leave an agent waiting for weeks. */
export const START_AT_MAX_AHEAD_MS = 7 * 24 * 3_600_000;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const RELATIVE = /^\+(\d+(?:\.\d+)?)(s|m|h)?$/;
// A date and a time with a zone: agents on different machines must mean the same instant.
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * When the load starts: an ISO 8601 time with a zone (`2026-11-24T09:30:00Z`) or `+30s`, `+2m`, `+1h`
 * from now. Parsed to an ISO string, so the report records the instant every agent waited for.
 */
export const StartAtSchema = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const relative = RELATIVE.exec(text);
    let at: number;
    if (relative) at = Date.now() + Number(relative[1]) * UNIT_MS[(relative[2] ?? 's') as 's' | 'm' | 'h'];
    else if (ABSOLUTE.test(text) && !Number.isNaN(Date.parse(text))) at = Date.parse(text);
    else {
      ctx.addIssue({
        code: 'custom',
        message: /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)
          ? `"${text}" has no time zone; add Z or an offset, e.g. ${text}Z`
          : `"${text}" is not a time; give ISO 8601 with a zone, e.g. 2026-11-24T09:30:00Z, or +30s, +2m`,
      });
      return z.NEVER;
    }
    if (at - Date.now() > START_AT_MAX_AHEAD_MS) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is more than 7 days away; check the date` });
      return z.NEVER;
    }
    return new Date(at).toISOString();
  });
