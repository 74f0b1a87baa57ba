import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ReportSchema, type Report } from '../../source/report/report-schema.js';
import { root, runCli, scriptArgs } from './processes.js';

/** Walks the levels against `test/support/case-server.ts MODE`; the report and the calls the server answered. */
export async function caseRun(
  mode: 'cpu' | 'blocking' | 'pool' | 'leak',
  loadArgs: readonly string[],
): Promise<{ report: Report; serverCalls: number }> {
  const child = spawn(process.execPath, [...scriptArgs('test/support/case-server.ts'), mode], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`case server ${mode} exited ${code}`)));
    });
    const reportFile = join(await mkdtemp(join(tmpdir(), `mle-case-${mode}-`)), 'run.json');
    const result = await runCli(
      [
        ...['--url', url, '--pid', String(child.pid), '--jitter', '0', '--warmup', '1'],
        ...['--report', reportFile, '--headless', ...loadArgs],
      ],
      { timeoutMs: 120_000 },
    );
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    const stats = (await (await fetch(new URL('/stats', url))).json()) as { calls: number };
    const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
    return { report, serverCalls: stats.calls };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
