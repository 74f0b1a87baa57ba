import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { processesMatching } from './support/proc.js';
import {
  cliPath,
  freePort,
  root,
  runCli,
  scriptArgs,
  startCli,
  waitFor,
  type CliResult,
} from './support/processes.js';
import { startDemo } from './support/servers.js';

const witnessArgs = scriptArgs('test/support/witness-server.ts').join(' ');
const stubbornArgs = scriptArgs('test/support/stubborn-stdio-server.ts').join(' ');

/** The witness server's log, one event a line. */
async function witnessed(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

/** Waits (up to 30 s) until the witness has logged `line` (`call fast`, `call sleep`) `count` times. */
async function witnessedTimes(file: string, line: string, count: number): Promise<void> {
  await waitFor(
    async () => (await witnessed(file)).filter((entry) => entry === line).length >= count,
    30_000,
    `${count} × ${line}`,
  );
}

/** `--spawn` and `--url` for a witness server on a free port that logs to `log`. */
async function spawnWitness(log: string, extra = ''): Promise<string[]> {
  const port = await freePort();
  const command = `"${process.execPath}" ${witnessArgs} --port ${port} --log ${log} ${extra}`;
  return ['--spawn', command, '--url', `http://127.0.0.1:${port}/mcp`];
}

/** The CLI in a process group of its own, as a shell runs a job: a Ctrl-C goes to the whole group. */
function startCliJob(args: readonly string[]): {
  pid: number;
  output: () => string;
  done: Promise<CliResult>;
} {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const limit = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    }),
  );
  return { pid: child.pid!, output: () => stdout + stderr, done };
}

const load = ['--think', '50-100', '--jitter', '0', '--warmup', '0', '--headless'];

