import { compareReports, readReport, renderComparison } from '../report/compare.js';
import { fail, wantsHelp } from './fail.js';

export const help = `Usage: mcp-load-explorer compare BASE.json NEW.json

Overlays two runs' P99-vs-N from their JSON reports (--report) and flags each level where NEW is worse
than BASE. Exit 4 if there is a regression, 2 if a report cannot be read.

Options
  -h, --help   show this help
`;

/** `mcp-load-explorer compare BASE.json NEW.json`; returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(help);
    return 0;
  }
  const [base, next] = args;
  if (!base || !next || args.length > 2) return fail('compare: give two JSON reports, BASE.json NEW.json', 2);
  try {
    const comparison = compareReports(await readReport(base), await readReport(next));
    console.log(renderComparison(comparison, Boolean(process.stdout.isTTY) && !process.env['NO_COLOR']));
    return comparison.regressions > 0 ? 4 : 0;
  } catch (error) {
    return fail((error as Error).message, 2);
  }
}
