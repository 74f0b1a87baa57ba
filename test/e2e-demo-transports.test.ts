import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cliPath, startCli, waitFor } from './support/processes.js';
import { startDemo, type DemoStats } from './support/servers.js';

// No --duration: each run is ended as a user would (SIGTERM) once its servers saw what the test is about.
const workload = [
  '--think',
  '100-200',
  '--session-calls',
  '1000',
  '--jitter',
  '200',
  '--warmup',
  '0',
  '--headless',
];

// Each test has its own servers and mostly waits on its run: run side by side.
describe('demo server transports', { concurrency: 2 }, () => {
  test('the demo server over legacy HTTP+SSE: N sessions held, none left after exit', async () => {
    const demo = await startDemo(['--bottleneck', 'none']);
    const sseUrl = new URL('/sse', demo.url).toString();
    // Sessions in-process: the stdio run below holds its sessions in a worker thread.
    const run = startCli([
      ...['--url', sseUrl, '--sse', '--workers', '0', '--concurrency', '4', '--mix', 'fast:1'],
      ...workload,
    ]);
    try {
      // Generous: the CLI's own start and preflight come first, slow on a loaded machine.
      await waitFor(
        async () => (await demo.stats()).sessions.active === 4,
        40_000,
        'the server to hold 4 SSE sessions',
      );
      await waitFor(async () => (await demo.stats()).calls.byTool.fast! > 10, 15_000, 'calls over SSE');
      run.child.kill('SIGTERM');
      const result = await run.done;
      assert.equal(result.code, 143, result.stderr);
      await waitFor(
        async () => (await demo.stats()).sessions.active === 0,
        5000,
        'every SSE session to close',
      );
      const stats = await demo.stats();
      assert.ok(stats.calls.byTool.fast! > 10, `${stats.calls.byTool.fast} calls`);
      assert.match(result.stdout, /sessions opened \d+, closed \d+; calls \d+; errors 0/);
    } finally {
      run.child.kill('SIGKILL');
      await demo.stop();
    }
  });

  test('the demo server over stdio: one process per session, each really held and closed', async () => {
    const statsDir = await mkdtemp(join(tmpdir(), 'mle-demo-stdio-'));
    const liveSessions = async (): Promise<number> => {
      let live = 0;
      for (const file of await readdir(statsDir)) {
        if (!file.endsWith('.json')) continue;
        try {
          const stats = JSON.parse(await readFile(join(statsDir, file), 'utf8')) as DemoStats;
          live += stats.sessions.active;
        } catch {
          // A file being replaced right now.
        }
      }
      return live;
    };
    const run = startCli([
      ...['--concurrency', '3', '--mix', 'fast:1', ...workload, '--', process.execPath, cliPath],
      ...['demo-server', '--stdio', '--bottleneck', 'none', '--stats-dir', statsDir],
    ]);
    try {
      await waitFor(
        async () => (await liveSessions()) === 3,
        40_000,
        'three stdio demo servers holding a session',
      );
      run.child.kill('SIGTERM');
      const result = await run.done;
      assert.equal(result.code, 143, result.stderr);
      await waitFor(async () => (await liveSessions()) === 0, 5000, 'every stdio session to end');
      const files = (await readdir(statsDir)).filter((file) => file.endsWith('.json'));
      assert.ok(files.length >= 4, `${files.length} server processes: preflight + 3 sessions`);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
