import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { freePort, runCli, type CliResult } from './support/processes.js';
import { hostileCommand, type HostileStats } from './support/hostile-text-server.js';

const random = (): string => randomBytes(6).toString('hex');

/** Secrets with a quote, a backslash and characters that URL-encoding changes. */
const token = `T0k3n-${random()}-Abcdefghij-klmnop/qr+st "quoted" back\\slash-end`;
const authorization = `Bearer ${token}`;
const apiKey = `K3y-${random()}-env&value=with%percent`;
const password = `Pw-${random()}-url:secret@x`;

/** Every form a secret may leak in: raw, JSON-escaped, URL-encoded, and each 12-character piece of those. */
function needles(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const url = encodeURIComponent(secret);
  const forms = [secret, json, url, url.toLowerCase(), JSON.stringify(json).slice(1, -1)];
  const pieces = forms.flatMap((form) =>
    Array.from({ length: Math.max(0, form.length - 11) }, (_, at) => form.slice(at, at + 12)),
  );
  return [...new Set([...forms, ...pieces])];
}

/** Raw terminal controls, their JSON escapes, and what a 7-bit OSC sets (a window title). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x07\x1b\x9b\x9d\r]|\\u00(1b|07|9b|9d)|\\r|pwned-title/i;

function assertNoSecret(outputs: Record<string, string>, secrets: readonly string[]): void {
  const leaks: string[] = [];
  for (const [name, text] of Object.entries(outputs)) {
    for (const secret of secrets) {
      const found = needles(secret).find((needle) => text.includes(needle));
      if (found) leaks.push(`${name}: ${JSON.stringify(found)}`);
    }
  }
  assert.deepEqual(leaks, [], 'no secret, in any form or piece, in any output');
}

function assertNoControls(outputs: Record<string, string>): void {
  for (const [name, text] of Object.entries(outputs)) {
    const found = CONTROL.exec(text);
    assert.equal(found, null, `${name} holds server control text ${JSON.stringify(found?.[0])}`);
  }
}

async function runAgainstHostile(extra: readonly string[]): Promise<{
  result: CliResult;
  outputs: Record<string, string>;
  stats: HostileStats;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'mle-hostile-'));
  const port = await freePort();
  const file = (name: string): string => join(dir, name);
  const statsFile = file('stats.json');
  const result = await runCli(
    [
      ...['--url', `http://agent:${encodeURIComponent(password)}@127.0.0.1:${port}/mcp`],
      ...['--spawn', hostileCommand(String(port)).join(' ')],
      ...['--header', `Authorization: ${authorization}`, '--header-env', 'X-Api-Key=MLE_HOSTILE_KEY'],
      ...['--mix', 'echo-secret:1,rpc-error:1,http-error:1', '--concurrency', '2', '--think', '20-40'],
      ...['--jitter', '0', '--warmup', '0', '--duration', '3', '--workers', '0'],
      ...['--report', file('run.json'), '--report-md', file('run.md'), '--report-csv', file('run.csv')],
      ...['--record', file('run.ndjson'), '--hdr-log', file('run.hlog'), ...extra],
    ],
    { env: { MLE_HOSTILE_KEY: apiKey, MLE_HOSTILE_ECHO: password, MLE_HOSTILE_STATS: statsFile } },
  );
  const outputs: Record<string, string> = { stdout: result.stdout, stderr: result.stderr };
  for (const name of ['run.json', 'run.md', 'run.csv', 'run.ndjson', 'run.hlog']) {
    outputs[name] = await readFile(file(name), 'utf8');
  }
  const stats = JSON.parse(await readFile(statsFile, 'utf8')) as HostileStats;
  return { result, outputs, stats };
}

// Each test has its own server, port and files, and mostly waits on its run: run side by side.
describe('hostile server text', { concurrency: 2 }, () => {
  for (const mode of ['--headless', '--json'] as const) {
    test(`no secret and no control sequence from a hostile server reaches any output (${mode})`, async () => {
      const { result, outputs, stats } = await runAgainstHostile([mode]);
      assert.equal(result.code, 0, result.stderr);
      // The server saw the load and had every session ended.
      assert.ok(stats.calls > 10, `the server answered ${stats.calls} calls`);
      assert.ok(stats.opened >= 2, `${stats.opened} sessions`);
      assert.equal(stats.open, 0, `every session was DELETEd: ${JSON.stringify(stats)}`);
      assertNoSecret(outputs, [authorization, token, apiKey, password]);
      assertNoControls(outputs);
      // The secrets were there to leak: each source reached the outputs, redacted.
      const report = ReportSchema.parse(JSON.parse(outputs['run.json']!));
      const toolError = report.errorsByKind['tool-error']?.lastMessage ?? '';
      assert.match(toolError, /p{200}\[redacted\]/, `redacted before the cut: ${toolError}`);
      assert.match(report.errorsByKind['jsonrpc-32603']?.lastMessage ?? '', /\[redacted\]/);
      assert.match(report.errorsByKind['http-500']?.lastMessage ?? '', /upstream said: raw:\[redacted\]/);
      assert.match(outputs['run.ndjson']!, /server: request POST .*authorization=raw:\[redacted\]/);
      assert.match(String(report.config['url']), /^http:\/\/agent:%5Bredacted%5D@127\.0\.0\.1:/);
      assert.match(report.target.transport === 'stdio' ? '' : report.target.url, /%5Bredacted%5D/);
    });
  }

  test('a stdio server: its stderr and its tool names reach the event log and the error stripped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-hostile-'));
    const record = join(dir, 'run.ndjson');
    const report = join(dir, 'run.json');
    // Without --mix, the tool lists the server's tools and stops: a run of its own, beside the first.
    const noMixRun = runCli(['--headless', '--', ...hostileCommand('--stdio')]);
    const result = await runCli([
      ...['--mix', 'echo-secret:1', '--concurrency', '1', '--think', '20-40'],
      ...['--jitter', '0', '--warmup', '0'],
      // One session for the whole run: each stdio session starts a server process.
      ...[
        '--session-calls',
        '100000',
        '--duration',
        '5',
        '--workers',
        '0',
        '--headless',
        '--record',
        record,
        '--report',
        report,
      ],
      ...['--report-md', `${report}.md`, '--', ...hostileCommand('--stdio')],
    ]);
    assert.equal(result.code, 0, result.stderr);
    const outputs = {
      stdout: result.stdout,
      stderr: result.stderr,
      record: await readFile(record, 'utf8'),
      report: await readFile(report, 'utf8'),
      markdown: await readFile(`${report}.md`, 'utf8'),
    };
    assertNoControls(outputs);
    assert.match(outputs.record, /server: stdio tools\/call /, 'stderr lines reach the event log');
    assert.match(
      outputs.record,
      /server: (.* )?FAKE LINE0;c1-title/,
      'their text after the controls is kept',
    );
    assert.match(outputs.record, /"name":"evil.*tool"/, 'the tool list is recorded, stripped');
    assert.match(outputs.report, /"name": "hostile.*FAKE LINE/, 'the server name is kept, stripped');

    const noMix = await noMixRun;
    assert.equal(noMix.code, 1);
    assert.equal(noMix.stderr.trim().split('\n').length, 1, noMix.stderr);
    assert.match(noMix.stderr, /tools on this server: echo-secret, rpc-error, http-error, evil.*tool/);
    assertNoControls({ stderr: noMix.stderr });
  });
});
