import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { renderCapacityChart } from '../source/chart/capacity-chart.js';
import { App } from '../source/ui/app.js';
import { ColorContext } from '../source/ui/color.js';
import { FakeEngine, levelFixture, snapshotFixture } from './support/fake-engine.js';

const frameOf = (engine: FakeEngine): string => {
  const { lastFrame, unmount } = render(<App engine={engine} onQuit={() => undefined} />);
  const frame = stripVTControlCharacters(lastFrame() ?? '');
  unmount();
  return frame;
};

test('header: target, elapsed time and the run state', () => {
  assert.match(
    frameOf(new FakeEngine()),
    /^mcp-load-explorer · running · 01:23 · streamable-http: http:\/\/127\.0\.0\.1:3001\/mcp/,
  );
  assert.match(frameOf(new FakeEngine(snapshotFixture({ state: 'paused' }))), /mcp-load-explorer · paused ·/);
  const stepping = snapshotFixture({
    plan: {
      steps: [1, 5, 10],
      holdS: 60,
      stepIndex: 1,
      // 30 s after the snapshot's own time (start + elapsed), so a replayed run counts down too.
      stepEndsAt: new Date(Date.parse('2026-11-23T10:00:00.000Z') + 83_000 + 30_000).toISOString(),
      complete: false,
    },
  });
  assert.match(frameOf(new FakeEngine(stepping)), /stepping level 2 of 3 \(N=5, 30s left\)/);
  const done = snapshotFixture({
    plan: { steps: [1, 5], holdS: 60, stepIndex: null, stepEndsAt: null, complete: true },
  });
  assert.match(frameOf(new FakeEngine(done)), /running · step plan complete/);
  const searching = snapshotFixture({
    plan: {
      steps: [1, 2, 4, 8, 16, 12],
      holdS: 60,
      stepIndex: 5,
      stepEndsAt: new Date(Date.parse('2026-11-23T10:00:00.000Z') + 83_000 + 30_000).toISOString(),
      complete: false,
      bracket: { good: 8, bad: 16 },
    },
  });
  const frame = frameOf(new FakeEngine(searching));
  assert.match(frame, /mcp-load-explorer · ceiling: good N=8 · bad N=16 · probing N=12 \(30s left\)/);
  assert.doesNotMatch(frame, /level 6 of 6/, 'the bracket, not a step count that grows');
});

test('sessions and the live workload', () => {
  const frame = frameOf(new FakeEngine());
  assert.match(frame, /sessions 11 of N=12 · connecting 1 · closing 0 · in flight 4 · opened 30 · closed 18/);
  assert.match(
    frame,
    /think 1000-5000 ms · jitter 1000 ms · calls\/session 10-50 · timeout 30000 ms · SLO p99 2000 ms/,
  );
});

test('latency table: overall, per tool, initialize', () => {
  const latency = { count: 9, p50: 2100, p90: 2200, p95: 2300, p99: 2500, p999: 2600, max: 2700, mean: 2150 };
  const base = snapshotFixture();
  const frame = frameOf(
    new FakeEngine(
      snapshotFixture({
        window: {
          ...base.window,
          tools: [{ name: 'slow-query', calls: 9, errors: 1, throughput: 0.9, latencyMs: latency }],
        },
      }),
    ),
  );
  assert.match(frame, /last 10s, ms +calls\/s +p50 +p90 +p95 +p99 +p99\.9 +max +mean +errors/);
  assert.match(frame, /all +42\.0 +5\.2 +9\.9 +12\.5 +48\.1 +97\.0 +120 +7\.3 +0/);
  assert.match(frame, /slow-query +0\.9 +2100 +2200 +2300 +2500 +2600 +2700 +2150 +1/);
  assert.match(frame, /initialize +3\.1 +4\.0 +4\.2 +6\.6/);
});

