import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { exploreInProcess } from './support/explore-in-process.js';
import { runCli, type CliResult } from './support/processes.js';
import { demoForFile } from './support/servers.js';

const demo = demoForFile();

/** One line on stderr, no stack trace, a non-zero exit code. */
function assertOneLineError(result: CliResult, expected: RegExp): void {
  assert.notEqual(result.code, 0, 'exit code');
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^mcp-load-explorer: /);
  assert.match(lines[0]!, expected);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

// The tests mostly wait on processes of their own (none asserts the demo server's counts): three side by
// side. The two timed runs come after them, alone: beside the others the --assert run's 2 s measured no
// level at all.
describe('bad input', { concurrency: 3 }, () => {
  test('an unreachable URL, with the report still written', async () => {
    const reportFile = join(await mkdtemp(join(tmpdir(), 'mle-bad-')), 'run.json');
    const secret = 'Authorization: Bearer s3cr3t-token';
    const result = await runCli([
      '--url',
      'http://127.0.0.1:9/mcp',
      '--mix',
      'echo:1',
      '--header',
      secret,
      '--report',
      reportFile,
      '--headless',
    ]);
    assertOneLineError(
      result,
      /cannot open an MCP session with streamable-http: http:\/\/127\.0\.0\.1:9\/mcp.*connect-refused.*--url/,
    );
    const text = await readFile(reportFile, 'utf8');
    const report = ReportSchema.parse(JSON.parse(text));
    assert.equal(report.endReason, 'error');
    assert.match(report.error ?? '', /connect-refused/);
    assert.doesNotMatch(text, /s3cr3t-token/, 'no secret in the report');
  });

  test('an unknown tool names the tools that exist', async () => {
    const result = await runCli(['--url', demo().url, '--mix', 'fast:1,nope:2', '--headless']);
    assertOneLineError(result, /--mix: unknown tool "nope"; tools on this server: .*fast.*sleep/);
  });

  test('arguments that do not fit the tool inputSchema', async () => {
    const result = await runCli([
      '--url',
      demo().url,
      '--mix',
      'sleep:1',
      '--args',
      'sleep={"ms":"soon"}',
      '--headless',
    ]);
    assertOneLineError(result, /--args: \{"ms":"soon"\} do not fit tool "sleep": arguments\/ms must be/);
    const missing = await runCli(['--url', demo().url, '--mix', 'sleep:1', '--headless']);
    assertOneLineError(
      missing,
      /no arguments do not fit tool "sleep": arguments must have required property 'ms'/,
    );
  });

  test('a server other than the demo needs --mix', async () => {
    const result = await runCli(['--url', demo().url, '--headless']);
    assertOneLineError(result, /--mix is required for this server.*tools on this server: .*fast/);
  });

  test('invalid flag values and unknown flags', async () => {
    const cases: [string[], RegExp][] = [
      [['--think', '5000-1000'], /--think: MIN must not exceed MAX/],
      [['--concurrency', 'lots'], /--concurrency: expected a number/],
      [['--timeout', '0'], /--timeout: Too small/],
      [['--url', 'ftp://example/mcp'], /--url: must start with http:\/\/ or https:\/\//],
      [
        ['--header', 'Authorization Bearer x', '--url', demo().url],
        /--header: "Authorization Bearer x…" is not "Name: value"/,
      ],
      [['--concurency', '5'], /unknown flag --concurency; did you mean --concurrency\?/],
      [['--bottleneck', 'disk'], /--bottleneck: /],
      [['--check-independence', 'work'], /--check-independence: expected TOOL\.ARGUMENT, e\.g\. work\.nonce/],
      [['--assert', 'p100<5'], /--assert \(0\): "p100<5" is not METRIC<VALUE/],
      [['--url', 'notaurl'], /--url: not a URL, expected e\.g\. http:\/\/127\.0\.0\.1:3001\/mcp/],
      [['--jitter', 'soon'], /--jitter: expected a number/],
      [['--session-calls', '0'], /--session-calls: a session makes at least 1 call/],
      [['--slo', '-1'], /--slo: Too small/],
      [['--steps', '1,x'], /--steps: expected a list like 1,5,10,20/],
      [['--hold', '0'], /--hold: Too small/],
      [['--duration', '-5'], /--duration: Too small/],
      [['--warmup', '-1'], /--warmup: Too small/],
      [['--window', '0'], /--window: Too small/],
      [['--workers', '-1'], /--workers: Too small/],
      [['--mix', 'fast:0'], /--mix: "fast:0" is not tool:weight \(weight > 0\)/],
      [['--args', 'sleep'], /--args: "sleep" is not tool=\{JSON object\}/],
      [['--args', 'sleep={bad'], /--args: "sleep=\{bad": .*JSON/],
      [['--header-env', 'Authorization'], /--header-env: "Authorization" is not Name=ENV_VAR/],
      [
        ['--header-env', 'Authorization=MLE_SURELY_UNSET'],
        /--header-env: environment variable MLE_SURELY_UNSET \(for header Authorization\) is not set; export it/,
      ],
      [['--spawn', 'node server.js'], /--spawn: --spawn needs the --url the spawned server listens on/],
      [['--sse'], /--sse: --sse needs --url/],
      [
        ['--header', 'Authorization: Bearer '],
        /--header: Authorization's value is only "Bearer" with nothing after it: is the variable in it unset\? .*--header-env Authorization=VAR/,
      ],
      [['--header', 'X-Api-Key:'], /--header: X-Api-Key's value is empty/],
      [['--steps', '1,2', '--hold', '5', '--warmup', '10'], /--warmup: .*make --warmup shorter than --hold/],
      [['--find-ceiling', '--steps', '1,2'], /give either --steps or --find-ceiling, not both/],
      [['--url', 'http://127.0.0.1:9/mcp', '--', 'node'], /give either --url or a stdio command after --/],
      [['stray'], /unexpected "stray"; put a stdio server command after --/],
      [
        ['--report', '/proc/nope/run.json'],
        /--report \/proc\/nope\/run\.json: cannot write into \/proc; choose/,
      ],
      [['--hdr-log', '/proc/nope/run.hlog'], /--hdr-log \/proc\/nope\/run\.hlog: cannot write into \/proc/],
      [['--report-md', tmpdir()], /--report-md .*: is a folder; give a file name/],
    ];
    // Each case through the CLI's own run(args), in this process: each is refused before any connection.
    for (const [args, expected] of cases) {
      const result = await exploreInProcess([...args, '--headless']);
      assertOneLineError(result, expected);
      assert.equal(result.code, 2, args.join(' '));
    }
    // And a few as the real CLI: exit code 2, one line, no stack trace, for an unknown flag, a missing
    // environment variable and an output path checked on disk.
    const picked = [
      '--concurency 5',
      '--header-env Authorization=MLE_SURELY_UNSET',
      '--report /proc/nope/run.json',
    ];
    const real = cases.filter(([args]) => picked.includes(args.join(' ')));
    assert.equal(real.length, picked.length);
    const results = await Promise.all(real.map(([args]) => runCli([...args, '--headless'])));
    real.forEach(([args, expected], index) => {
      assertOneLineError(results[index]!, expected);
      assert.equal(results[index]!.code, 2, args.join(' '));
    });
  });

  test('an invalid config file names the bad field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-bad-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ url: demo().url, sessionCalls: { min: 0, max: 3 } }));
    assertOneLineError(
      await exploreInProcess(['--config', file, '--headless']),
      /bad\.json: sessionCalls: a session makes at least 1 call/,
    );
    await writeFile(file, '{"concurrency": 5,}');
    assertOneLineError(await exploreInProcess(['--config', file, '--headless']), /bad\.json: not valid JSON/);
    const nested: [unknown, RegExp][] = [
      [{ mix: [{ tool: 'fast', weight: -1 }] }, /bad\.json: mix\.0\.weight: weights must be > 0/],
      [{ args: { sleep: 5 } }, /bad\.json: args\.sleep: .*expected record/],
      [{ thinkMs: { min: 5, max: 'x' } }, /bad\.json: thinkMs\.max: .*expected number/],
      [{ concurency: 5 }, /bad\.json: unknown setting "concurency"/],
    ];
    for (const [content, expected] of nested) {
      await writeFile(file, JSON.stringify(content));
      assertOneLineError(await exploreInProcess(['--config', file, '--headless']), expected);
    }
    // Through the CLI's run(args) in this process, and the last one as the real CLI too.
    const missing = ['--config', join(dir, 'missing.json'), '--headless'];
    const unread = /--config .*missing\.json: cannot read it \(ENOENT\); check the path/;
    assertOneLineError(await exploreInProcess(missing), unread);
    const real = await runCli(missing);
    assertOneLineError(real, unread);
    assert.equal(real.code, 2);
  });

  test('a URL whose host does not resolve, and a --pid that is not running', async () => {
    const result = await runCli(['--url', 'http://no-such-host.invalid/mcp', '--mix', 'x:1', '--headless']);
    assertOneLineError(
      result,
      /cannot open an MCP session with streamable-http: http:\/\/no-such-host\.invalid\/mcp: .*(ENOTFOUND|EAI_AGAIN).*\(connect-failed\); is the server running\? check --url/,
    );
    assert.equal(result.code, 1);
    const pid = await runCli(['--url', demo().url, '--mix', 'fast:1', '--pid', '999999999', '--headless']);
    assertOneLineError(pid, /--pid 999999999: no such process on this machine/);
  });

  test("the demo server's port already in use", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const result = await runCli(['demo-server', '--port', String(port)]);
      assert.equal(result.code, 2);
      assert.equal(result.stderr, `demo-server: port ${port} is in use: pass --port 0 or another port\n`);
    } finally {
      busy.close();
    }
  });

  test('a stdio command that does not exist', async () => {
    const result = await runCli(['--mix', 'x:1', '--headless', '--', '/nonexistent/mcp-server']);
    assertOneLineError(
      result,
      /cannot open an MCP session with stdio: \/nonexistent\/mcp-server: no such command .*is it installed and on PATH\? \(command-not-found\)/,
    );
  });

  test('--check-independence names a tool outside the mix', async () => {
    const result = await runCli([
      '--url',
      demo().url,
      '--mix',
      'fast:1',
      '--check-independence',
      'work.nonce',
      '--headless',
    ]);
    assertOneLineError(result, /--check-independence: tool "work" is not in the mix; add it to --mix/);
  });
});

