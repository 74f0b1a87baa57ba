import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAssertions } from '../source/analysis/assertions.js';
import { AssertionSchema } from '../source/config/assertion-schema.js';
import { diagnose } from '../source/analysis/bottleneck.js';
import { analyse } from '../source/analysis/findings.js';
import { memoryTrend } from '../source/analysis/memory.js';
import type { LevelSummary } from '../source/engine/levels.js';
import { levelFixture } from './support/fake-engine.js';

const curve = [
  levelFixture(0, 1, 50),
  levelFixture(1, 10, 52),
  levelFixture(2, 20, 55),
  levelFixture(3, 30, 60),
  levelFixture(4, 40, 900),
  { ...levelFixture(5, 50, 2500), errors: 3 },
  { ...levelFixture(6, 60, 4000), errors: 10 },
];

test('knee, ceiling, cliff and the scaling recommendation', () => {
  const findings = analyse(curve, 2000);
  assert.equal(
    findings.kneeConcurrency,
    34,
    'between the last flat level (30) and the first rising one (40)',
  );
  assert.equal(findings.ceilingConcurrency, 50);
  assert.equal(findings.cliffConcurrency, 50, '3 errors in 200 calls is 1.5%');
  assert.equal(findings.recommendedScaleAt, 34);
  assert.match(findings.recommendation, /^Scale out at 34 concurrent sessions per replica \(the knee/);
  assert.match(findings.recommendation, /P99 breaks the 2000 ms SLO or errors reach 1% at 50 sessions/);
});

test('without a knee the recommendation is the last level within the SLO', () => {
  const findings = analyse([levelFixture(0, 10, 100), levelFixture(1, 20, 3000)], 2000);
  assert.equal(findings.kneeConcurrency, null);
  assert.equal(findings.ceilingConcurrency, 20);
  assert.equal(findings.recommendedScaleAt, 10);
  assert.equal(analyse([], 2000).recommendedScaleAt, null);
});

test('assertions hold on every level, and name the worst one', () => {
  const parse = (text: string) => AssertionSchema.parse(text);
  const [p99, errors, calls] = checkAssertions(
    [parse('p99<2000'), parse('errors<1%'), parse('calls>=200')],
    curve,
  );
  assert.deepEqual(p99, { expression: 'p99<2000', passed: false, worst: { concurrency: 60, value: 4000 } });
  assert.deepEqual(errors, { expression: 'errors<1%', passed: false, worst: { concurrency: 60, value: 5 } });
  assert.equal(calls?.passed, true);
  assert.equal(checkAssertions([parse('p99<5000')], curve)[0]?.passed, true);
  assert.equal(checkAssertions([parse('p99<5000')], [])[0]?.passed, false, 'nothing measured is a failure');
  assert.throws(() => parse('p100<5'), /is not METRIC<VALUE/);
  assert.throws(() => parse('p99<5%'), /only errors can be a percentage/);
});

test('bottleneck signatures from the figures', () => {
  const level = (
    n: number,
    p50: number,
    p95: number,
    p99: number,
    extra: Partial<LevelSummary> = {},
  ): LevelSummary => {
    const base = levelFixture(n, n, p99);
    const latencyMs = { ...base.latencyMs!, p50, p95, p99 };
    return { ...base, latencyMs, tools: { work: { calls: 200, errors: 0, latencyMs } }, ...extra };
  };
  const generatorBusy = { cpuPercent: 180, rssBytes: 1, eventLoopDelayP99Ms: 80 };
  assert.equal(
    diagnose([level(1, 5, 8, 10), level(9, 5, 8, 10, { generator: generatorBusy })], {}, 2000, 2).kind,
    'load-generator',
  );
  const pool = { 'tool-error': { count: 9, lastMessage: 'query: connection pool full' } };
  assert.equal(diagnose([level(1, 5, 8, 10)], pool, 2000).kind, 'pool-exhaustion');
  const busy = { serverCpuPercent: 97 };
  assert.equal(
    diagnose([level(1, 20, 25, 30, busy), level(9, 300, 450, 520, busy)], {}, 2000).kind,
    'cpu-saturation',
  );
  assert.equal(diagnose([level(1, 5, 8, 210), level(9, 6, 9, 260)], {}, 2000).kind, 'event-loop-starvation');
  const rss = (n: number, mb: number) => level(n, 5, 8, 10 * n, { serverRssBytes: mb * 1024 ** 2 });
  assert.equal(diagnose([rss(1, 100), rss(9, 900)], {}, 2000).kind, 'memory-pressure');
  assert.equal(diagnose([level(1, 5, 8, 10), level(9, 5, 9, 12)], {}, 2000).kind, 'none-reached');
  assert.equal(
    diagnose([level(1, 20, 25, 30), level(9, 300, 450, 520)], {}, 2000).kind,
    'unknown',
    'no CPU figure',
  );
});

test('a pool without errors yet: one tool queues while the fastest stays fast and the CPU idles', () => {
  const twoTools = (n: number, fastP99: number, workP99: number, cpu: number | null): LevelSummary => {
    const base = levelFixture(n, n, workP99);
    const fast = { ...base.latencyMs!, p50: 5, p95: fastP99, p99: fastP99 };
    const work = { ...base.latencyMs!, p50: workP99 / 2, p95: workP99 * 0.9, p99: workP99 };
    return {
      ...base,
      latencyMs: { ...work, p50: 8 },
      serverCpuPercent: cpu,
      tools: {
        fast: { calls: 300, errors: 0, latencyMs: fast },
        work: { calls: 200, errors: 0, latencyMs: work },
      },
    };
  };
  const queued = diagnose([twoTools(10, 20, 600, 5), twoTools(70, 25, 6600, 5)], {}, 2000);
  assert.equal(queued.kind, 'pool-exhaustion');
  assert.match(queued.evidence[0]!, /work: P99 600 ms at N=10 → 6600 ms at N=70, while fast stayed at 25 ms/);
  assert.match(queued.evidence[1]!, /server CPU 5% of a core: calls wait for a limited resource/);
  // Every tool slowing, or a busy CPU, is something else.
  assert.notEqual(
    diagnose([twoTools(10, 20, 600, 5), twoTools(70, 900, 6600, 5)], {}, 2000).kind,
    'pool-exhaustion',
  );
  assert.notEqual(
    diagnose([twoTools(10, 20, 600, 90), twoTools(70, 25, 6600, 90)], {}, 2000).kind,
    'pool-exhaustion',
  );
});

test('memory trend: RSS per session, growth per minute and the soak verdict', () => {
  const held = (n: number, startMb: number, endMb: number, durationMs = 60_000): LevelSummary => ({
    ...levelFixture(n, n, 100),
    durationMs,
    serverRssStartBytes: startMb * 1024 ** 2,
    serverRssBytes: endMb * 1024 ** 2,
  });
  const leak = memoryTrend([held(10, 100, 110), held(20, 200, 400, 120_000)]);
  assert.equal(leak.verdict, 'leak suspected');
  assert.equal(leak.growthBytesPerMinute, 100 * 1024 ** 2);
  assert.equal(leak.rssPerSessionBytes, 29 * 1024 ** 2, 'from 110 MB at N=10 to 400 MB at N=20');
  assert.match(leak.evidence, /server RSS 200\.0 MB → 400\.0 MB over 120 s at N=20 \(100\.0 MB\/min\)/);
  assert.equal(memoryTrend([held(10, 100, 101)]).verdict, 'flat');
  assert.equal(memoryTrend([held(10, 100, 300, 5000)]).verdict, 'unknown', 'too short to judge');
  assert.equal(memoryTrend([levelFixture(0, 10, 100)]).verdict, 'unknown', 'no RSS figures');
});

test('only levels with a measured P99 are reported as still moving', () => {
  const neverMeasured: LevelSummary = {
    ...levelFixture(0, 10, 0),
    calls: 0,
    latencyMs: null,
    durationMs: 0,
    settled: false,
  };
  const moving = { ...levelFixture(1, 20, 700), settled: false };
  const steady = levelFixture(2, 30, 900);
  const held = { ...levelFixture(3, 40, 1200, false), settled: false };
  assert.deepEqual(analyse([neverMeasured, moving, steady, held], 2000).unsettledLevels, [20]);
});

test('when no bottleneck is reached, the evidence gives the range P99 stayed in, lowest first', () => {
  const levels = [levelFixture(0, 10, 700), levelFixture(1, 20, 760), levelFixture(2, 30, 650)];
  const { kind, evidence } = diagnose(levels, {}, 2000, 1);
  assert.equal(kind, 'none-reached');
  assert.match(evidence[0] ?? '', /P99 stayed between 650 ms and 760 ms up to N=30/);
});
