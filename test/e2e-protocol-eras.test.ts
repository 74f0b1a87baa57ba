import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { startEraServer, type EraPosture } from './support/era-servers.js';
import { runCli } from './support/processes.js';

/** A short headless run of N=3 clients making quick calls; the report read back. */
async function explore(url: string, extra: readonly string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'eras-'));
  const file = join(dir, 'report.json');
  try {
    const result = await runCli([
      '--url',
      url,
      '--mix',
      'echo:1',
      '--args',
      'echo={"text":"x"}',
      '-n',
      '3',
      '--duration',
      '2',
      '--warmup',
      '0',
      '--think',
      '50-100',
      '--session-calls',
      '3-5',
      '--workers',
      '0',
      '--headless',
      '--report',
      file,
      ...extra,
    ]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    return { report: ReportSchema.parse(JSON.parse(await readFile(file, 'utf8'))), stdout: result.stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const cases: readonly {
  posture: EraPosture;
  protocol: string;
  version: string;
  stateful: boolean;
}[] = [
  { posture: 'modern', protocol: 'auto', version: '2026-07-28', stateful: false },
  { posture: 'dual', protocol: '2025-11-25', version: '2025-11-25', stateful: false },
  { posture: 'v1', protocol: 'auto', version: '2025-11-25', stateful: true },
];

// Each test has its own era server and mostly waits on its run: run side by side.
describe('protocol eras', { concurrency: 2 }, () => {
  for (const { posture, protocol, version, stateful } of cases) {
    test(`${posture} server, --protocol ${protocol}: ${version} ${stateful ? 'stateful' : 'stateless'}, what the server saw matches`, async () => {
      const server = await startEraServer(posture);
      try {
        const { report, stdout } = await explore(server.url, ['--protocol', protocol]);
        const { http, rpc } = await server.counts();
        assert.equal(report.totals.errors, 0, JSON.stringify(report.errorsByKind));
        assert.ok(report.totals.calls > 0);
        assert.equal(report.server?.protocolVersion, version);
        assert.equal(report.server?.stateful, stateful);
        // Every call the tool counted reached the server (one still in flight at the end may add one).
        const calls = rpc['tools/call'] ?? 0;
        assert.ok(
          calls >= report.totals.calls && calls <= report.totals.calls + 3,
          `${calls} vs ${report.totals.calls}`,
        );
        const clients = report.totals.sessionsOpened;
        // The preflight's own client is one more than the run's.
        if (version === '2026-07-28') {
          assert.equal(rpc['initialize'] ?? 0, 0);
          assert.equal(rpc['server/discover'], clients + 1);
          assert.equal(rpc['subscriptions/listen'], clients + 1, 'each client held the listen stream');
          assert.equal(rpc['notifications/cancelled'], clients + 1, 'and ended it when it left');
          assert.equal(http['GET'] ?? 0, 0);
          assert.match(stdout, /protocol 2026-07-28 stateless/);
        } else {
          assert.equal(rpc['initialize'], clients + 1);
          assert.equal(rpc['server/discover'] ?? 0, protocol === 'auto' ? 1 : 0, 'auto probes once per run');
        }
        if (stateful) {
          assert.equal(http['DELETE'], clients + 1, 'every session ended on the server');
          // A session that ends before its GET stream connected cancels it: at most one per session.
          assert.ok((http['GET'] ?? 0) >= 1 && (http['GET'] ?? 0) <= clients + 1, `GET ${http['GET']}`);
          assert.match(stdout, /sessions opened/);
        } else {
          assert.equal(http['DELETE'] ?? 0, 0, 'nothing the server refuses is sent');
          assert.equal(http['GET'] ?? 0, 0);
          assert.match(stdout, /stateless server: N = concurrent clients/);
          assert.doesNotMatch(stdout, /sessions opened/);
        }
      } finally {
        await server.stop();
      }
    });
  }

  test('--no-listen-stream: a 2026-07-28 client holds no subscriptions/listen', async () => {
    const server = await startEraServer('modern');
    try {
      const { report } = await explore(server.url, ['--no-listen-stream']);
      assert.equal(report.totals.errors, 0);
      assert.equal((await server.counts()).rpc['subscriptions/listen'] ?? 0, 0);
    } finally {
      await server.stop();
    }
  });

  test('a pinned revision the server refuses: one line naming the revisions it supports', async () => {
    const server = await startEraServer('modern');
    try {
      const result = await runCli([
        '--url',
        server.url,
        '--protocol',
        '2025-11-25',
        '--mix',
        'echo:1',
        '--headless',
      ]);
      assert.notEqual(result.code, 0);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(
        lines[0]!,
        /--protocol 2025-11-25: the server refuses this revision; it supports 2026-07-28/,
      );
    } finally {
      await server.stop();
    }
  });
});