test('latency table, open model: the corrected latency and the lag only when the generator fell behind', () => {
  const base = snapshotFixture();
  const lag = { count: 40, p50: 300, p90: 700, p95: 800, p99: 900, p999: 950, max: 960, mean: 350 };
  const corrected = { ...lag, p50: 305, p90: 745, p95: 848, p99: 960, p999: 1000, max: 1080, mean: 357 };
  const open = (window: Partial<typeof base.window>) =>
    frameOf(new FakeEngine(snapshotFixture({ window: { ...base.window, ...window } })));
  const behind = open({ latencyCorrectedMs: corrected, scheduleLagMs: lag });
  assert.match(behind, /corrected +305 +745 +848 +960 +1000 +1080 +357/);
  assert.match(behind, /behind by +300 +700 +800 +900 +950 +960 +350/);
  // On schedule: the corrected P99 within a millisecond of the uncorrected 48.1 ms, so no extra rows.
  const onTime = open({ latencyCorrectedMs: { ...base.window.latencyMs!, p99: 49 }, scheduleLagMs: lag });
  assert.doesNotMatch(onTime, /corrected|behind by/);
});

test('errors: none, or each kind with its latest message', () => {
  assert.match(frameOf(new FakeEngine(snapshotFixture({ errorsByKind: {} }))), /errors none · 3000 calls/);
  const frame = frameOf(
    new FakeEngine(
      snapshotFixture({
        errorsByKind: {
          timeout: { count: 7, lastMessage: 'slow: Request timed out' },
          'http-503': { count: 2, lastMessage: 'fast: Service Unavailable' },
        },
      }),
    ),
  );
  assert.match(frame, /timeout +7 last: slow: Request timed out/);
  assert.match(frame, /http-503 +2 last: fast: Service Unavailable/);
});

test('resources with trends, and the warning when the generator is saturated', () => {
  const history = {
    ...snapshotFixture().history,
    serverRssBytes: [1, 2, 3, 4],
    generatorCpuPercent: [10, 10, 90],
  };
  const frame = frameOf(new FakeEngine(snapshotFixture({ history })));
  assert.match(frame, /server +rss +150M ▁▃▆█ +cpu +37%/);
  assert.match(frame, /generator rss +90M +cpu +12% ▁▁█ +loop p99 1\.5 ms/);
  assert.doesNotMatch(frame, /saturated/);
  const saturated = snapshotFixture({
    generator: { cpuPercent: 30, rssBytes: 1, eventLoopDelayP99Ms: 120, workers: 2 },
  });
  assert.match(
    frameOf(new FakeEngine(saturated)),
    /⚠ the load generator is saturated \(event-loop delay p99 120 ms\)/,
  );
  assert.match(
    frameOf(new FakeEngine(snapshotFixture({ server: null }))),
    /rss\/cpu unknown: use --spawn or --pid/,
  );
});

test('P99-vs-N chart marks the knee and the ceiling; a level still running cannot set the ceiling', () => {
  const levels = [
    levelFixture(0, 1, 50),
    levelFixture(1, 10, 52),
    levelFixture(2, 20, 55),
    levelFixture(3, 30, 60),
    levelFixture(4, 40, 900),
    levelFixture(5, 50, 2500),
    levelFixture(6, 60, 4000, false),
  ];
  const frame = frameOf(new FakeEngine(snapshotFixture({ levels })));
  // The fixture's throughput obeys N = X·(R + Z) with Z = 2900 ms: X_max at N=60 (mean 2000 ms) is
  // 60/4.9 s, and R₀ + Z = 25.5 + 2900 ms, so N* = 12.24 × 2.9255 ≈ 36.
  assert.match(
    frame,
    /P99 vs N · SLO 2000 · knee 36 \(30–42\) · ceiling 50 \(41–50\) · cliff - · scale at 36/,
  );
  assert.match(frame, /N {2}1 +10 +20 +30 +40 +50 +60/);
  assert.match(frame, /▲knee 36 +✖ceiling 50/);
  const running = frameOf(new FakeEngine(snapshotFixture({ levels: [levelFixture(0, 5, 3000, false)] })));
  assert.match(running, /ceiling - · cliff - · scale at -/);
  assert.match(
    frameOf(new FakeEngine()),
    /P99 per concurrency level appears here once a level has run past its warm-up/,
  );
});

test('the chart marks levels whose P99 had not settled', () => {
  const moving = { ...levelFixture(1, 10, 400), settled: false };
  const levels = [levelFixture(0, 5, 50), moving, levelFixture(2, 15, 600)];
  const frame = frameOf(new FakeEngine(snapshotFixture({ levels })));
  assert.match(frame, /N {2}5 +10~ +15\s/);
  assert.match(frame, /~ P99 not settled at N=10: hold longer/);
  const steady = frameOf(new FakeEngine(snapshotFixture({ levels: [levelFixture(0, 5, 50)] })));
  assert.doesNotMatch(steady, /not settled/);
});

