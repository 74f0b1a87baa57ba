import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../source/config/load-config.js';
import { exponentialMs } from '../source/engine/shard-workload.js';
import { ReportSchema } from '../source/report/report-schema.js';
import { runCli, startCli, waitFor } from './support/processes.js';
import { demoForFile, startDemo } from './support/servers.js';

const demo = demoForFile();

test('arrival gaps are exponential: mean 1/rate and a coefficient of variation of 1 (Poisson)', () => {
  const gaps = Array.from({ length: 40_000 }, () => exponentialMs(5));
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length);
  assert.ok(Math.abs(mean - 200) < 6, `mean gap ${mean} ms`);
  assert.ok(Math.abs(sd / mean - 1) < 0.04, `CV ${sd / mean}`);
  // A closed-model stand-in (uniform gaps) would have CV 0.58: the check tells them apart.
});

test('open-model settings are checked: fractional steps need --arrival-rate; --find-ceiling is closed-model only', async () => {
  await assert.rejects(
    loadConfig({ steps: '0.5,1' }),
    /steps: .*fractional steps are arrival rates: add --arrival-rate/,
  );
  await assert.rejects(
    loadConfig({ arrivalRate: '2', findCeiling: true }),
    /--find-ceiling searches sessions/,
  );
  await assert.rejects(loadConfig({ arrivalRate: '-1' }), /--arrival-rate: an arrival rate is 0 or more/);
  assert.deepEqual((await loadConfig({ arrivalRate: '2', steps: '0.5,1.5' })).steps, [0.5, 1.5]);
});

test('--arrival-rate: sessions arrive at the rate, make their calls and leave; N follows Little’s law', async () => {
  const before = await demo().stats();
  const reportFile = join(await mkdtemp(join(tmpdir(), 'mle-open-')), 'run.json');
  // Each session: 2 calls 1 s apart, so it is open about 1 s: N ≈ rate × 1 s.
  const result = await runCli([
    ...['--url', demo().url, '--mix', 'fast:1', '--arrival-rate', '2', '--steps', '2,6', '--hold', '6'],
    ...['--warmup', '2', '--session-calls', '2', '--think', '1000-1000', '--workers', '1', '--headless'],
    ...['--report', reportFile],
  ]);
  assert.equal(result.code, 0, result.stderr);
  const after = await demo().stats();
  const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
  // The preflight's own session (tools/list) comes first.
  const opened = after.sessions.opened - before.sessions.opened - 1;
  // 2/s and 6/s for 6 s each: 48 arrivals expected (Poisson, sd ≈ 7).
  assert.ok(opened >= 26 && opened <= 72, `${opened} sessions reached the server`);
  assert.equal(report.totals.sessionsOpened, opened, 'every session the client opened, the server saw');
  assert.equal(after.sessions.active, before.sessions.active, 'every session left the server');
  assert.equal(after.calls.byTool['fast']! - (before.calls.byTool['fast'] ?? 0), report.totals.calls);
  assert.deepEqual(
    report.levels.map((level) => level.arrivalRate),
    [2, 6],
  );
  const [low, high] = report.levels;
  assert.ok(low!.concurrency >= 1 && low!.concurrency <= 4, `N at 2/s: ${low!.concurrency}`);
  assert.ok(high!.concurrency >= 3 && high!.concurrency <= 12, `N at 6/s: ${high!.concurrency}`);
  assert.ok(high!.concurrency > low!.concurrency);
  assert.match(result.stdout, /arrive\/s +N +secs/);
  assert.match(result.stdout, /N=\d+ open \(6\/s arriving\)/);
});

