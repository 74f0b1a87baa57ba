import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigSchema } from '../source/config/schema.js';
import { LevelBook } from '../source/engine/level-book.js';
import { analyse } from '../source/analysis/findings.js';
import { memoryTrend } from '../source/analysis/memory.js';
import type { LevelSummary } from '../source/engine/levels.js';
import { levelFixture } from './support/fake-engine.js';

const cycle = { thinkMs: 0, sessionCalls: 1000 };

/** A level of a closed system whose throughput obeys N = X·(R + Z): R = mean, X = N / (R + Z). */
function level(index: number, n: number, p99: number, meanMs: number, calls = 2000): LevelSummary {
  const base = levelFixture(index, n, p99);
  const durationMs = ((calls / n) * (meanMs + cycle.thinkMs)) | 0;
  return {
    ...base,
    calls,
    durationMs,
    throughput: (calls * 1000) / durationMs,
    latencyMs: { ...base.latencyMs!, count: calls, mean: meanMs },
  };
}

test('no limit found: the advice says what was learned and what to try, never "Scale out"', () => {
  // server-everything over --steps 2,4,8: P99 27 ms, nothing saturated.
  const levels = [level(0, 2, 25, 10), level(1, 4, 26, 10), level(2, 8, 27, 10)];
  const findings = analyse(levels, 2000, { cycle });
  assert.equal(findings.recommendedScaleAt, null);
  assert.doesNotMatch(findings.recommendation, /Scale out/);
  assert.match(findings.recommendation, /^No limit found up to N = 8; P99 27 ms \(SLO 2000 ms\)/);
  assert.match(findings.recommendation, /walk further/);
  assert.equal(findings.kneeConcurrency, null);
  assert.match(findings.kneeReason, /P99 never rose/);
});

test('a single level is no knee and no ceiling, so no scaling advice', () => {
  const findings = analyse([level(0, 10, 40, 20)], 2000, { cycle });
  assert.equal(findings.recommendedScaleAt, null);
  assert.doesNotMatch(findings.recommendation, /Scale out/);
});

test('a knee found carries its interval into the advice; Little’s law holds for an honest generator', () => {
  // C=4, S=50 ms, Z=0: R = 50 ms up to N=4, then N·12.5 ms.
  const levels = [1, 2, 3, 4, 6, 8, 12].map((n, index) =>
    level(index, n, Math.max(50, n * 12.5) * 1.2, Math.max(50, n * 12.5)),
  );
  const findings = analyse(levels, 5000, { cycle });
  assert.equal(findings.kneeConcurrency, 4);
  assert.equal(findings.kneeMethod, 'throughput');
  const [low, high] = findings.kneeInterval!;
  assert.ok(low <= 4 && high >= 4 && high - low <= 2, `${low}–${high}`);
  assert.match(findings.recommendation, new RegExp(`^Scale out at 4 .*\\(the knee, ${low}–${high},`));
  assert.equal(findings.littlesLaw.length, 7);
  assert.ok(
    findings.littlesLaw.every(
      (law) => !law.mismatch && Math.abs(law.impliedConcurrency - law.concurrency) < 0.1,
    ),
  );
});

test('a level whose throughput implies far fewer sessions than were set is flagged', () => {
  const honest = level(0, 10, 60, 50);
  // The generator fell behind: half the calls it should have made at N=20.
  const late = { ...level(1, 20, 60, 50), calls: 2000, durationMs: 10_000, throughput: 200 };
  const findings = analyse([honest, late], 5000, { cycle });
  const flagged = findings.littlesLaw.filter((law) => law.mismatch).map((law) => law.concurrency);
  assert.deepEqual(flagged, [20]);
  assert.equal(findings.littlesLaw[1]!.impliedConcurrency, 10);
});

test('a level too short to judge is not flagged: under 100 calls or 4 call cycles, first calls skew it', () => {
  // As on the demo after N was raised live to 10: the new sessions' first calls came without think time,
  // in a level of a few cycles. Z = 3 s, R = 10 ms: a cycle is about 3 s.
  const slow = { thinkMs: 3000, sessionCalls: 1000 };
  const burst = { ...level(0, 10, 60, 10, 60), durationMs: 9_000, throughput: 6.4 };
  const short = analyse([burst], 5000, { cycle: slow });
  assert.equal(short.littlesLaw[0]!.impliedConcurrency, 19.2);
  assert.equal(short.littlesLaw[0]!.mismatch, false, 'under 100 calls and 3 cycles: not judged');
  // Many calls, but still under 4 cycles: not judged either.
  const brief = { ...burst, calls: 150, durationMs: 11_000, throughput: 13.6 };
  assert.equal(analyse([brief], 5000, { cycle: slow }).littlesLaw[0]!.mismatch, false);
  // Long enough, with the same skew: flagged.
  const long = { ...burst, calls: 400, durationMs: 60_000, throughput: 6.4 };
  assert.equal(analyse([long], 5000, { cycle: slow }).littlesLaw[0]!.mismatch, true);
});

test('think time changed live: each level is judged by its own, and a level it changed in is not judged', () => {
  // N=10 with no think time, then N=20 after think time went to 50 ms: honest at both.
  const before = { ...level(0, 10, 60, 50), callCycle: { thinkMs: 0, sessionCalls: 1000 } };
  const after = {
    ...level(1, 20, 60, 50, 2000),
    durationMs: 10_000,
    throughput: 200,
    callCycle: { thinkMs: 50, sessionCalls: 1000 },
  };
  // The run's think time is the last one set: judged by it, the first level read as N≈15 at N=10.
  const run = { thinkMs: 50, sessionCalls: 1000 };
  const findings = analyse([before, after], 5000, { cycle: run });
  assert.deepEqual(
    findings.littlesLaw.map((law) => [law.concurrency, law.impliedConcurrency, law.mismatch]),
    [
      [10, 10, false],
      [20, 20, false],
    ],
  );
  // Changed during the level: no single Z for it, so it is left out rather than misjudged.
  const mixed = analyse([before, { ...after, callCycle: null }], 5000, { cycle: run });
  assert.deepEqual(
    mixed.littlesLaw.map((law) => law.concurrency),
    [10],
  );
});

