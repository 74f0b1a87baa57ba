import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { root, runCli } from './support/processes.js';
import { startDemo } from './support/servers.js';

const run = promisify(execFile);
const cleanups: (() => Promise<unknown>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

// Side by side: the refusal needs no server and does not wait for the run.
describe('junit and canary', { concurrency: 2 }, () => {
  test('--junit: one testcase per assertion and level, valid against the JUnit schema; a probe file is the canary', async () => {
    const demo = await startDemo(['--bottleneck', 'none']);
    cleanups.push(() => demo.stop());
    const folder = await mkdtemp(join(tmpdir(), 'mle-junit-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const [junit, markdown, report, probes] = ['run.xml', 'run.md', 'run.json', 'probe.csv'].map((name) =>
      join(folder, name),
    ) as [string, string, string, string];
    // A probe in another region: 4 s where this run, beside the server, takes far less.
    const start = Date.parse('2026-11-30T00:00:00Z');
    await writeFile(
      probes,
      [
        'time,latency_ms',
        ...[4000, 4100, 3950, 4200, 4050].map(
          (ms, at) => `${new Date(start + at * 60_000).toISOString()},${ms}`,
        ),
      ].join('\n'),
    );
    const result = await runCli(
      [
        ...[
          '--url',
          demo.url,
          '--mix',
          'fast:1',
          '--steps',
          '1,2',
          '--hold',
          '2',
          '--warmup',
          '0',
          '--think',
          '0-50',
        ],
        ...['--jitter', '0', '--workers', '0', '--headless', '--assert', 'p99<0.001', '--assert', 'calls>=1'],
        ...['--junit', junit, '--report-md', markdown, '--report', report, '--probe-history', probes],
      ],
      { timeoutMs: 60_000 },
    );
    assert.equal(result.code, 3, result.stderr);
    const levels = ReportSchema.parse(JSON.parse(await readFile(report, 'utf8'))).levels.filter(
      (level) => level.calls > 0,
    );
    assert.equal(levels.length, 2);

    const validated = await run('xmllint', [
      '--noout',
      '--schema',
      join(root, 'test/fixtures/junit.xsd'),
      junit,
    ]).catch((error: Error & { stderr?: string }) => error);
    assert.ok(
      !(validated instanceof Error),
      `xmllint: ${validated instanceof Error ? ((validated as { stderr?: string }).stderr ?? validated.message) : ''}`,
    );
    assert.equal((await stat(junit)).mode & 0o777, 0o600);
    const xml = await readFile(junit, 'utf8');
    const testcases = [...xml.matchAll(/<testcase name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
    assert.equal(testcases.length, 4, xml);
    const failed = testcases.filter((entry) => /<failure /.test(entry[3] ?? '')).map((entry) => entry[1]);
    assert.deepEqual(failed, ['p99&lt;0.001 at N=1', 'p99&lt;0.001 at N=2']);
    assert.match(xml, /<testsuite name="capacity of [^"]+" tests="4" failures="2" errors="0"/);

    const md = await readFile(markdown, 'utf8');
    assert.match(md, /## Production canary/);
    assert.match(md, /\| external probe \| 5 \| 4050 \| 4200 \| 4200 \| 4200 \|/);
    assert.match(md, /\*\*Flagged:\*\* the probe's median is \d+× the run's N=1 initialize/);
    assert.match(result.stdout, /canary \(file .*probe\.csv\)/);
  });

  test('--probe-history that cannot be read stops the run before any load, in one line', async () => {
    const result = await runCli([
      '--url',
      'http://127.0.0.1:9/mcp',
      '--mix',
      'a:1',
      '--probe-history',
      '/nonexistent.csv',
    ]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^mcp-load-explorer: --probe-history \/nonexistent\.csv: cannot read it \(ENOENT\); check the path\n$/,
    );
  });
});
