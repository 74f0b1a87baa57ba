import { z } from 'zod';
import { configJsonSchema } from '../config/config-json-schema.js';
import { ReportSchema } from '../report/report-schema.js';
import { jsonLinesJsonSchema } from '../run/json-lines-schema.js';
import { fail, wantsHelp } from './fail.js';

export const help = `Usage: mcp-load-explorer schema config|report|json-lines

Prints the JSON Schema of the config file (--config), of the JSON report (--report), or of each line
--json prints on stdout (a compact snapshot a second, then the summary: the report), for an editor or a
validator.

Options
  -h, --help   show this help
`;

/** `mcp-load-explorer schema config|report|json-lines`; returns the exit code. */
export function run(args: readonly string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(help);
    return Promise.resolve(0);
  }
  const schema =
    args[0] === 'report'
      ? z.toJSONSchema(ReportSchema, { io: 'input', unrepresentable: 'any' })
      : args[0] === 'config'
        ? configJsonSchema()
        : args[0] === 'json-lines'
          ? jsonLinesJsonSchema()
          : null;
  if (!schema) return Promise.resolve(fail('schema: name config, report or json-lines', 2));
  console.log(JSON.stringify(schema, null, 2));
  return Promise.resolve(0);
}
