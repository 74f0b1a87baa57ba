import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { runCli } from './support/processes.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { demoForFile } from './support/servers.js';

// One demo server, behind a proxy of each test's own: the proxies count what each run sent.
const demoServer = demoForFile();

// Side by side: each test mostly waits on its run, and asserts only what its own proxy saw.
describe('headers', { concurrency: 2 }, () => {
  test('--header reaches the server on every request and never appears in output or report; --pid tracks RSS', async () => {
    const demo = demoServer();
    const proxy = await startFaultProxy(demo.url);
    const dir = await mkdtemp(join(tmpdir(), 'mle-headers-'));
    const reportFile = join(dir, 'run.json');
    const recordFile = join(dir, 'run.ndjson');
    const secret = 'Bearer t0ken-5ecret-xyz';
    try {
      const result = await runCli([
        ...['--url', proxy.url, '--header', `Authorization: ${secret}`, '--pid', String(demo.child.pid)],
        ...['--concurrency', '2', '--think', '50-100', '--jitter', '0', '--warmup', '0', '--duration', '3'],
        ...['--mix', 'fast:1', '--report', reportFile, '--record', recordFile, '--headless'],
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(
        proxy.seen.filter((line) => line.startsWith('POST')).length > 10,
        `${proxy.seen.length} requests`,
      );
      assert.deepEqual(
        proxy.seen.filter((line) => !line.endsWith(secret)),
        [],
        'every request (POST, GET stream, DELETE) carried the header',
      );
      assert.ok(
        proxy.seen.some((line) => line.startsWith('DELETE')),
        'sessions ended with DELETE',
      );
      const text = await readFile(reportFile, 'utf8');
      const recording = await readFile(recordFile, 'utf8');
      assert.match(recording, /"Authorization":"\[redacted\]"/);
      assert.doesNotMatch(result.stdout + result.stderr + text + recording, /t0ken-5ecret/);
      const report = ReportSchema.parse(JSON.parse(text));
      assert.deepEqual(report.target, {
        transport: 'streamable-http',
        url: proxy.url,
        headers: { Authorization: '[redacted]' },
      });
      assert.ok((report.levels[0]?.serverRssBytes ?? 0) > 10_000_000, 'the --pid server RSS is tracked');
      assert.match(result.stdout, /server rss=\d+M cpu=\d+%/);
    } finally {
      await proxy.close();
    }
  });

  test('--header-env reads the value from the environment: the server gets it, no output or report shows it', async () => {
    const demo = demoServer();
    const proxy = await startFaultProxy(demo.url);
    const reportFile = join(await mkdtemp(join(tmpdir(), 'mle-headers-')), 'run.json');
    const secret = 'Bearer env-5ecret-abc';
    try {
      const result = await runCli(
        [
          ...['--url', proxy.url, '--header-env', 'Authorization=MLE_TEST_TOKEN', '--concurrency', '2'],
          ...['--think', '50-100', '--jitter', '0', '--warmup', '0', '--duration', '2', '--mix', 'fast:1'],
          ...['--report', reportFile, '--report-md', `${reportFile}.md`, '--json'],
        ],
        { env: { MLE_TEST_TOKEN: secret } },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.ok(proxy.seen.length > 5, `${proxy.seen.length} requests`);
      assert.deepEqual(
        proxy.seen.filter((line) => !line.endsWith(secret)),
        [],
        'every request carried the header from the environment',
      );
      const text = await readFile(reportFile, 'utf8');
      const markdown = await readFile(`${reportFile}.md`, 'utf8');
      assert.doesNotMatch(result.stdout + result.stderr + text + markdown, /env-5ecret/);
      const report = ReportSchema.parse(JSON.parse(text));
      assert.deepEqual(report.target, {
        transport: 'streamable-http',
        url: proxy.url,
        headers: { Authorization: '[redacted]' },
      });
      assert.deepEqual(report.config['headerEnv'], { Authorization: 'MLE_TEST_TOKEN' }, 'names, not values');
    } finally {
      await proxy.close();
    }
  });
});
