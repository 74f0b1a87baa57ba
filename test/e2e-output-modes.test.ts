import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SnapshotLineSchema } from '../source/headless/json-lines.js';
import { JsonLineSchema } from '../source/run/json-lines-schema.js';
import { exploreInProcess } from './support/explore-in-process.js';
import { cliPath, root, runCli, type CliResult } from './support/processes.js';
import { demoForFile } from './support/servers.js';

const demo = demoForFile();

/** A short run against the file's demo server, one in-process shard. */
const demoRun = (extra: readonly string[]): Promise<CliResult> =>
  runCli([
    ...['--url', demo().url, '--mix', 'fast:1', '-n', '2', '--think', '50-100', '--jitter', '0'],
    ...['--warmup', '0', '--workers', '0', ...extra],
  ]);

const STATUS = /^\[\d\d:\d\d\]/m;

test('--quiet prints only the summary: no status line, no note on stderr', async () => {
  const before = await demo().stats();
  const result = await demoRun(['--duration', '2', '--quiet']);
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stdout, STATUS);
  assert.match(result.stdout, /^levels \(latency in ms/, 'stdout starts with the summary');
  assert.equal(result.stderr, '', 'no note: not "closing sessions…", not "no terminal"');
  // The run did its work: the server saw its sessions, and ended them all.
  const after = await demo().stats();
  assert.ok(after.sessions.opened - before.sessions.opened >= 2);
  assert.equal(after.sessions.active, 0);
});

// The rest side by side: none asserts the demo server's counts, which the --quiet run above checks alone.
describe('output modes', { concurrency: 2 }, () => {
  test('--quiet --json: stdout is one line, the summary', async () => {
    const result = await demoRun(['--duration', '2', '--quiet', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1, result.stdout.slice(0, 500));
    assert.equal((JSON.parse(lines[0]!) as { type: string }).type, 'summary');
  });

  test('--json: every line validates against `schema json-lines`; snapshots are compact', async () => {
    const printed = await runCli(['schema', 'json-lines']);
    assert.equal(printed.code, 0, printed.stderr);
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(
      JSON.parse(printed.stdout),
    );
    const result = await demoRun(['--steps', '1,2', '--hold', '2', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as { type: string });
    for (const [index, line] of parsed.entries()) {
      assert.ok(validate(line), `line ${index + 1}: ${JSON.stringify(validate.errors)}`);
      assert.ok(JsonLineSchema.safeParse(line).success, `line ${index + 1} against the zod schema`);
    }
    const snapshots = lines.filter((_, index) => parsed[index]!.type === 'snapshot');
    assert.ok(snapshots.length >= 3, `${snapshots.length} snapshots`);
    assert.equal(parsed.at(-1)!.type, 'summary');
    assert.equal(parsed.filter((line) => line.type === 'summary').length, 1);
    const sizes = snapshots.map((line) => Buffer.byteLength(line)).sort((a, b) => a - b);
    assert.ok(sizes[Math.floor(sizes.length / 2)]! <= 600, `median snapshot ${sizes.join(',')} bytes`);
    assert.ok(sizes.at(-1)! <= 800, `largest snapshot ${sizes.at(-1)} bytes`);
    // The plan's progress is in the lines: both steps were walked.
    const steps = snapshots.map((line) => SnapshotLineSchema.parse(JSON.parse(line)).plan?.step);
    assert.ok(steps.includes(1) && steps.includes(2), `steps seen: ${steps.join(',')}`);
    // The validator is not a rubber stamp: a snapshot without its figures fails it.
    const { n: _n, ...cut } = JSON.parse(snapshots[0]!) as Record<string, unknown>;
    assert.equal(validate(cut), false);
  });

  test('CI set on a terminal: status lines and a note, not the live screen', async () => {
    // A real pseudo-terminal on stdin and stdout (util-linux `script`), as a CI runner with a TTY has.
    const command = `stty cols 100 rows 30; exec ${[process.execPath, cliPath, '--url', demo().url, '--mix', 'fast:1', '-n', '1', '--warmup', '0', '--workers', '0', '--duration', '2'].map((word) => `'${word}'`).join(' ')}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: root,
      env: { ...process.env, CI: 'true', TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const screen = stripVTControlCharacters(output);
    assert.equal(code, 0, screen);
    assert.match(
      screen,
      /CI is set: status lines instead of the live screen; pass --tui to draw the screen anyway/,
    );
    assert.match(screen, STATUS, 'status lines');
    assert.doesNotMatch(screen, /mcp-load-explorer · running/, 'no frame of the live screen');
    assert.ok(
      !output.includes('\x1b[?1049h') && !output.includes('\x1b[2J'),
      'the screen was not taken over',
    );
  });

  test('--tui with --headless is refused in one line', async () => {
    // Through the CLI's own run(args) in this process: it is refused before any connection.
    const result = await exploreInProcess(['--tui', '--headless', '--duration', '1']);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^mcp-load-explorer: .*--tui draws the live screen; --headless asks for lines: give one of them\n$/,
    );
  });
});
