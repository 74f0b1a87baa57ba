import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportSchema, type Report } from '../../source/report/report-schema.js';
import { runCli } from './processes.js';
import { startDemo } from './servers.js';

/** Walks two levels against the demo server with one bottleneck and returns the report. */
export async function bottleneckRun(
  serverArgs: readonly string[],
  loadArgs: readonly string[],
  mix = 'work:1',
): Promise<Report> {
  const demo = await startDemo(serverArgs);
  const reportFile = join(await mkdtemp(join(tmpdir(), 'mle-bottleneck-')), 'run.json');
  try {
    const result = await runCli(
      [
        ...[
          '--url',
          demo.url,
          '--pid',
          String(demo.child.pid),
          '--mix',
          mix,
          '--jitter',
          '0',
          // A second of warm-up per level unless the test gives its own.
          ...(loadArgs.includes('--warmup') ? [] : ['--warmup', '1']),
        ],
        ...['--report', reportFile, '--headless', ...loadArgs],
      ],
      { timeoutMs: 120_000 },
    );
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    return ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
  } finally {
    await demo.stop();
  }
}