// The two --max-sessions runs wait side by side, each on a demo of its own (each counts its server's
// sessions); the Little's-law run above has the machine to itself, its N being its sessions' time open.
describe('--max-sessions', { concurrency: 2 }, () => {
  test('--max-sessions caps the sessions open at once: arrivals beyond it wait for one to end, and the log says so', async () => {
    const cli = startCli([
      ...['--url', demo().url, '--mix', 'fast:1', '--arrival-rate', '20', '--max-sessions', '3'],
      ...['--session-calls', '3', '--think', '2000-2000', '--workers', '1', '--duration', '4', '--headless'],
    ]);
    let most = 0;
    const baseline = (await demo().stats()).sessions.active;
    const watch = setInterval(() => {
      void demo()
        .stats()
        .then((stats) => (most = Math.max(most, stats.sessions.active - baseline)));
    }, 100);
    const result = await cli.done;
    clearInterval(watch);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(most >= 2 && most <= 3, `the server held at most ${most} of this run's sessions`);
    assert.match(
      result.stdout,
      /warn: 3 sessions open in this worker \(--max-sessions\): arrivals wait for one to end, behind the schedule/,
    );
    // 80 arrivals in 4 s: far from the backlog's limit (10,000), so none is turned away.
    assert.doesNotMatch(result.stdout, /arrival-dropped/);
    await waitFor(async () => (await demo().stats()).sessions.active === baseline, 5000, 'sessions closed');
  });

  test('an arrival rate one session cannot keep up with: the corrected P99 counts the wait the uncorrected hides', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-co-'));
    const file = (name: string): string => join(dir, name);
    const [reportFile, markdownFile, logFile] = [file('run.json'), file('run.md'), file('run.hlog')];
    // Its own demo: each `work` call holds the one pool connection 100 ms, whatever the machine's speed.
    const server = await startDemo(['--bottleneck', 'pool', '--pool-size', '1', '--pool-ms', '100']);
    t.after(() => server.stop());
    const before = await server.stats();
    // One session at a time, each one `work` call holding a demo pool connection 100 ms: under 10 sessions/s
    // at best, asked for 20/s. The arrivals queue behind the schedule; each call still takes ~100 ms.
    const result = await runCli([
      ...['--url', server.url, '--mix', 'work:1', '--arrival-rate', '20', '--max-sessions', '1'],
      ...['--session-calls', '1', '--workers', '1', '--warmup', '1', '--duration', '6', '--headless'],
      ...['--report', reportFile, '--report-md', markdownFile, '--hdr-log', logFile],
    ]);
    assert.equal(result.code, 0, result.stderr);
    await waitFor(
      async () => (await server.stats()).sessions.active === before.sessions.active,
      5000,
      'every session left the server',
    );
    const after = await server.stats();
    const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
    // What the server saw: every call the report counts, and every session (the preflight's comes first).
    assert.equal(after.calls.byTool['work']! - (before.calls.byTool['work'] ?? 0), report.totals.calls);
    assert.equal(after.sessions.opened - before.sessions.opened - 1, report.totals.sessionsOpened);
    assert.equal(report.errorsByKind['arrival-dropped'], undefined, 'late arrivals waited, none was dropped');
    const [level] = report.levels;
    const uncorrected = level!.latencyMs!;
    const corrected = level!.latencyCorrectedMs!;
    const lag = level!.scheduleLagMs!;
    assert.equal(corrected.count, uncorrected.count, 'every timed call is timed from both starts');
    assert.ok(lag.p99 > 1000, `the generator fell behind: lag p99 ${lag.p99} ms`);
    // The backlog grows steadily, so the lag of the calls at the tail is well past the median lag.
    assert.ok(corrected.p99 > lag.p50, `corrected p99 ${corrected.p99} ms, lag p50 ${lag.p50} ms`);
    assert.ok(corrected.p99 > 3 * uncorrected.p99, `corrected ${corrected.p99} vs ${uncorrected.p99} ms`);
    assert.match(result.stdout, /corrected p99=[\d.s]+ \(behind schedule: lag p99=[\d.s]+ max=[\d.s]+\) ms/);
    assert.match(
      result.stdout,
      /behind the arrival schedule \(p99 from the intended start, ms\): 20\/s: p99 /,
    );
    const markdown = await readFile(markdownFile, 'utf8');
    assert.match(
      markdown,
      /The generator fell behind its arrival schedule at 20\/s: read the corrected figures/,
    );
    const log = await readFile(logFile, 'utf8');
    assert.match(log, /^Tag=corrected,/m);
    assert.match(log, /^\d[\d.]*,/m, 'the uncorrected intervals stay untagged');
  });
});
