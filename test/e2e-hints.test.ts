import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { suggestMix } from '../source/engine/mix-suggestion.js';
import { startAuthGate, type AuthGate } from './support/auth-gate.js';
import { runCli, type CliResult } from './support/processes.js';
import { demoForFile, startEverything } from './support/servers.js';

const demo = demoForFile();

/** One line on stderr that names the fix, no stack trace, a non-zero exit code. */
function assertHint(result: CliResult, expected: RegExp): void {
  assert.notEqual(result.code, 0, 'exit code');
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, expected);
}

let everything: Awaited<ReturnType<typeof startEverything>>;
let everythingSse: Awaited<ReturnType<typeof startEverything>>;
before(async () => {
  [everything, everythingSse] = await Promise.all([
    startEverything('streamableHttp'),
    startEverything('sse'),
  ]);
});
after(async () => {
  await Promise.all([everything.stop(), everythingSse.stop()]);
});

let gate: AuthGate | undefined;
after(async () => {
  await gate?.close();
});

// Side by side: each waits on processes of its own, and only the first counts sessions on its server.
describe('hints', { concurrency: 2 }, () => {
  test('a missing --mix suggests tools with arguments that fit their inputSchema, and the suggestion runs as written', async () => {
    const refused = await runCli(['--url', everything.url, '--headless']);
    assertHint(refused, /--mix is required for this server, e\.g\. --mix "/);
    const suggestion = /e\.g\. (--mix "[^"]+"(?: --args '[^']+')*);/.exec(refused.stderr)?.[1];
    assert.ok(suggestion, refused.stderr);
    const words = [...suggestion.matchAll(/(--mix|--args) (?:"([^"]+)"|'([^']+)')/g)].flatMap((match) => [
      match[1]!,
      match[2] ?? match[3]!,
    ]);
    const before = everything.opened();
    const run = await runCli([
      ...['--url', everything.url, ...words, '--concurrency', '2', '--think', '50-100', '--jitter', '0'],
      ...['--duration', '2', '--warmup', '0', '--workers', '0', '--headless', '--json'],
    ]);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      type: string;
      totals: { calls: number; errors: number };
      analysis?: { recommendation?: string };
    };
    // --json's last line is the whole report, analysis included.
    assert.equal(summary.type, 'summary');
    assert.match(summary.analysis?.recommendation ?? '', /\w/, 'the findings are in the last line');
    assert.ok(summary.totals.calls > 0, 'calls were made');
    assert.equal(summary.totals.errors, 0, 'and none failed: the suggested arguments fit');
    assert.ok(everything.opened() > before, 'the server saw the sessions');
  });

  test('suggested arguments fill required properties by type, default, enum and bounds', () => {
    const tools = [
      {
        name: 'get-sum',
        inputSchema: {
          type: 'object',
          properties: { a: { type: 'number' }, b: { type: 'integer', minimum: 5 } },
          required: ['a', 'b'],
        },
      },
      {
        name: 'pick',
        inputSchema: {
          type: 'object',
          properties: { colour: { enum: ['red', 'blue'] }, name: { type: 'string', minLength: 8 } },
          required: ['colour', 'name'],
        },
      },
    ];
    assert.equal(
      suggestMix(tools),
      `--mix "get-sum:1,pick:1" --args 'get-sum={"a":1,"b":5}' --args 'pick={"colour":"red","name":"helloooo"}'`,
    );
  });

  test('an SSE endpoint given without --sse is named, with the fix', async () => {
    const result = await runCli(['--url', everythingSse.url, '--mix', 'echo:1', '--headless']);
    assertHint(result, /\/sse looks like a legacy HTTP\+SSE endpoint: add --sse/);
  });

  test('a URL without the /mcp path is named, with the URL to try', async () => {
    const origin = new URL(demo().url).origin;
    const result = await runCli(['--url', `${origin}/`, '--mix', 'fast:1', '--headless']);
    assertHint(result, new RegExp(`the URL has no path.*try --url ${origin.replace(/\./g, '\\.')}/mcp`));
  });

  test('401 with WWW-Authenticate: a missing token and a rejected one get different advice', async () => {
    gate = await startAuthGate(demo().url, 'good-token');
    const missing = await runCli(['--url', gate.url, '--mix', 'fast:1', '--headless']);
    assertHint(
      missing,
      /http-401.*wants credentials \(WWW-Authenticate: Bearer realm="mcp".*\) and none were sent: pass the token with --header-env Authorization=VAR/,
    );
    const rejected = await runCli(
      ['--url', gate.url, '--mix', 'fast:1', '--header-env', 'Authorization=MLE_TEST_TOKEN', '--headless'],
      { env: { MLE_TEST_TOKEN: 'Bearer wrong-token-value' } },
    );
    assertHint(
      rejected,
      /rejected the credentials sent \(WWW-Authenticate: .*error="invalid_token".*\): the token is wrong or expired/,
    );
    assert.doesNotMatch(rejected.stderr, /wrong-token-value/, 'the token is never shown');
    assert.ok(
      gate.seen.some((request) => request.authorization === 'Bearer wrong-token-value'),
      'the server saw the token that was sent',
    );
  });
});
