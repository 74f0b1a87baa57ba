import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArrivalBacklog, BACKLOG_LIMIT } from '../source/engine/arrival-backlog.js';
import { Level } from '../source/engine/levels.js';
import { percentilesOf } from '../source/metrics/histogram.js';
import { decodeInterval, encodeInterval, IntervalRecorder } from '../source/metrics/recorder.js';
import { fellBehind, scheduleLagMs } from '../source/metrics/schedule-lag.js';
import { exponentialMs } from '../source/engine/shard-workload.js';
import { mulberry32 as seeded } from './support/queue-sim.js';

/**
 * A generator of `cap` sessions at once, each making one call of `serviceMs`, under Poisson arrivals at
 * `rate`/s on a simulated clock: the pool's backlog and the recorder the engine uses, driven by events.
 * Returns the recorder's interval and the lag of every call, as the simulation computed it.
 */
function simulate(rate: number, serviceMs: number, cap: number, arrivals: number) {
  const random = seeded(14);
  const recorder = new IntervalRecorder();
  const backlog = new ArrivalBacklog();
  const lags: number[] = [];
  // When each open session ends, ascending.
  let ends: number[] = [];
  const start = (intendedAt: number, now: number): void => {
    const lag = scheduleLagMs(intendedAt, now);
    recorder.recordArrival(lag);
    recorder.recordCall('work', serviceMs, undefined, undefined, lag);
    lags.push(lag);
    ends = [...ends, now + serviceMs].sort((a, b) => a - b);
  };
  const endUntil = (now: number): void => {
    while (ends.length > 0 && ends[0]! <= now) {
      const endedAt = ends.shift()!;
      const due = backlog.next(ends.length, cap);
      if (due !== undefined) start(due, endedAt);
    }
  };
  let at = 0;
  for (let arrival = 0; arrival < arrivals; arrival += 1) {
    at += exponentialMs(rate, random);
    endUntil(at);
    if (backlog.admit(at, ends.length, cap) === 'start') start(at, at);
  }
  endUntil(Number.POSITIVE_INFINITY);
  return { interval: recorder.drain(), lags };
}

test('a generator that falls behind its schedule: corrected latency = uncorrected + lag, call by call', () => {
  // One session at a time, 40 ms each: 25 calls/s at most, asked for 40/s.
  const { interval, lags } = simulate(40, 40, 1, 400);
  const uncorrected = percentilesOf(interval.call)!;
  const corrected = percentilesOf(interval.corrected!)!;
  const lag = percentilesOf(interval.scheduleLag!)!;
  assert.equal(uncorrected.count, 400, 'no arrival was dropped: the backlog holds them');
  assert.equal(corrected.count, uncorrected.count, 'every timed call is timed both ways');
  // From the actual start every call took its 40 ms: the wait is hidden there.
  assert.ok(Math.abs(uncorrected.p99 - 40) < 0.1, `uncorrected p99 ${uncorrected.p99}`);
  // From the intended start each call took 40 ms + its lag: the corrected histogram is the lag's, shifted.
  const sorted = [...lags].sort((a, b) => a - b);
  const lagP99 = sorted[Math.ceil(0.99 * sorted.length) - 1]!;
  assert.ok(lagP99 > 1000, `the backlog grew: lag p99 ${lagP99} ms`);
  const within = (value: number, expected: number): boolean => Math.abs(value - expected) <= expected * 0.002;
  assert.ok(within(corrected.p99, lagP99 + 40), `corrected p99 ${corrected.p99}, lag p99 ${lagP99} + 40`);
  assert.ok(within(lag.p99, lagP99), `recorded lag p99 ${lag.p99}, simulated ${lagP99}`);
  const meanLag = lags.reduce((sum, value) => sum + value, 0) / lags.length;
  assert.ok(Math.abs(corrected.mean - uncorrected.mean - meanLag) <= meanLag * 0.002);
  assert.ok(fellBehind(uncorrected, corrected));
});

test('a generator that keeps its schedule: corrected and uncorrected agree, and nothing says behind', () => {
  // Four sessions at once for 5/s of 40 ms calls: an arrival almost never waits.
  const { interval } = simulate(5, 40, 4, 400);
  const uncorrected = percentilesOf(interval.call)!;
  const corrected = percentilesOf(interval.corrected!)!;
  assert.ok(corrected.p99 - uncorrected.p99 < 1, `${corrected.p99} vs ${uncorrected.p99}`);
  assert.equal(fellBehind(uncorrected, corrected), false);
});

test('the backlog waits up to the cap, then turns arrivals away; a closed-model call is timed once', () => {
  const backlog = new ArrivalBacklog();
  assert.equal(backlog.admit(0, 1, 2), 'start');
  for (let due = 1; due <= BACKLOG_LIMIT; due += 1) assert.equal(backlog.admit(due, 2, 2), 'wait');
  assert.equal(backlog.admit(BACKLOG_LIMIT + 1, 2, 2), 'drop');
  assert.equal(backlog.next(2, 2), undefined, 'no session ended: nothing starts');
  assert.equal(backlog.next(1, 2), 1, 'the oldest waiting arrival starts first, with the time it was due');
  assert.equal(backlog.admit(BACKLOG_LIMIT + 2, 1, 2), 'wait', 'a new arrival queues behind the waiting');
  const recorder = new IntervalRecorder();
  recorder.recordCall('fast', 3);
  const closed = recorder.drain();
  assert.equal(closed.corrected, null);
  assert.equal(closed.scheduleLag, null);
});

test('the corrected histogram and the lag cross the worker boundary and reach the level', () => {
  const recorder = new IntervalRecorder();
  recorder.recordArrival(250);
  recorder.recordCall('work', 50, undefined, undefined, 250);
  const interval = decodeInterval(structuredClone(encodeInterval(recorder.drain())));
  const level = new Level(0, 0, 0, 0, 5);
  level.add(interval, 1000);
  const summary = level.summary(2000, true);
  assert.ok(Math.abs(summary.latencyMs!.p99 - 50) < 0.1);
  assert.ok(Math.abs(summary.latencyCorrectedMs!.p99 - 300) < 0.5, `${summary.latencyCorrectedMs?.p99}`);
  assert.ok(Math.abs(summary.scheduleLagMs!.p99 - 250) < 0.5);
  assert.notEqual(summary.histogramCorrected, null);
});