test('no terminal and no --headless: one note, then status lines and a normal run', async () => {
  const result = await runCli([
    ...['--url', demo().url, '--mix', 'fast:1', '--concurrency', '1', '--think', '50-100'],
    ...['--jitter', '0', '--warmup', '0', '--duration', '2', '--workers', '0'],
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr.split('\n')[0] ?? '',
    /^mcp-load-explorer: no terminal \(stdin or stdout is not a TTY\): status lines instead of the live screen; pass --headless/,
  );
  assert.match(result.stdout, /^\[00:0\d\] {2}N=\d\/1 /m, 'status lines');
  assert.match(result.stdout, /^sessions opened \d+, closed \d+; calls [1-9]/m, 'a run that made calls');
});

test('a failed --assert exits with code 3 and says which level broke it', async () => {
  const result = await runCli([
    ...['--url', demo().url, '--mix', 'sleep:1', '--args', 'sleep={"ms":20}', '--concurrency', '2'],
    ...[
      '--think',
      '10-20',
      '--jitter',
      '0',
      '--warmup',
      '0',
      '--duration',
      '2',
      '--assert',
      'p50<5',
      '--headless',
    ],
  ]);
  assert.equal(result.code, 3, result.stderr);
  // The worst P50 is the tool's own 20 ms or more (more on a loaded machine): past the 5 ms asserted.
  const worst = /assert p50<5: FAILED \(worst (\d+\.\d+) at N=2\)/.exec(result.stderr)?.[1];
  assert.ok(worst !== undefined && Number(worst) >= 20, result.stderr);
});
