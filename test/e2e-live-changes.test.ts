import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigSchema } from '../source/config/schema.js';
import { LoadEngine } from '../source/engine/load-engine.js';
import { preflight } from '../source/engine/preflight.js';
import { waitFor } from './support/processes.js';
import { demoForFile } from './support/servers.js';

const demo = demoForFile();

for (const workers of [0, 2]) {
  test(`raising and lowering N live changes the sessions the server holds (workers: ${workers})`, async () => {
    const config = ConfigSchema.parse({
      url: demo().url,
      concurrency: 3,
      thinkMs: '50-100',
      sessionCalls: '5-10',
      jitterMs: 100,
      mix: 'fast:1',
      warmupS: 0,
      workers,
    });
    const target = { transport: 'streamable-http' as const, url: demo().url, headers: {} };
    const checked = await preflight(target, { mix: config.mix, args: {}, timeoutMs: 5000 });
    const engine = new LoadEngine({ config, target, mix: config.mix!, tools: checked.tools, publishHz: 10 });
    engine.start();
    const held = async (n: number): Promise<boolean> => (await demo().stats()).sessions.active === n;
    let final;
    try {
      await waitFor(() => held(3), 10_000, 'server to hold 3 sessions');
      engine.setWorkload({ concurrency: 8 });
      await waitFor(() => held(8), 10_000, 'server to hold 8 sessions');
      engine.setWorkload({ concurrency: 2 });
      await waitFor(() => held(2), 10_000, 'server to hold 2 sessions');
      await waitFor(() => engine.getSnapshot().sessions.active === 2, 5000, 'engine to count 2 sessions');
    } finally {
      final = await engine.stop();
    }
    assert.equal(final.totals.errors, 0, JSON.stringify(final.errorsByKind));
    assert.deepEqual(
      final.levels.map((level) => level.concurrency),
      [3, 8, 2],
    );
    assert.ok(final.actions.some((action) => action.detail === 'concurrency=8'));
    assert.equal(final.totals.sessionsOpened, final.totals.sessionsClosed);
    assert.equal((await demo().stats()).sessions.active, 0);
  });
}

test('a tick that throws while absorbing is logged, and later ticks still measure', async () => {
  const config = ConfigSchema.parse({
    url: demo().url,
    concurrency: 2,
    thinkMs: '20-40',
    mix: 'fast:1',
    warmupS: 0,
    workers: 0,
  });
  const target = { transport: 'streamable-http' as const, url: demo().url, headers: {} };
  const checked = await preflight(target, { mix: config.mix, args: {}, timeoutMs: 5000 });
  const engine = new LoadEngine({ config, target, mix: config.mix!, tools: checked.tools, publishHz: 10 });
  // The engine's measurements are private: reach in once to make the next absorb throw.
  const measured = (engine as unknown as { measured: { absorb: (...args: unknown[]) => void } }).measured;
  const absorb = measured.absorb.bind(measured);
  let thrown = 0;
  measured.absorb = (...args) => {
    if (thrown++ === 0) throw new Error('absorb broke');
    absorb(...args);
  };
  engine.start();
  let final;
  try {
    await waitFor(
      () => engine.getSnapshot().totals.calls >= 10,
      10_000,
      'calls measured after the failed tick',
    );
  } finally {
    final = await engine.stop();
  }
  assert.ok(thrown > 1, 'absorb ran again after it threw');
  assert.ok(final.events.some((event) => /measurement tick failed: absorb broke/.test(event.message)));
});
