import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../source/ui/app.js';
import { FakeEngine, snapshotFixture } from './support/fake-engine.js';

const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  space: ' ',
} as const;
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

test('shows target, sessions, rolling percentiles, resources and errors from the snapshot', () => {
  const engine = new FakeEngine();
  const { lastFrame, unmount } = render(<App engine={engine} onQuit={() => undefined} />);
  const frame = lastFrame() ?? '';
  assert.match(frame, /streamable-http: http:\/\/127\.0\.0\.1:3001\/mcp · 01:23 · running/);
  assert.match(frame, /sessions 11\/12 · connecting 1 · closing 0 · in flight 4/);
  assert.match(frame, /tool calls 42\.0\/s over 10s · 420 calls/);
  assert.match(
    frame,
    /latency ms {2}p50 5\.2 {2}p90 9\.9 {2}p95 12\.5 {2}p99 48\.1 {2}p99\.9 97\.0 {2}max 120 {2}mean 7\.3/,
  );
  for (const line of frame.split('\n')) assert.ok(line.length <= 80, `fits 80 columns: ${line}`);
  assert.match(frame, /server rss 150M cpu 37%/);
  assert.match(frame, /errors 2 · http-503 2/);
  assert.match(frame, /warn: server: something odd/);
  unmount();
});

test('re-renders when the engine publishes a new snapshot', async () => {
  const engine = new FakeEngine();
  const { lastFrame, unmount } = render(<App engine={engine} onQuit={() => undefined} />);
  engine.publish(
    snapshotFixture({
      state: 'paused',
      sessions: { target: 40, active: 40, connecting: 0, closing: 0, inflight: 0 },
    }),
  );
  await tick();
  assert.match(lastFrame() ?? '', /sessions 40\/40/);
  assert.match(lastFrame() ?? '', /paused/);
  unmount();
});

test('keys change concurrency, pause, mark and quit', async () => {
  const engine = new FakeEngine();
  let quit = 0;
  const { stdin, lastFrame, unmount } = render(<App engine={engine} onQuit={() => (quit += 1)} />);
  await tick();
  for (const key of [KEY.up, KEY.down, KEY.pageUp, KEY.pageDown, KEY.space, 'm']) {
    stdin.write(key);
    await tick();
  }
  assert.deepEqual(engine.calls, [
    'setWorkload {"concurrency":13}',
    'setWorkload {"concurrency":11}',
    'setWorkload {"concurrency":22}',
    'setWorkload {"concurrency":2}',
    'pause',
    'mark marker at N=12',
  ]);
  engine.publish(snapshotFixture({ workload: { ...snapshotFixture().workload, concurrency: 995 } }));
  await tick();
  stdin.write(KEY.pageUp);
  await tick();
  assert.match(lastFrame() ?? '', /--concurrency: too big/);
  stdin.write('q');
  await tick();
  assert.equal(quit, 1);
  unmount();
});