test('a level notes a think time changed during it; the next level starts with the new one', () => {
  const workload = ConfigSchema.parse({ concurrency: 5, thinkMs: '100-300', sessionCalls: '10-30' });
  const book = new LevelBook(0);
  book.begin(1000, workload);
  book.noteWorkload({ ...workload, sloMs: 5000 });
  assert.deepEqual(book.summaries(2000)[0]!.callCycle, { thinkMs: 200, sessionCalls: 20 });
  book.noteWorkload({ ...workload, thinkMs: { min: 0, max: 0 } });
  assert.equal(book.summaries(3000)[0]!.callCycle, null);
  book.begin(4000, { ...workload, thinkMs: { min: 0, max: 0 }, concurrency: 6 });
  assert.deepEqual(book.summaries(5000)[1]!.callCycle, { thinkMs: 0, sessionCalls: 20 });
});

test('a P99 from too few calls is listed, not counted toward the ceiling or the advice', () => {
  const levels = [level(0, 2, 30, 10), level(1, 4, 3000, 10, 40)];
  const findings = analyse(levels, 2000, { cycle });
  assert.equal(findings.ceilingConcurrency, null);
  assert.deepEqual(findings.fewCallLevels, [4]);
  assert.equal(findings.minCallsForP99, 100);
  assert.doesNotMatch(findings.recommendation, /Scale out/);
  assert.match(
    findings.recommendation,
    /^No limit found up to N = 2; P99 30 ms \(SLO 2000 ms\); N=4 \(40 calls\) had under the 100 calls a P99 needs/,
  );
  const none = analyse([level(0, 2, 30, 10, 50)], 2000, { cycle });
  assert.match(
    none.recommendation,
    /^No limit found yet: N=2 \(50 calls\) had under the 100 calls a P99 needs; hold the levels longer\.$/,
  );
});

test('memory: growth during warm-up is not a leak, and a short hold says how long is needed', () => {
  const mb = 1024 ** 2;
  const held = (durationMs: number, start: number, mid: number, end: number): LevelSummary => ({
    ...levelFixture(0, 16, 300),
    durationMs,
    serverRssStartBytes: start * mb,
    serverRssMidBytes: mid * mb,
    serverRssBytes: end * mb,
  });
  // The demo's pool over 45 s: RSS rose as the sessions settled in.
  const short = memoryTrend([held(45_000, 80, 110, 112)]);
  assert.equal(short.verdict, 'unknown');
  assert.match(short.evidence, /needs a hold of at least 60 s \(--hold 60\) to tell growth from warm-up/);
  assert.equal(memoryTrend([held(120_000, 80, 110, 112)]).verdict, 'flat', 'grew early, then held');
  assert.equal(memoryTrend([held(120_000, 80, 140, 200)]).verdict, 'leak suspected', 'still growing');
});

test('a blocking tool on a fast server is event-loop starvation from the earliest level, not the CPU of the last', () => {
  // Issue 14's SDK server: 90% no-op, 10% 60 ms of synchronous work, think 100 ms.
  const level = (n: number, fastP50: number, fastP99: number, slowP99: number, cpu: number): LevelSummary => {
    const base = levelFixture(n, n, slowP99);
    const fast = { ...base.latencyMs!, p50: fastP50, p95: fastP99 * 0.5, p99: fastP99 };
    const slow = { ...base.latencyMs!, p50: 61, p95: slowP99 * 0.9, p99: slowP99 };
    return {
      ...base,
      latencyMs: { ...fast, p99: slowP99 },
      serverCpuPercent: cpu,
      tools: {
        noop: { calls: 900, errors: 0, latencyMs: fast },
        block: { calls: 100, errors: 0, latencyMs: slow },
      },
    };
  };
  const levels = [
    level(1, 2, 30, 62, 10),
    level(4, 3, 66, 70, 30),
    level(12, 4, 129, 190, 60),
    level(24, 30, 400, 500, 85),
  ];
  const found = analyse(levels, 2000).bottleneck;
  assert.equal(found.kind, 'event-loop-starvation', JSON.stringify(found));
  assert.match(found.evidence[0]!, /noop: P99 66 ms while P50 stays at 3 ms \(2 ms at N=1\) at N=4/);
});

test('two signatures at the earliest level are both named', () => {
  const base = levelFixture(1, 1, 20);
  const first = {
    ...base,
    serverRssBytes: 100 * 1024 ** 2,
    latencyMs: { ...base.latencyMs!, p50: 5, p99: 20 },
  };
  const later = levelFixture(8, 8, 400);
  const second = {
    ...later,
    serverRssBytes: 400 * 1024 ** 2,
    latencyMs: { ...later.latencyMs!, p50: 6, p95: 100, p99: 400 },
    tools: {
      work: { calls: 200, errors: 0, latencyMs: { ...later.latencyMs!, p50: 6, p95: 100, p99: 400 } },
    },
  };
  const found = analyse([first, second], 2000).bottleneck;
  assert.equal(found.kind, 'memory-pressure');
  assert.deepEqual(found.alsoConsistentWith, ['event-loop-starvation']);
  assert.match(
    found.evidence.join('\n'),
    /also consistent with event-loop-starvation: work: P99 400 ms while P50 stays at 6 ms/,
  );
});
