import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema, type Report } from '../source/report/report-schema.js';
import {
  startHostileHttp,
  watchRss,
  type HostileMode,
  type HostileStats,
} from './support/hostile-servers.js';
import { freePort, sleep, startCli, waitFor, type CliResult } from './support/processes.js';

const USERS = 3;
/** RSS of the tool's process (its workers are threads in it) against a hostile server. */
const MAX_RSS_MB = 300;

interface HostileRun {
  readonly result: CliResult;
  readonly report: Report;
  /** What the server saw, after the run. */
  readonly stats: HostileStats;
  readonly peakRssMb: number;
  /** Sessions the server initialized in the `watchMs` after `until` held. */
  readonly initializesWatched: number;
}

/**
 * Runs the CLI against a hostile server in `mode` (USERS sessions that would each make 1000 calls) until
 * the server saw `until`, watches 3 s more, then stops it with SIGTERM as a user would. Sessions run
 * in-process unless `workers` is given: the bounds' runs hold theirs in a worker thread, which keeps the
 * worker path covered here.
 */
async function runAgainst(
  mode: HostileMode,
  until: (stats: HostileStats) => boolean,
  users = USERS,
  watchMs = 3000,
  workers = 0,
): Promise<HostileRun> {
  const server = await startHostileHttp(mode);
  const file = join(await mkdtemp(join(tmpdir(), 'mle-hostile-')), 'run.json');
  try {
    const cli = startCli([
      ...['--url', server.url, '--concurrency', String(users), '--jitter', '0', '--warmup', '0'],
      ...['--think', '20-50', '--session-calls', '1000-1000', '--mix', 'fast:1', '--timeout', '3000'],
      ...['--report', file, '--headless', '--workers', String(workers)],
    ]);
    const rss = watchRss(cli.child.pid!);
    try {
      await waitFor(async () => until(await server.stats()), 90_000, `${mode}: the server to see enough`);
      const before = (await server.stats()).initializes;
      await sleep(watchMs);
      const initializesWatched = (await server.stats()).initializes - before;
      cli.child.kill('SIGTERM');
      const result = await cli.done;
      const report = ReportSchema.parse(JSON.parse(await readFile(file, 'utf8')));
      return { result, report, stats: await server.stats(), peakRssMb: rss.peakMb(), initializesWatched };
    } finally {
      rss.stop();
      cli.child.kill('SIGKILL');
    }
  } finally {
    await server.stop();
  }
}

const show = (run: HostileRun): string =>
  JSON.stringify({
    stats: run.stats,
    watched: run.initializesWatched,
    errors: run.report.errorsByKind,
    rss: Math.round(run.peakRssMb),
  });

