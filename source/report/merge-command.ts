import { summaryOf } from '../format/run-text.js';
import { readReport } from './compare.js';
import { mergeReports, type AgentReport } from './merge.js';
import { MergeError } from './merge-levels.js';
import { writeReports } from './write-report.js';

const USAGE = 'merge A.json B.json … [--report OUT.json] [--report-md OUT.md] [--report-csv OUT.csv]';
const OUTPUTS = { '--report': 'report', '--report-md': 'reportMd', '--report-csv': 'reportCsv' } as const;

type Outputs = { report?: string; reportMd?: string; reportCsv?: string };

/** Splits `merge`'s arguments into report files and output flags (`--report X` or `--report=X`). */
export function parseMergeArgs(args: readonly string[]): { files: string[]; outputs: Outputs } {
  const files: string[] = [];
  const outputs: Outputs = {};
  for (let at = 0; at < args.length; at += 1) {
    const arg = args[at]!;
    if (!arg.startsWith('--')) {
      if (files.includes(arg)) throw new MergeError(`merge: ${arg} is named twice`);
      files.push(arg);
      continue;
    }
    const [name = '', inline] = arg.split(/=(.*)/s, 2);
    const field = OUTPUTS[name as keyof typeof OUTPUTS];
    if (!field) throw new MergeError(`merge: unknown flag ${name}; usage: ${USAGE}`);
    const value = inline ?? args[(at += 1)];
    if (!value || value.startsWith('--')) throw new MergeError(`merge: ${name} needs a file name`);
    outputs[field] = value;
  }
  if (files.length < 2) throw new MergeError(`merge: give two or more agents' JSON reports; usage: ${USAGE}`);
  return { files, outputs };
}

/** `mcp-load-explorer merge …`: prints the merged summary, writes the reports; returns the exit code. */
export async function runMergeCommand(
  args: readonly string[],
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  warn: (line: string) => void = (line) => process.stderr.write(`mcp-load-explorer: ${line}\n`),
): Promise<number> {
  try {
    const { files, outputs } = parseMergeArgs(args);
    const inputs: AgentReport[] = [];
    for (const file of files) inputs.push({ file, report: await readReport(file) });
    const all = { report: undefined, reportMd: undefined, reportCsv: undefined, ...outputs };
    const { report, warnings, startSpreadMs } = mergeReports(inputs, all);
    for (const warning of warnings) warn(`warning: ${warning}`);
    write(
      `merged ${files.length} reports (${String(report.config['agents'])} agents): N is the sum of their sessions; their levels started at most ${(startSpreadMs / 1000).toFixed(1)} s apart`,
    );
    write(summaryOf(report, report.analysis));
    const written = await writeReports(outputs, report);
    if (written.length) warn(`merged report written to ${written.join(', ')}`);
    let code = 0;
    for (const result of report.assertions) {
      const worst = result.worst
        ? `${result.worst.value} at N=${result.worst.concurrency}`
        : 'no level measured';
      warn(`assert ${result.expression}: ${result.passed ? 'passed' : 'FAILED'} (worst ${worst})`);
      if (!result.passed) code = 3;
    }
    return code;
  } catch (error) {
    warn((error as Error).message);
    if (process.env['DEBUG'] && !(error instanceof MergeError))
      process.stderr.write(`${(error as Error).stack}\n`);
    return 2;
  }
}
