import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportSchema, type Report } from '../../source/report/report-schema.js';
import { runCli } from './processes.js';

/** One headless run with a JSON and a Markdown report: both reports and the run's stdout. */
export async function metricsRun(
  args: readonly string[],
): Promise<{ report: Report; markdown: string; stdout: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'mle-server-metrics-'));
  const [reportFile, mdFile] = [join(folder, 'run.json'), join(folder, 'run.md')];
  const result = await runCli(
    [...args, '--jitter', '0', '--warmup', '1', '--headless', '--report', reportFile, '--report-md', mdFile],
    { timeoutMs: 90_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  return {
    report: ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8'))),
    markdown: await readFile(mdFile, 'utf8'),
    stdout: result.stdout,
  };
}
