import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { App } from '../source/ui/app.js';
import { FakeEngine, levelFixture, snapshotFixture } from './support/fake-engine.js';
import { flush, KEY } from './support/ink-keys.js';

function setup(engine = new FakeEngine(), onExportReport?: () => Promise<string>) {
  let quits = 0;
  const view = render(<App engine={engine} onQuit={() => (quits += 1)} onExportReport={onExportReport} />);
  const press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) {
      view.stdin.write(key);
      await flush();
    }
  };
  const frame = (): string => stripVTControlCharacters(view.lastFrame() ?? '');
  return { engine, press, frame, quits: () => quits, unmount: view.unmount };
}

test('↑ ↓ PgUp PgDn → ← change concurrency by 1 and 10, from the latest value', async () => {
  const { engine, press, unmount } = setup();
  await press(KEY.up, KEY.up, KEY.down, KEY.pageUp, KEY.right, KEY.pageDown, KEY.left);
  assert.deepEqual(
    engine.calls.map(
      (call) => (JSON.parse(call.replace('setWorkload ', '')) as { concurrency: number }).concurrency,
    ),
    [13, 14, 13, 23, 33, 23, 13],
  );
  unmount();
});

test('in the open model the keys change the arrival rate: ↑↓ ×÷1.1, PgUp/PgDn ×÷2, n sets it', async () => {
  const base = snapshotFixture();
  const engine = new FakeEngine(snapshotFixture({ workload: { ...base.workload, arrivalRate: 2 } }));
  const { press, frame, unmount } = setup(engine);
  assert.match(frame(), /sessions 11 open · arriving 2\/s \(Poisson\)/);
  await press(KEY.up, KEY.up, KEY.down, KEY.pageUp, KEY.pageDown, KEY.pageDown);
  assert.deepEqual(
    engine.calls.map(
      (call) => (JSON.parse(call.replace('setWorkload ', '')) as { arrivalRate: number }).arrivalRate,
    ),
    [2.2, 2.4, 2.2, 4.4, 2.2, 1.1],
  );
  await press('n', '0', '.', '5', KEY.enter);
  assert.equal(engine.snapshot.workload.arrivalRate, 0.5);
  assert.equal(engine.snapshot.workload.concurrency, 12, 'N is an outcome in the open model, not a setting');
  assert.match(frame(), /↑↓×÷1\.1 PgUp\/Dn×÷2 n:rate/, 'the hints that fit 100 columns');
  await press('s');
  assert.match(frame(), /› arrivals per second +0\.5/);
  assert.doesNotMatch(frame(), /arrival jitter/);
  unmount();
});

test('n, digits, Enter sets an exact concurrency; Esc cancels; a bad value explains itself', async () => {
  const { engine, press, frame, unmount } = setup();
  await press('n', '4', '5');
  assert.match(frame(), /sessions \(N\): 45▏ Enter to apply · Esc to cancel/);
  await press(KEY.backspace, '0', KEY.enter);
  assert.equal(engine.snapshot.workload.concurrency, 40);
  await press('n', '9', KEY.escape);
  assert.equal(engine.snapshot.workload.concurrency, 40);
  assert.doesNotMatch(frame(), /sessions \(N\):/);
  await press('n', '2', '0', '0', '0', '0', '0', '0', KEY.enter);
  assert.match(frame(), /--concurrency: Too big/);
  unmount();
});

test('space pauses and resumes; m drops a marker; a toggles the step walk or explains', async () => {
  const { engine, press, frame, unmount } = setup();
  await press(' ');
  assert.match(frame(), /· paused ·/);
  await press(' ', 'm');
  assert.match(frame(), /marker label: ▏ Enter to drop it/);
  await press(KEY.enter);
  assert.deepEqual(engine.calls, ['pause', 'resume', 'mark marker at N=12']);
  assert.match(frame(), /marker at N=12 \(\d\d:\d\d:\d\d\)/);
  await press(`mdb failover${KEY.enter}`, 'm', 'x', KEY.escape);
  assert.deepEqual(engine.calls.slice(3), ['mark db failover'], 'a pasted label; Esc drops nothing');
  unmount();
});

