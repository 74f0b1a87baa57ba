import { z } from 'zod';
import { configJsonSchema } from '../config/config-json-schema.js';
import { ReportSchema } from '../report/report-schema.js';
import { fail, wantsHelp } from './fail.js';

export const help = `Usage: mcp-load-explorer schema config|report

Prints the JSON Schema of the config file (--config) or of the JSON report (--report), for an editor or a
validator.

Options
  -h, --help   show this help
`;

/** `mcp-load-explorer schema config|report`; returns the exit code. */
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
        : null;
  if (!schema) return Promise.resolve(fail('schema: name config or report', 2));
  console.log(JSON.stringify(schema, null, 2));
  return Promise.resolve(0);
}
