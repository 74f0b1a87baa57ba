import { z } from 'zod';
import { ConfigSchema } from '../config/schema.js';
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
  const schema = args[0] === 'report' ? ReportSchema : args[0] === 'config' ? ConfigSchema : null;
  if (!schema) return Promise.resolve(fail('schema: name config or report', 2));
  console.log(JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2));
  return Promise.resolve(0);
}