test('event log lines land in their panel', () => {
  assert.match(frameOf(new FakeEngine()), /\d\d:\d\d:\d\d server: something odd/);
});

/** An SGR foreground colour code, e.g. ESC[31m. */
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[3\\dm`);

test('NO_COLOR: no colour codes anywhere on the screen', () => {
  const levels = [
    levelFixture(0, 1, 50),
    levelFixture(1, 10, 60),
    levelFixture(2, 20, 900),
    levelFixture(3, 30, 2500),
  ];
  const engine = new FakeEngine(
    snapshotFixture({ levels, errorsByKind: { timeout: { count: 1, lastMessage: 'slow' } } }),
  );
  const colored = render(<App engine={engine} onQuit={() => undefined} />);
  assert.match(colored.lastFrame() ?? '', COLOUR, 'colours by default');
  colored.unmount();
  const plain = render(
    <ColorContext.Provider value={false}>
      <App engine={engine} onQuit={() => undefined} />
    </ColorContext.Provider>,
  );
  assert.doesNotMatch(plain.lastFrame() ?? '', COLOUR);
  assert.match(stripVTControlCharacters(plain.lastFrame() ?? ''), /▲knee 21 +✖ceiling 30/);
  plain.unmount();
});

test('findings panel: the bottleneck with its evidence', () => {
  const levels = [
    { ...levelFixture(0, 2, 30), serverCpuPercent: 95 },
    { ...levelFixture(1, 12, 900), serverCpuPercent: 98 },
  ];
  const frame = frameOf(new FakeEngine(snapshotFixture({ levels })));
  assert.match(frame, /bottleneck cpu-saturation: server CPU 98% of a core at N=12/);
});

test('a level with too few calls for a P99 is plotted, marked `?`, and said so; it sets no ceiling', () => {
  const few = levelFixture(1, 20, 3000);
  const levels = [
    levelFixture(0, 10, 50),
    { ...few, calls: 12, latencyMs: { ...few.latencyMs!, count: 12 } },
  ];
  const frame = frameOf(new FakeEngine(snapshotFixture({ levels })));
  assert.match(frame, /N {2}10 +20\?/);
  assert.match(frame, /\? fewer than 100 calls at N=20: P99 shown, not counted/);
  assert.match(frame, /ceiling - · cliff -/);
});

test("the chart's y-axis never reads -0.0", () => {
  // asciichart's lowest tick came out as -1e-16 here, and read "-0.0".
  const p99 = 1 + 0.7 * 3; // 3.0999…: a top this close to 3.1 puts the lowest tick at -1e-16
  const points = [p99 / 3, p99 / 2, p99].map((p99Ms, index) => ({
    concurrency: index + 1,
    p99Ms,
    calls: 500,
    errors: 0,
    settled: true,
    meanMs: 1,
    throughput: 1,
    enoughCalls: true,
  }));
  const lines = renderCapacityChart({
    points,
    sloMs: 100_000,
    knee: null,
    ceiling: null,
    width: 78,
    height: 12,
    color: false,
  });
  assert.ok(
    lines.some((line) => /^ +0\.0[┼┤]/.test(line)),
    lines.join('\n'),
  );
  assert.ok(!lines.some((line) => line.includes('-0.0')), lines.join('\n'));
});

test('sessions line: a stateless server counts clients; a protocol mix counts clients without calling them stateless', () => {
  const stateless = snapshotFixture({ protocol: { version: '2026-07-28', stateful: false } });
  assert.match(frameOf(new FakeEngine(stateless)), /concurrent clients \(stateless\) \d+ of N=/);
  const base = snapshotFixture({ protocol: { version: '2026-07-28', stateful: false } });
  const mixed = snapshotFixture({
    protocol: { version: '2026-07-28', stateful: false },
    workload: {
      ...base.workload,
      protocolMix: [
        { revision: '2025-11-25', weight: 50 },
        { revision: '2026-07-28', weight: 50 },
      ],
    },
  });
  const frame = frameOf(new FakeEngine(mixed));
  assert.match(frame, /concurrent clients \d+ of N=\d+ .* clients started/);
  assert.doesNotMatch(frame, /\(stateless\)/);
});