// Each test has its own servers, ports and files, and mostly waits on them: run side by side.
describe('process groups', { concurrency: 2 }, () => {
  test('a stdio server behind a wrapper that ignores SIGTERM and stdin closing does not outlive the tool', async () => {
    const marker = await mkdtemp(join(tmpdir(), 'mle-stubborn-'));
    // `; echo` keeps the shell as the parent, as a wrapper script does: killing the shell alone orphans node.
    const wrapper = `"${process.execPath}" ${stubbornArgs} ${marker}; echo wrapper done`;
    const started = Date.now();
    const result = await runCli(
      [
        ...['--mix', 'fast:1', '-n', '2', '--session-calls', '1-1', '--duration', '3', ...load],
        ...['--', 'sh', '-c', wrapper],
      ],
      { timeoutMs: 45_000 },
    );
    const servers = processesMatching('stubborn-stdio-server.', marker);
    for (const pid of servers) process.kill(pid, 'SIGKILL');
    assert.deepEqual(servers, [], 'no stubborn server process outlived the tool');
    assert.equal(result.code, 0, result.stderr);
    const opened = Number(/sessions opened (\d+)/.exec(result.stdout)?.[1]);
    assert.ok(opened >= 2, `${opened} sessions opened`);
    assert.ok(Date.now() - started < 40_000, 'the tool exited promptly after its summary');
  });

  test('Ctrl-C on a --spawn run: every session is DELETEd before the server is stopped, exit 130', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-witness-'));
    const log = join(dir, 'witness.log');
    const report = join(dir, 'run.json');
    const job = startCliJob([
      ...(await spawnWitness(log)),
      ...['--mix', 'fast:1', '-n', '3', '--report', report, ...load],
    ]);
    await witnessedTimes(log, 'call fast', 6);
    // As a terminal sends it: to the whole foreground process group.
    process.kill(-job.pid, 'SIGINT');
    const result = await job.done;
    const events = await witnessed(log);
    assert.ok(!events.includes('signal SIGINT'), 'the Ctrl-C did not reach the spawned server');
    const stoppedAt = events.indexOf('signal SIGTERM');
    assert.ok(stoppedAt > 0, `the tool stopped its server: ${events.slice(-3).join(' | ')}`);
    const opened = events.filter((line) => line.startsWith('open ')).map((line) => line.slice(5));
    const deleted = events.slice(0, stoppedAt).filter((line) => line.startsWith('delete '));
    assert.deepEqual(
      deleted.map((line) => line.slice(7)).sort(),
      opened.sort(),
      'every session (the preflight one too) DELETEd before SIGTERM',
    );
    assert.equal(result.code, 130, result.stderr);
    const parsed = ReportSchema.parse(JSON.parse(await readFile(report, 'utf8')));
    assert.equal(parsed.endReason, 'interrupted');
    assert.equal(parsed.totals.sessionsClosed, parsed.totals.sessionsOpened);
    assert.equal(parsed.totals.sessionsOpened, opened.length - 1);
    assert.equal(parsed.totals.errors, 0, JSON.stringify(parsed.errorsByKind));
  });

  test('calls in flight at shutdown: their sessions are DELETEd after a bounded wait', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-inflight-'));
    const log = join(dir, 'witness.log');
    const job = startCliJob([
      ...(await spawnWitness(log)),
      ...['--mix', 'sleep:1', '--args', 'sleep={"ms":60000}', '-n', '2', ...load],
    ]);
    await witnessedTimes(log, 'call sleep', 2);
    const sentAt = Date.now();
    process.kill(job.pid, 'SIGTERM');
    const result = await job.done;
    const events = await witnessed(log);
    const stoppedAt = events.indexOf('signal SIGTERM');
    // The preflight's session, then the run's two, each DELETEd before the server was stopped.
    const opened = events.filter((line) => line.startsWith('open ')).length;
    const deleted = events.slice(0, stoppedAt).filter((line) => line.startsWith('delete ')).length;
    assert.equal(opened, 3, events.join(' | '));
    assert.equal(
      deleted,
      3,
      `both busy sessions DELETEd before the server was stopped: ${events.join(' | ')}`,
    );
    assert.match(result.stdout, /sessions opened 2, closed 2; calls 0; errors 0/);
    assert.ok(Date.now() - sentAt < 12_000, 'the wait for calls in flight is bounded');
    assert.equal(result.code, 143, result.stderr);
  });

  test('a second Ctrl-C skips the wait for calls in flight but still writes the report and the summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-twice-'));
    const log = join(dir, 'witness.log');
    const report = join(dir, 'run.json');
    const job = startCliJob([
      ...(await spawnWitness(log)),
      ...['--mix', 'sleep:1', '--args', 'sleep={"ms":60000}', '-n', '2', '--report', report, ...load],
    ]);
    await witnessedTimes(log, 'call sleep', 2);
    const sentAt = Date.now();
    process.kill(job.pid, 'SIGINT');
    await waitFor(() => /closing sessions/.test(job.output()), 10_000, 'the shutdown to begin');
    process.kill(job.pid, 'SIGINT');
    const result = await job.done;
    assert.equal(result.code, 130, result.stderr);
    assert.ok(Date.now() - sentAt < 4000, `no wait for the calls: ${Date.now() - sentAt} ms`);
    assert.match(result.stdout, /sessions opened 2, closed 2/, 'the summary is written');
    const parsed = ReportSchema.parse(JSON.parse(await readFile(report, 'utf8')));
    assert.equal(parsed.endReason, 'interrupted');
    const events = await witnessed(log);
    assert.equal(events.filter((line) => line.startsWith('delete ')).length, 3, events.join(' | '));
  });

  test('exit code 5 when the --spawn server dies under the run, with one line saying how', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-dies-'));
    const log = join(dir, 'witness.log');
    const started = Date.now();
    const result = await runCli([
      ...(await spawnWitness(log, '--die-after 3000')),
      // Sessions in-process: the shutdown tests above hold theirs in a worker thread.
      ...['--mix', 'fast:1', '-n', '2', '--duration', '60', '--workers', '0', ...load],
    ]);
    assert.equal(result.code, 5, result.stderr);
    assert.ok(Date.now() - started < 30_000, 'the run ended when its server died, not at --duration');
    assert.match(
      result.stderr,
      /mcp-load-explorer: the --spawn server \(pid \d+\) exited with code 7: witness: fatal error: simulated crash\n/,
    );
  });

  test('exit code 5 when the run ends with its --url server gone: nothing succeeded in its last seconds', async () => {
    const demo = await startDemo(['--bottleneck', 'none']);
    const run = startCli([
      ...['--url', demo.url, '--mix', 'fast:1', '-n', '2', '--duration', '8', '--workers', '0', ...load],
    ]);
    // The first status line: preflight is over and the load begins; then the server goes.
    await waitFor(() => /\[00:/.test(run.output()), 45_000, 'the load to begin');
    await demo.stop();
    const result = await run.done;
    assert.equal(result.code, 5, result.stderr);
    assert.match(
      result.stderr,
      /\nmcp-load-explorer: the target failed: no session start or call succeeded in the last \d+ s of the run, \d+ failed \(last connect-refused: initialize: connect ECONNREFUSED [\d.:]+\)\n/,
    );
  });

  test('--spawn when the port is already served: one line, no run against the other server', async () => {
    const other = await startDemo(['--bottleneck', 'none']);
    try {
      const port = new URL(other.url).port;
      const result = await runCli([
        ...['--spawn', `"${process.execPath}" ${cliPath} demo-server --port ${port}`, '--url', other.url],
        ...['--mix', 'fast:1', '-n', '1', '--duration', '2', ...load],
      ]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stderr,
        /^mcp-load-explorer: --spawn: something already accepts connections at 127\.0\.0\.1:\d+, before the server was started; stop it or give --url another port\n$/,
      );
      assert.equal((await other.stats()).sessions.opened, 0, 'the other server was not tested');
    } finally {
      await other.stop();
    }
  });
});
