import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { everythingPath, startCli, waitFor } from './support/processes.js';
import { processesMatching } from './support/proc.js';
import { startEverything } from './support/servers.js';

const workload = [
  '--think',
  '100-200',
  '--session-calls',
  '1000',
  '--jitter',
  '200',
  '--warmup',
  '0',
  '--mix',
  'echo:80,get-sum:20',
  '--args',
  'echo={"message":"hi"}',
  '--args',
  'get-sum={"a":1,"b":2}',
  '--headless',
];

/** Calls the run has made so far, from its last headless status line (one a second). */
function callsSoFar(output: string): number {
  return Number([...output.matchAll(/calls=(\d+)/g)].at(-1)?.[1] ?? 0);
}

async function reportOf(file: string) {
  return ReportSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

// Each test has its own server(s) and mostly waits on its run: run side by side. No --duration: each run is
// ended as a user would (SIGTERM) once the server holds its sessions and enough calls were made, which a slow
// start of the stdio servers on a loaded machine cannot cut short.
describe('server-everything', { concurrency: 2 }, () => {
  for (const transport of ['streamableHttp', 'sse'] as const) {
    test(`server-everything over ${transport}: N sessions held, none left after exit`, async () => {
      const server = await startEverything(transport);
      const reportFile = join(await mkdtemp(join(tmpdir(), 'mle-everything-')), 'run.json');
      // Sessions in-process: the stdio run below holds its sessions in a worker thread.
      const run = startCli([
        ...['--url', server.url, ...(transport === 'sse' ? ['--sse'] : []), '--workers', '0'],
        ...['--concurrency', '4', '--report', reportFile, ...workload],
      ]);
      try {
        // The preflight session opens and closes first; then 4 are held at once. Generous: the CLI's own
        // start comes first, slow on a loaded machine.
        await waitFor(
          () => server.opened() - server.closed() === 4 && server.opened() >= 5,
          40_000,
          '4 sessions held',
        );
        // Enough calls that the 20% get-sum share surely has some (0.8^60 < 2e-6 that it has none).
        await waitFor(() => callsSoFar(run.output()) >= 60, 20_000, '60 calls');
        run.child.kill('SIGTERM');
        const result = await run.done;
        assert.equal(result.code, 143, result.stderr);
        await waitFor(() => server.opened() === server.closed(), 5000, 'the server to close every session');
        const report = await reportOf(reportFile);
        assert.equal(report.endReason, 'interrupted');
        assert.equal(report.totals.errors, 0, JSON.stringify(report.errorsByKind));
        assert.ok(report.totals.calls > 20, `${report.totals.calls} calls`);
        assert.equal(
          report.totals.sessionsOpened,
          server.opened() - 1,
          'sessions the server saw, less preflight',
        );
        assert.deepEqual(Object.keys(report.levels[0]!.tools).sort(), ['echo', 'get-sum']);
      } finally {
        run.child.kill('SIGKILL');
        await server.stop();
      }
    });
  }

  test('server-everything over stdio: one server process per session, all ended after exit', async () => {
    const reportFile = join(await mkdtemp(join(tmpdir(), 'mle-stdio-')), 'run.json');
    const run = startCli([
      ...['--concurrency', '3', '--report', reportFile, ...workload],
      ...['--', process.execPath, everythingPath, 'stdio'],
    ]);
    try {
      const servers = (): number => processesMatching(everythingPath, 'stdio').length;
      await waitFor(() => servers() === 3, 40_000, 'three stdio server processes');
      await waitFor(() => callsSoFar(run.output()) > 10, 20_000, 'calls');
      run.child.kill('SIGTERM');
      const result = await run.done;
      assert.equal(result.code, 143, result.stderr);
      await waitFor(() => servers() === 0, 5000, 'every stdio server process to end');
      const report = await reportOf(reportFile);
      assert.equal(report.endReason, 'interrupted');
      assert.equal(report.target.transport, 'stdio');
      assert.equal(report.totals.errors, 0, JSON.stringify(report.errorsByKind));
      assert.ok(report.totals.calls > 10);
      assert.equal(report.totals.sessionsOpened, report.totals.sessionsClosed);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
