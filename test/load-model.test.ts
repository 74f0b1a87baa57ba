import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigSchema } from '../source/config/schema.js';
import { LoadEngine } from '../source/engine/load-engine.js';
import { loadModelOf } from '../source/engine/load-model.js';

const closedWorkload = ConfigSchema.parse({ concurrency: 10 });
const openWorkload = ConfigSchema.parse({ arrivalRate: 3 });

test('the model follows the workload: an arrival rate makes it open, and so does a level with one', () => {
  assert.equal(loadModelOf(closedWorkload).kind, 'closed');
  assert.equal(loadModelOf(openWorkload).kind, 'open');
  assert.equal(loadModelOf({ arrivalRate: null }).kind, 'closed');
  assert.equal(loadModelOf({ arrivalRate: 0 }).kind, 'open');
});

test('shards share the level: N split in whole sessions, the rate split evenly', () => {
  const closed = loadModelOf(closedWorkload);
  const shares = [0, 1, 2].map((shard) => closed.share(closedWorkload, shard, 3));
  assert.deepEqual(
    shares.map((share) => share.concurrency),
    [4, 3, 3],
  );
  assert.ok(shares.every((share) => share.arrivalRate === undefined));
  const open = loadModelOf(openWorkload);
  const rates = [0, 1].map((shard) => open.share(openWorkload, shard, 2).arrivalRate ?? 0);
  assert.equal(
    rates.reduce((sum, rate) => sum + rate, 0),
    3,
  );
  assert.deepEqual(open.idle, { concurrency: 0, arrivalRate: 0 });
  assert.deepEqual(closed.idle, { concurrency: 0 });
});

test("each model sets its own knob and refuses the other's", () => {
  const closed = loadModelOf(closedWorkload);
  const open = loadModelOf(openWorkload);
  assert.deepEqual(closed.setting(7), { concurrency: 7 });
  assert.deepEqual(open.setting(7), { arrivalRate: 7 });
  assert.match(closed.refusal({ arrivalRate: 2 }) ?? '', /--arrival-rate/);
  assert.equal(closed.refusal({ concurrency: 2 }), null);
  assert.match(open.refusal({ concurrency: 2 }) ?? '', /arrival rate, not N/);
  assert.equal(open.refusal({ arrivalRate: 2 }), null);
});

test('↑↓ nudge N by one (never below 0) and the rate by 10 % (PgUp/PgDn: twice, half)', () => {
  const closed = loadModelOf(closedWorkload);
  const open = loadModelOf(openWorkload);
  assert.deepEqual(closed.nudge(closedWorkload, 10), { concurrency: 20 });
  assert.deepEqual(closed.nudge({ ...closedWorkload, concurrency: 3 }, -10), { concurrency: 0 });
  assert.deepEqual(open.nudge(openWorkload, 1), { arrivalRate: 3.3 });
  assert.deepEqual(open.nudge(openWorkload, 10), { arrivalRate: 6 });
  assert.deepEqual(open.nudge(openWorkload, -10), { arrivalRate: 1.5 });
  assert.deepEqual(open.nudge({ ...openWorkload, arrivalRate: 0 }, 1), { arrivalRate: 0.1 });
});

test("a level's N: the N set in the closed model, the mean of sessions open in the open one", () => {
  assert.equal(loadModelOf(closedWorkload).levelN(10, 7.6), 10);
  assert.equal(loadModelOf(openWorkload).levelN(10, 7.6), 8);
  assert.equal(loadModelOf(openWorkload).levelN(10, null), 0);
  assert.equal(loadModelOf(closedWorkload).label(5), 'N=5');
  assert.equal(loadModelOf(openWorkload).label(2.5), '2.5/s');
});

test('before a plan starts, the snapshot shows its first step, not the --concurrency it overrides', () => {
  const target = { transport: 'streamable-http' as const, url: 'http://127.0.0.1:9/mcp', headers: {} };
  const cases = [
    [{ steps: '2,5', holdS: 20 }, 'concurrency', 2],
    [{ findCeiling: true, holdS: 20 }, 'concurrency', 1],
    [{ arrivalRate: 3, steps: '4,8', holdS: 20 }, 'arrivalRate', 4],
  ] as const;
  for (const [plan, knob, first] of cases) {
    const config = ConfigSchema.parse({ url: target.url, concurrency: 10, mix: 'fast:1', ...plan });
    const engine = new LoadEngine({ config, target, mix: config.mix!, tools: [] });
    assert.equal(engine.getSnapshot().workload[knob], first, JSON.stringify(plan));
  }
});
