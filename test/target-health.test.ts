import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TargetHealth, TARGET_FAILED_MS } from '../source/engine/target-health.js';
import { IntervalRecorder } from '../source/metrics/recorder.js';

/** Seconds of intervals in which every session start failed with `kind`; then the load ends. */
function quietRun(kind: string): TargetHealth {
  const start = 1_000_000;
  const health = new TargetHealth(start);
  health.begin(start);
  const recorder = new IntervalRecorder();
  recorder.recordInitialize(5);
  health.observe([recorder.drain()], start + 500);
  let now = start + 500;
  for (let second = 1; now - start < TARGET_FAILED_MS + 2000; second += 1) {
    now = start + 500 + second * 1000;
    for (let i = 0; i < 40; i += 1) recorder.recordError(kind, `initialize: connect ${kind} 127.0.0.1:3000`);
    health.observe([recorder.drain()], now);
  }
  health.end(now);
  return health;
}

test('a run whose sessions start, then only fail to connect, ended because its target failed', () => {
  assert.match(quietRun('connect-refused').failure() ?? '', /^the target failed: .*connect-refused/);
});

test("the generator's own limits are not the target's failure: held sessions through EMFILE end normally", () => {
  // Seen in test/e2e-limits.test.ts: 600 sessions under ulimit -n 400 with 60 s of think time, where no
  // call was due and each new session failed for a descriptor, exited 5 as if the demo server had failed.
  assert.equal(quietRun('generator-fd-limit').failure(), null);
  assert.equal(quietRun('generator-port-limit').failure(), null);
});
