import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { startEraServer } from './support/era-servers.js';
import { runCli } from './support/processes.js';
import { startDemo } from './support/servers.js';

/** A short headless run of N clients making quick calls; the report read back. */
async function explore(url: string, extra: readonly string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'eras-mix-'));
  const file = join(dir, 'report.json');
  try {
    const result = await runCli([
      ...['--url', url, '-n', '6', '--duration', '3', '--warmup', '0', '--think', '50-100'],
      ...['--session-calls', '3-5', '--workers', '0', '--headless', '--report', file],
      ...extra,
    ]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    return { report: ReportSchema.parse(JSON.parse(await readFile(file, 'utf8'))), stdout: result.stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ECHO = ['--mix', 'echo:1', '--args', 'echo={"text":"x"}'];

// Each test has its own servers (the built-in demo's are the CLI's own) and mostly waits: run side by side.
describe('protocol mix', { concurrency: 2 }, () => {
  test('--protocol-mix on a dual-era server: each revision called, per-revision rows match what the server saw', async () => {
    const server = await startEraServer('dual');
    try {
      const { report, stdout } = await explore(server.url, [
        ...ECHO,
        '--protocol-mix',
        '2025-11-25:50,2026-07-28:50',
      ]);
      const { rpc } = await server.counts();
      assert.equal(report.totals.errors, 0, JSON.stringify(report.errorsByKind));
      const legacy = report.byProtocol?.['2025-11-25'];
      const modern = report.byProtocol?.['2026-07-28'];
      assert.ok(legacy && legacy.calls > 0, JSON.stringify(report.byProtocol));
      assert.ok(modern && modern.calls > 0, JSON.stringify(report.byProtocol));
      assert.equal(legacy.calls + modern.calls, report.totals.calls);
      // What the server saw, era by era (a call still in flight at the end may add one per client).
      const saw2025 = rpc['tools/call 2025'] ?? 0;
      const saw2026 = rpc['tools/call 2026-07-28'] ?? 0;
      assert.ok(saw2025 >= legacy.calls && saw2025 <= legacy.calls + 6, `${saw2025} vs ${legacy.calls}`);
      assert.ok(saw2026 >= modern.calls && saw2026 <= modern.calls + 6, `${saw2026} vs ${modern.calls}`);
      // Every client that started opened its own era: initialize or discover, plus the two checks before the load.
      assert.equal(
        (rpc['initialize'] ?? 0) + (rpc['server/discover'] ?? 0),
        report.totals.sessionsOpened + 2,
      );
      assert.ok((report.levels[0]?.byProtocol?.['2026-07-28']?.calls ?? 0) > 0, 'the level has its rows too');
      assert.match(stdout, /by protocol revision \(whole run\):\n/);
      assert.match(stdout, /\n {2}2025-11-25 {2}calls \d+/);
      assert.match(stdout, /\n {2}2026-07-28 {2}calls \d+/);
    } finally {
      await server.stop();
    }
  });

  test('--protocol-mix naming a revision the server refuses: one line, before any load', async () => {
    const server = await startEraServer('modern');
    try {
      const result = await runCli([
        ...['--url', server.url, ...ECHO, '--headless'],
        ...['--protocol-mix', '2025-11-25:70,2026-07-28:30'],
      ]);
      assert.notEqual(result.code, 0);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(
        lines[0]!,
        /--protocol-mix 2025-11-25: the server refuses this revision; it supports 2026-07-28\. Take 2025-11-25 out of --protocol-mix/,
      );
      assert.equal((await server.counts()).rpc['tools/call'] ?? 0, 0, 'no load was sent');
    } finally {
      await server.stop();
    }
  });

  test('a Multi Round-Trip Request is retried with declined input, and the server saw each retry', async () => {
    const server = await startEraServer('modern');
    try {
      const { report, stdout } = await explore(server.url, [
        '--mix',
        'confirm:1',
        '--protocol',
        '2026-07-28',
      ]);
      const { rpc } = await server.counts();
      assert.equal(report.totals.errors, 0, JSON.stringify(report.errorsByKind));
      assert.ok(report.totals.calls > 0);
      const retries = rpc['tools/call with input'] ?? 0;
      // Each call the tool counted was asked once and came back once with the (declined) input.
      assert.ok(retries >= report.totals.calls && retries <= report.totals.calls + 6, `${retries}`);
      const calls = rpc['tools/call'] ?? 0;
      assert.ok(calls >= retries * 2 && calls <= retries * 2 + 6, `first ask, then the retry: ${calls}`);
      const asked = report.totals.inputRequests;
      assert.ok(
        asked >= report.totals.calls && asked <= report.totals.calls + 6,
        `each ask counted: ${asked}`,
      );
      assert.match(stdout, new RegExp(`input requests declined ${report.totals.inputRequests}`));
    } finally {
      await server.stop();
    }
  });

  test('demo-server --protocol all: both eras at /mcp and the stateless posture at /stateless, counted by era', async () => {
    const demo = await startDemo(['--protocol', 'all', '--bottleneck', 'none']);
    try {
      const mixed = await explore(demo.url, [
        '--mix',
        'fast:1',
        '--protocol-mix',
        '2025-11-25:50,2026-07-28:50',
      ]);
      const afterMix = await demo.stats();
      const { byProtocol } = mixed.report;
      const saw2025 = afterMix.callsByEra['2025-11-25'] ?? 0;
      const saw2026 = afterMix.callsByEra['2026-07-28'] ?? 0;
      const legacy = byProtocol?.['2025-11-25']?.calls ?? 0;
      const modern = byProtocol?.['2026-07-28']?.calls ?? 0;
      assert.ok(legacy > 0 && modern > 0, JSON.stringify(byProtocol));
      assert.ok(saw2025 >= legacy && saw2025 <= legacy + 6, `2025: ${saw2025} vs ${legacy}`);
      assert.ok(saw2026 >= modern && saw2026 <= modern + 6, `2026: ${saw2026} vs ${modern}`);
      // Only the 2025 clients were sessions the server held, and every one of them ended.
      assert.ok(afterMix.sessions.opened >= 2, `${afterMix.sessions.opened} sessions`);
      assert.equal(afterMix.sessions.active, 0);

      const stateless = await explore(demo.url.replace(/\/mcp$/, '/stateless'), ['--mix', 'fast:1']);
      const after = await demo.stats();
      assert.equal(stateless.report.server?.protocolVersion, '2025-11-25');
      assert.equal(stateless.report.server?.stateful, false);
      const sawStateless = after.callsByEra['stateless'] ?? 0;
      const calls = stateless.report.totals.calls;
      assert.ok(sawStateless >= calls && sawStateless <= calls + 6, `stateless: ${sawStateless} vs ${calls}`);
      assert.equal(after.sessions.opened, afterMix.sessions.opened, 'the stateless posture held no session');
    } finally {
      await demo.stop();
    }
  });

  test('the built-in demo (npm start): its clients speak both revisions unless the run chose one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eras-demo-'));
    // Two runs at once, each with its own built-in demo server and report.
    const run = async (name: string, extra: readonly string[]) => {
      const file = join(dir, name);
      const result = await runCli([
        ...['-n', '8', '--duration', '3', '--warmup', '0', '--think', '50-100', '--mix', 'fast:1'],
        ...['--session-calls', '3-5', '--workers', '0', '--headless', '--report', file, ...extra],
      ]);
      assert.equal(result.code, 0, result.stderr);
      return { ...result, report: ReportSchema.parse(JSON.parse(await readFile(file, 'utf8'))) };
    };
    const [mixed, pinned] = await Promise.all([
      run('mixed.json', []),
      run('pinned.json', ['--protocol', '2025-11-25']),
    ]);
    const mixedReport = mixed.report;
    const pinnedReport = pinned.report;
    await rm(dir, { recursive: true, force: true });
    const revisions = mixedReport.byProtocol ?? {};
    assert.deepEqual(Object.keys(revisions).sort(), ['2025-11-25', '2026-07-28']);
    assert.ok(Object.values(revisions).every((row) => row.calls > 0 && row.errors === 0));
    assert.match(
      mixed.stdout,
      /^protocol mix 2025-11-25 \+ 2026-07-28 \(the probe found 2026-07-28 stateless\)$/m,
    );
    assert.equal(pinnedReport.byProtocol ?? null, null);
    assert.equal(pinnedReport.server?.protocolVersion, '2025-11-25');
  });
});