// Every group goes beside the others, and each group's runs go at once (but the bounds'): each run is a few
// seconds of waiting on its own server. Three groups at a time, and the four runs that watch a back-off for
// 6 s all at once: 38 s for the file at two and two, about 25 s now.
describe('hostile HTTP servers', { concurrency: 3 }, () => {
  describe('JSON-RPC errors from the server', { concurrency: 2 }, () => {
    for (const code of [32000, 32001]) {
      test(`a JSON-RPC error -${code} on tools/call: jsonrpc-${code}, the sessions stay open, none left behind`, async () => {
        const run = await runAgainst(`jsonrpc-${code}` as HostileMode, (stats) => stats.calls >= 10 * USERS);
        const { errorsByKind } = run.report;
        assert.doesNotMatch(run.result.stderr, /\n\s+at /, 'no stack trace');
        assert.ok((errorsByKind[`jsonrpc-${code}`]?.count ?? 0) > USERS, show(run));
        assert.match(
          errorsByKind[`jsonrpc-${code}`]?.lastMessage ?? '',
          new RegExp(`application error -${code}`),
        );
        assert.equal(errorsByKind['session-lost'], undefined, show(run));
        assert.equal(errorsByKind['timeout'], undefined, show(run));
        // One session per user (and the preflight's): the server's answer did not make anyone reopen.
        assert.equal(run.stats.initializes, USERS + 1, show(run));
        assert.equal(run.stats.open, 0, show(run));
        assert.equal(run.stats.deletes, USERS + 1, show(run));
      });
    }
    test("the server's own requests on a call's stream: ping answered, an unoffered one refused, the call counted", async () => {
      const run = await runAgainst('asks', (stats) => stats.calls >= 5 * USERS);
      const { answers, calls } = run.stats;
      // Counted before the run ended: a call whose stream the stop cut may go unanswered.
      assert.ok((answers['ping result {}'] ?? 0) >= 5 * USERS, show(run));
      assert.ok((answers['sampling/createMessage error -32601'] ?? 0) >= 5 * USERS, show(run));
      assert.deepEqual(Object.keys(answers).sort(), [
        'ping result {}',
        'sampling/createMessage error -32601',
      ]);
      assert.ok(run.report.totals.calls >= calls - USERS, show(run));
      assert.equal(run.report.totals.errors, 0, show(run));
      assert.equal(run.stats.open, 0, show(run));
    });
  });

  /**
   * Backing off at least 0.5 s, then 1 s, 2 s, 4 s…, one user reopens at most 3 times in 6 s (4 allowed);
   * without back-off it reopens as fast as each initialize and call take, several times a second.
   */
  const BACKOFF_WATCH_MS = 6000;
  const MAX_REOPENS_WATCHED = 4;

  describe('answers that lose the session', { concurrency: 4 }, () => {
    for (const [mode, kind] of [
      ['html', 'protocol'],
      ['not-mcp', 'protocol'],
      // The 1.x SDK's Client called this "other", with "[" as its message (the first line of its ZodError).
      ['bad-result', 'protocol'],
      ['cut', 'connect-reset'],
    ] as const) {
      test(`${mode} answers to tools/call: ${kind}, sessions reopened with back-off and DELETEd`, async () => {
        // One user, so that its own reopens are what the server counts.
        const run = await runAgainst(mode, (stats) => stats.calls >= 1, 1, BACKOFF_WATCH_MS);
        assert.ok(run.report.errorsByKind[kind], show(run));
        if (mode === 'bad-result')
          assert.match(
            run.report.errorsByKind[kind]?.lastMessage ?? '',
            /invalid tools\/call result: content/,
          );
        assert.ok(run.stats.initializes > 2, `sessions were replaced: ${show(run)}`);
        assert.ok(run.initializesWatched <= MAX_REOPENS_WATCHED, `backed off: ${show(run)}`);
        assert.equal(run.stats.open, 0, show(run));
        assert.equal(run.stats.deletes, run.stats.initializes, `every dropped session DELETEd: ${show(run)}`);
      });
    }
  });

  test('a resumed stream answered 404: the session is lost, a new one follows', async () => {
    // One user: each of its calls ends unanswered, the resuming GET finds the session gone.
    const run = await runAgainst('resume-404', (stats) => stats.resumes >= 2 && stats.initializes >= 3, 1, 0);
    assert.ok((run.report.errorsByKind['session-lost']?.count ?? 0) >= 1, show(run));
    assert.ok(run.report.totals.resumptions >= run.stats.resumes - 1, `resumptions counted: ${show(run)}`);
    // The preflight's session, the first, and one after each loss: each loss brought a new initialize.
    assert.ok(run.stats.initializes >= run.stats.resumes + 1, show(run));
    assert.equal(run.report.errorsByKind['timeout'], undefined, `no call waited for --timeout: ${show(run)}`);
  });

  /** Sessions in the memory runs, as in the measurements. */
  const MEMORY_USERS = 2;

  // One at a time (beside the other groups, which mostly wait): each server sends as fast as the tool reads.
  describe('bounds on what a server sends', { concurrency: 1 }, () => {
    for (const [mode, kind] of [
      ['endless-line', 'answer-too-large'],
      ['huge-json', 'answer-too-large'],
      ['endless-get', 'stream-idle'],
    ] as const) {
      test(`${mode}: ${kind}, the session DELETEd, memory flat`, async () => {
        // Each user met the bound once and reopened its session.
        const run = await runAgainst(
          mode,
          (stats) => stats.initializes >= 2 * MEMORY_USERS + 1,
          MEMORY_USERS,
          3000,
          1,
        );
        assert.ok(run.report.errorsByKind[kind], show(run));
        assert.match(run.report.errorsByKind[kind]?.lastMessage ?? '', /16 MiB/);
        assert.ok(run.stats.hostileBytes > 16 * 1024 * 1024, show(run));
        assert.ok(run.initializesWatched <= MEMORY_USERS * 3, `backed off: ${show(run)}`);
        assert.equal(run.stats.open, 0, show(run));
        assert.ok(run.peakRssMb > 0 && run.peakRssMb < MAX_RSS_MB, show(run));
        console.log(`${mode}: peak RSS ${Math.round(run.peakRssMb)} MB`);
      });
    }
  });

  test('--sse against a refused port: connect-refused, and the tool ends', async () => {
    const port = await freePort();
    const cli = startCli(
      ['--sse', '--url', `http://127.0.0.1:${port}/sse`, '--mix', 'fast:1', '--headless'],
      {
        timeoutMs: 30_000,
      },
    );
    const result = await cli.done;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /\(connect-refused\)/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
});