test('a without a plan opens the plan editor with its defaults; pasted values and Enter start the plan', async () => {
  const { engine, press, frame, unmount } = setup();
  await press('a');
  assert.match(frame(), /Plan \(↑↓ field/);
  assert.match(frame(), /› start N +12▏/, 'the N held now');
  assert.match(frame(), /step +12/);
  assert.match(frame(), /hold s +300/);
  assert.match(frame(), /max N +48/);
  assert.match(frame(), /steps 12, 24, 36, 48 · each held 300 s/);
  await press(KEY.escape);
  assert.doesNotMatch(frame(), /Plan \(/);
  assert.deepEqual(engine.calls, [], 'Esc starts nothing');
  // Pasted: each field's value arrives in one chunk, the last one with Enter.
  await press('a', '10', KEY.down, '5', KEY.down, '60', KEY.down, `25${KEY.enter}`);
  assert.deepEqual(engine.calls, ['startPlan {"steps":[10,15,20,25],"holdS":60}']);
  assert.doesNotMatch(frame(), /Plan \(/);
  assert.match(frame(), /plan started: steps 10, 15, 20, 25 · each held 60 s/);
  assert.match(frame(), /stepping level 1 of 4 \(N=10, 60s left\)/);
  assert.equal(engine.snapshot.workload.concurrency, 10);
  unmount();
});

test('the plan editor: find ceiling instead of max N; a bad plan explains itself and stays open', async () => {
  const { engine, press, frame, unmount } = setup();
  await press(`a${KEY.down}${KEY.down}5${KEY.enter}`);
  assert.match(frame(), /a hold of 5 s leaves nothing after the 10 s warm-up to measure/);
  assert.match(frame(), /Plan \(/, 'still open to fix it');
  await press(KEY.backspace, `90`, KEY.down, ' ');
  assert.match(frame(), /up to +find ceiling/);
  assert.match(frame(), /ceiling search: N = 1, 2, 4, … then bisect · each level held 90 s/);
  await press(KEY.enter);
  assert.equal(engine.calls.at(-1), 'startPlan {"findCeiling":true,"holdS":90}');
  assert.match(frame(), /ceiling: good - · bad - · probing N=1/);
  unmount();
});

test('s edits jitter, think time, calls per session, timeout and SLO live', async () => {
  const { engine, press, frame, unmount } = setup();
  await press('s');
  assert.match(frame(), /Settings/);
  assert.match(frame(), /› sessions \(N\) +12/);
  await press(KEY.down, KEY.down, KEY.enter);
  assert.match(frame(), /› think time ms +1000-5000▏/);
  await press(KEY.backspace.repeat(9), '200-400', KEY.enter);
  assert.deepEqual(engine.snapshot.workload.thinkMs, { min: 200, max: 400 });
  await press(KEY.down, KEY.down, KEY.down, KEY.enter, KEY.backspace.repeat(4), '5000', KEY.enter);
  assert.equal(engine.snapshot.workload.sloMs, 5000);
  await press(KEY.up, KEY.up, KEY.up, KEY.up, KEY.enter, KEY.backspace.repeat(4), '250', KEY.enter);
  assert.equal(engine.snapshot.workload.jitterMs, 250);
  await press(KEY.down, KEY.enter, KEY.backspace.repeat(9), '9-3', KEY.enter);
  assert.match(frame(), /--think: MIN must not exceed MAX/);
  await press(KEY.escape, KEY.escape);
  assert.doesNotMatch(frame(), /Settings/);
  unmount();
});

test('pasted or fast-typed values with Enter in one chunk are applied in n and s', async () => {
  const { engine, press, frame, unmount } = setup();
  await press('n', `30${KEY.enter}`);
  assert.equal(engine.snapshot.workload.concurrency, 30, 'n with "30\\r" in one chunk sets N');
  assert.doesNotMatch(frame(), /sessions \(N\):/);
  await press(`n45${KEY.backspace}0${KEY.enter}`);
  assert.equal(engine.snapshot.workload.concurrency, 40, 'a whole chunk with a backspace in it');
  await press('s', KEY.down, KEY.down, KEY.enter, KEY.backspace.repeat(9), `300-600${KEY.enter}`);
  assert.deepEqual(engine.snapshot.workload.thinkMs, { min: 300, max: 600 });
  assert.match(frame(), /think time ms = 300-600/);
  unmount();
});

test('a value typed or pasted into a setting replaces the value shown; Backspace edits it instead', async () => {
  const { engine, press, frame, unmount } = setup();
  await press('s', KEY.down, KEY.down, KEY.enter);
  assert.match(frame(), /type a new value, or ⌫ to edit this one/);
  // Pasted into the field as it opened with 1000-5000: it used to make 1000-5000200-800, refused.
  await press(`200-800${KEY.enter}`);
  assert.deepEqual(engine.snapshot.workload.thinkMs, { min: 200, max: 800 });
  await press(KEY.down, KEY.down, KEY.down, KEY.enter, '3', '0', '0', '0', KEY.enter);
  assert.equal(engine.snapshot.workload.sloMs, 3000, 'typed key by key, the first key replaces the value');
  await press(KEY.enter, KEY.backspace, '5', KEY.enter);
  assert.equal(engine.snapshot.workload.sloMs, 3005, 'Backspace keeps the value to edit it');
  unmount();
});

test('t edits the tool mix with weights and effective shares', async () => {
  const engine = new FakeEngine(
    snapshotFixture({ workload: { ...snapshotFixture().workload, mix: [{ tool: 'fast', weight: 3 }] } }),
  );
  const { press, frame, unmount } = setup(engine);
  await press('t');
  assert.match(frame(), /› fast +weight 3 +100\.0%/);
  assert.match(frame(), /slow +weight 0 +0\.0%/);
  await press(KEY.down, KEY.right);
  assert.deepEqual(engine.snapshot.workload.mix, [
    { tool: 'fast', weight: 3 },
    { tool: 'slow', weight: 1 },
  ]);
  assert.match(frame(), /› slow +weight 1 +25\.0%/);
  await press(']', '+', '-');
  assert.deepEqual(engine.snapshot.workload.mix?.[1], { tool: 'slow', weight: 11 });
  await press('[', KEY.left);
  assert.deepEqual(engine.snapshot.workload.mix?.[1], undefined);
  await press(KEY.up, '0');
  assert.match(frame(), /keep at least one tool in the mix/);
  await press(KEY.escape);
  assert.doesNotMatch(frame(), /Tool mix/);
  unmount();
});

test('e writes the report now, ? shows help, q and Ctrl-C quit', async () => {
  const { press, frame, quits, unmount } = setup(new FakeEngine(), () =>
    Promise.resolve('report written to now.json'),
  );
  await press('e');
  await flush();
  assert.match(frame(), /report written to now\.json/);
  await press('?');
  assert.match(frame(), /Keys/);
  assert.match(frame(), /one session more \/ fewer/);
  await press(KEY.pageDown);
  assert.match(frame(), /drop a labelled, timestamped marker/);
  await press('?');
  assert.doesNotMatch(frame(), /Keys/);
  await press('q');
  assert.equal(quits(), 1);
  unmount();
  const other = setup();
  await other.press('s', KEY.ctrlC);
  assert.equal(other.quits(), 1, 'Ctrl-C quits from any mode');
  other.unmount();
});

test('f shows every finding with its evidence, live; f or Esc closes it', async () => {
  const levels = [10, 20, 30, 40, 50].map((n, index) =>
    levelFixture(index, n, n <= 30 ? 50 + n / 10 : n * 50),
  );
  const { press, frame, unmount } = setup(new FakeEngine(snapshotFixture({ levels })));
  await press('f');
  assert.match(frame(), /Findings \(f or Esc closes\)/);
  assert.match(frame(), /capacity +knee \d+ \(\d+–\d+\) · ceiling 50 \(41–50\) · cliff - · scale at \d+/);
  assert.match(frame(), /plan +Scale out at \d+ concurrent sessions per replica/);
  assert.match(frame(), /memory +unknown/);
  assert.match(frame(), /knee +X_max [\d.]+ calls\/s \(N=\d+\) × \(R₀ [\d.]+ ms \+ Z [\d.]+ ms\)/);
  assert.doesNotMatch(frame(), /sample +too few calls/, 'every level had 200 calls');
  assert.doesNotMatch(frame(), /P99 vs N/, 'in place of the chart');
  assert.match(
    frame(),
    /Findings \(f or Esc closes\) · rows 1–\d+ of \d+, ↑↓ scroll/,
    'taller than its room',
  );
  await press(KEY.pageDown);
  assert.match(frame(), /independence +not checked/, 'PgDn scrolls to the last findings');
  await press('f');
  assert.match(frame(), /P99 vs N/);
  unmount();
});

test('keys that arrive in one chunk (typed fast, over SSH) act one by one', async () => {
  const { engine, press, frame, unmount } = setup();
  await press(' f');
  assert.deepEqual(engine.calls, ['pause'], 'space paused');
  assert.match(frame(), /Findings \(f or Esc closes\)/, 'then f opened the findings');
  unmount();
  const other = setup();
  await other.press('n45');
  assert.match(other.frame(), /sessions \(N\): 45▏/);
  await other.press(KEY.enter);
  assert.equal(other.engine.snapshot.workload.concurrency, 45);
  other.unmount();
});

test('without --report, e says how to get one', async () => {
  const { press, frame, unmount } = setup();
  await press('e');
  await flush();
  assert.match(frame(), /no report file: start with --report FILE\.json/);
  unmount();
});

test('a notice clears itself after five seconds', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { press, frame, unmount } = setup();
    await press('n', '0', '.', '5', KEY.enter);
    assert.match(frame(), /--concurrency/);
    await press(KEY.escape);
    mock.timers.tick(4900);
    await flush();
    assert.match(frame(), /--concurrency/);
    mock.timers.tick(200);
    await flush();
    assert.doesNotMatch(frame(), /--concurrency/);
    assert.match(frame(), /q:quit \?:help/);
    unmount();
  } finally {
    mock.timers.reset();
  }
});

test('re-renders when the engine publishes a new snapshot', async () => {
  const { engine, frame, unmount } = setup();
  engine.publish(
    snapshotFixture({ sessions: { target: 40, active: 40, connecting: 0, closing: 0, inflight: 0 } }),
  );
  await flush();
  assert.match(frame(), /sessions 40 of N=40/);
  unmount();
});
