import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { processesMatching } from './support/proc.js';
import { cliPath, startCli, waitFor } from './support/processes.js';
import { demoForFile } from './support/servers.js';

const demo = demoForFile();

test('Ctrl-C, SIGTERM and SIGHUP end a headless run the same way: sessions closed, report written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mle-shutdown-'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const report = join(dir, `${signal}.json`);
    const run = startCli([
      ...['--url', demo().url, '--mix', 'fast:1', '--concurrency', '3', '--think', '100-200'],
      ...['--jitter', '0', '--warmup', '0', '--report', report, '--headless'],
    ]);
    const callsBefore = (await demo().stats()).calls.total;
    // Sessions are up before their first call (after 100–200 ms of think time): wait for calls too.
    await waitFor(
      async () => {
        const { sessions, calls } = await demo().stats();
        return sessions.active === 3 && calls.total >= callsBefore + 3;
      },
      15_000,
      `3 sessions and their calls (${signal})`,
    );
    const sentAt = Date.now();
    run.child.kill(signal);
    const result = await run.done;
    // As shells expect of a process a signal ended: 128 + its number.
    const code = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal];
    assert.equal(result.code, code, `${signal}: ${result.stderr}`);
    assert.ok(Date.now() - sentAt < 12_000, `${signal}: ended within the 10 s close bound`);
    assert.equal((await demo().stats()).sessions.active, 0, `${signal}: every session closed on the server`);
    const parsed = ReportSchema.parse(JSON.parse(await readFile(report, 'utf8')));
    assert.equal(parsed.endReason, 'interrupted', signal);
    assert.ok(parsed.totals.calls > 0, `${signal}: the figures are in the report`);
    assert.equal(
      (await stat(report)).mode & 0o777,
      0o600,
      `${signal}: the report is readable by the user only`,
    );
  }
});

test('SIGHUP ends every stdio server process', async () => {
  // A folder of its own marks this test's server processes among any others on the machine.
  const marker = await mkdtemp(join(tmpdir(), 'mle-shutdown-stdio-'));
  const server = ['demo-server', '--stdio', '--bottleneck', 'none', '--stats-dir', marker];
  const run = startCli([
    ...['--mix', 'fast:1', '--concurrency', '3', '--think', '100-200', '--jitter', '0', '--headless'],
    ...['--', process.execPath, cliPath, ...server],
  ]);
  const servers = (): number[] => processesMatching(cliPath, '--stdio', marker);
  await waitFor(() => servers().length >= 3, 20_000, '3 stdio server processes');
  run.child.kill('SIGHUP');
  const result = await run.done;
  assert.equal(result.code, 129, result.stderr);
  assert.deepEqual(servers(), [], 'no stdio server process left');
});
