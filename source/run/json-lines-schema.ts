import { z } from 'zod';
import { SnapshotLineSchema } from '../headless/json-lines.js';
import { ReportSchema } from '../report/report-schema.js';

/** The last `--json` line: the whole report (`schema report`), analysis included, marked `summary`. */
export const SummaryLineSchema = ReportSchema.extend({ type: z.literal('summary') }).describe(
  'the last line: the whole report, as --report writes it, with type "summary"',
);

/** Every line `--json` prints on stdout: a snapshot a second, then the summary. */
export const JsonLineSchema = z
  .discriminatedUnion('type', [SnapshotLineSchema, SummaryLineSchema])
  .describe('one line of mcp-load-explorer --json on stdout');

/** The JSON Schema `schema json-lines` prints: what each line must match. */
export function jsonLinesJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(JsonLineSchema, { io: 'input', unrepresentable: 'any' });
}
