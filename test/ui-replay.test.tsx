import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { readRecording, snapshotAt } from '../source/replay/read-recording.js';
import { RecordingWriter } from '../source/replay/recording-writer.js';
import { ReplayPlayer } from '../source/replay/replay-player.js';
import { ReplayApp } from '../source/ui/replay-app.js';
import { levelFixture, snapshotFixture } from './support/fake-engine.js';
import { flush, KEY } from './support/ink-keys.js';

/** A real recording, written and read back by the real writer and reader: three seconds, N 5 → 10. */
async function recordThreeSeconds(): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'mle-replay-ui-')), 'run.ndjson');
  const first = snapshotFixture({ elapsedMs: 0, levels: [levelFixture(0, 5, 50, false)] });
  const writer = new RecordingWriter(file, first);
  writer.observe(first);
  const second = snapshotFixture({
    elapsedMs: 1000,
    levels: [levelFixture(0, 5, 50), levelFixture(1, 10, 700, false)],
    actions: [{ at: '2026-11-23T10:00:01.000Z', kind: 'workload', detail: 'concurrency=10' }],
  });
  writer.observe(second);
  const third = snapshotFixture({
    elapsedMs: 2000,
    levels: [levelFixture(0, 5, 50), levelFixture(1, 10, 900, false)],
    actions: second.actions,
  });
  writer.end(third, 'quit');
  return file;
}

test('replay shows each recorded second on the live panels and steps through them with the keys', async () => {
  const recording = await readRecording(await recordThreeSeconds());
  assert.equal(recording.frames.length, 3);
  const player = new ReplayPlayer(recording, { paused: true });
  let quits = 0;
  const view = render(<ReplayApp player={player} onQuit={() => (quits += 1)} />);
  const frame = (): string => stripVTControlCharacters(view.lastFrame() ?? '');
  const press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) {
      view.stdin.write(key);
      await flush();
    }
  };
  await flush();
  assert.match(
    frame(),
    /REPLAY 00:00 \/ 00:02 · second 1 of 3 · ❚❚ paused \(1×\) · ended: quit · run\.ndjson/,
  );
  assert.match(frame(), /N {2}5\n/, 'only the level being held at N=5 so far');
  assert.match(frame(), /\d\d:\d\d:\d\d server: something odd/, 'the event log is recorded');
  await press(KEY.right);
  assert.match(frame(), /00:01 \/ 00:02 · second 2 of 3/);
  // The run moved on to N=10 in the second recorded second: both levels are on the chart now.
  assert.match(frame(), /N {2}5 +10/);
  await press(KEY.end);
  assert.match(frame(), /second 3 of 3/);
  assert.match(frame(), /p99 now/);
  await press(KEY.left, KEY.left);
  assert.match(frame(), /second 1 of 3/);
  await press(KEY.up);
  assert.match(frame(), /paused \(2×\)/);
  await press('?');
  assert.match(frame(), /one recorded second forward \/ back/);
  await press('?', 'q');
  assert.equal(quits, 1);
  view.unmount();
  player.stop();
});

test('playing advances one recorded second per second at 1×, faster at higher speeds, and stops at the end', async () => {
  const recording = await readRecording(await recordThreeSeconds());
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const player = new ReplayPlayer(recording, { speed: 1 });
    assert.equal(player.getPlayback().playing, true);
    mock.timers.tick(999);
    assert.equal(player.getPlayback().position, 0);
    mock.timers.tick(1);
    assert.equal(player.getPlayback().position, 1);
    assert.equal(player.getSnapshot().elapsedMs, 1000);
    player.changeSpeed(1);
    mock.timers.tick(500);
    assert.equal(player.getPlayback().position, 2);
    mock.timers.tick(5000);
    assert.deepEqual([player.getPlayback().position, player.getPlayback().playing], [2, false]);
    player.toggle();
    assert.equal(player.getPlayback().position, 0, 'playing again from the end starts over');
    player.stop();
  } finally {
    mock.timers.reset();
  }
});

test('a recording whose frames carry no start time (made before they did) replays with the header’s', async () => {
  const file = await recordThreeSeconds();
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  const older = lines.map((line) => {
    const parsed = JSON.parse(line) as { type: string; snapshot?: Record<string, unknown> };
    if (parsed.type === 'frame') delete parsed.snapshot!.startedAt;
    return JSON.stringify(parsed);
  });
  await writeFile(file, `${older.join('\n')}\n`);
  const recording = await readRecording(file);
  for (let index = 0; index < recording.frames.length; index += 1) {
    const snapshot = snapshotAt(recording, index);
    assert.equal(snapshot.startedAt, recording.header.startedAt);
    assert.ok(Number.isFinite(Date.parse(snapshot.startedAt) + snapshot.elapsedMs), 'a clock to count from');
  }
});
