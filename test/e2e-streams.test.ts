import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { processesMatching } from './support/proc.js';
import { freePort, runCli, type CliResult } from './support/processes.js';
import { CHATTY_ERR, CHATTY_OUT, chattyCommand } from './support/chatty-server.js';
import { hostileCommand } from './support/hostile-text-server.js';

/** A headless run against the chatty server, which prints a numbered line on stdout and stderr per request. */
async function chattyRun(extra: readonly string[]): Promise<CliResult> {
  const port = await freePort();
  const result = await runCli([
    ...['--url', `http://127.0.0.1:${port}/mcp`, '--spawn', chattyCommand(port)],
    ...['--mix', 'fast:1', '-n', '2', '--think', '50-100', '--jitter', '0', '--warmup', '0'],
    ...['--duration', '3', '--workers', '0', '--headless', ...extra],
  ]);
  assert.equal(processesMatching('chatty-server.', String(port)).length, 0, 'the server was stopped');
  return result;
}

/** The numbers of the server's lines of one stream found in `text` after `prefix`, in order. */
function numbered(text: string, prefix: string, pattern: RegExp): number[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => pattern.exec(line.slice(prefix.length)))
    .flatMap((match) => (match ? [Number(match[1])] : []));
}

/** 1, 2, …, n: the server's lines, none lost (the server numbers each request's lines). */
function assertContiguous(numbers: readonly number[], what: string): void {
  assert.ok(numbers.length >= 5, `${what}: ${numbers.length} lines`);
  assert.deepEqual(
    numbers,
    numbers.map((_, index) => index + 1),
    `${what}: every line, in order`,
  );
}

/** What a terminal would act on, from the servers' lines. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x1b\x07\x9b\x9d\r]/;

/** A headless status line, a note of the tool's event log, or a line of the summary: never a server's. */
const STATUS = /^\[\d\d:\d\d\] /;

// Each test has its own server, port and files, and mostly waits on its run: run side by side.
describe('server output streams', { concurrency: 2 }, () => {
  test("a --spawn server prints on stdout and stderr: stdout holds only the tool's lines, stderr the server's, prefixed and cleaned", async () => {
    const result = await chattyRun([]);
    assert.equal(result.code, 0, result.stderr);
    const stdout = result.stdout.split('\n');
    assert.deepEqual(
      stdout.filter((line) => /chatty/.test(line)),
      [],
      'no line of the server on stdout',
    );
    assert.ok(stdout.filter((line) => STATUS.test(line)).length >= 2, result.stdout);
    assert.match(result.stdout, /^levels \(latency in ms/m, 'the summary ends stdout');
    assertContiguous(numbered(result.stderr, '[server] ', CHATTY_OUT), 'server stdout on stderr');
    assertContiguous(numbered(result.stderr, '[server] ', CHATTY_ERR), 'server stderr on stderr');
    // Passed through ServerText: the server's colour codes do not reach the terminal.
    assert.doesNotMatch(result.stderr, CONTROL);
    assert.match(result.stderr, /^\[server\] chatty err 1 warn slow POST$/m);
  });

  test("--server-log FILE takes the server's lines: in the file (mode 0600), not on stderr or stdout", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-streams-'));
    const file = join(dir, 'server.log');
    const result = await chattyRun(['--server-log', file]);
    assert.equal(result.code, 0, result.stderr);
    const log = await readFile(file, 'utf8');
    const lines = log.replace(/^\S+ /gm, '');
    assertContiguous(numbered(lines, '', CHATTY_OUT), 'server stdout in the file');
    assertContiguous(numbered(lines, '', CHATTY_ERR), 'server stderr in the file');
    assert.match(log, /^\d{4}-\d\d-\d\dT\S+Z chatty out 1 POST/m, 'each line with its time');
    assert.doesNotMatch(log, CONTROL);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.doesNotMatch(result.stderr + result.stdout, /chatty/);
  });

  test('--server-log refuses a FIFO with one line, before the server starts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-streams-'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await runCli(['--server-log', fifo, '--duration', '1', '--headless']);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `mcp-load-explorer: --server-log ${fifo}: is a FIFO, not a regular file; give a file path\n`,
    );
  });

  test("a stdio server's stderr goes to stderr, prefixed and stripped, never to stdout", async () => {
    const result = await runCli([
      ...['--mix', 'echo-secret:1', '-n', '1', '--think', '20-40', '--jitter', '0', '--warmup', '0'],
      ...['--session-calls', '100000', '--duration', '4', '--workers', '0', '--headless'],
      ...['--', ...hostileCommand('--stdio')],
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /stdio (initialize|tools\/call)/, 'no server line on stdout');
    assert.ok(
      result.stdout.split('\n').filter((line) => STATUS.test(line)).length >= 2,
      `status lines on stdout: ${result.stdout}`,
    );
    // The session's server process said it was initialized: its first line, whatever the machine's load.
    assert.match(result.stderr, /^\[server\] stdio initialize .*FAKE LINE0;c1-title/m);
    assert.doesNotMatch(result.stderr, CONTROL, 'stripped of control sequences');
  });
});
