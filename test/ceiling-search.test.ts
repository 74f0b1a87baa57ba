import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CeilingSearch } from '../source/engine/ceiling-search.js';

test('find-ceiling grows N geometrically, then bisects to within 10%', () => {
  const search = new CeilingSearch(10, () => 2000);
  // A server whose P99 breaks the 2000 ms SLO from 24 sessions on.
  const outcome = (n: number) => () => ({
    p99Ms: n >= 24 ? 2500 : 300,
    calls: 100,
    errors: 0,
    settled: true,
  });
  let now = 0;
  let n: number | 'done' | null = search.start(now);
  const visited: number[] = [];
  while (typeof n === 'number') {
    visited.push(n);
    assert.equal(search.advance(now + 5000, outcome(n)), null, 'holds the level');
    now += 10_000;
    n = search.advance(now, outcome(n));
  }
  assert.equal(n, 'done');
  assert.deepEqual(visited, [1, 2, 4, 8, 16, 32, 24, 20, 22]);
  assert.deepEqual(search.bracket, { good: 22, bad: 24 });
  assert.equal(search.state().complete, true);
});

test('errors at 1% of calls also break a level', () => {
  const search = new CeilingSearch(1, () => 2000);
  search.start(0);
  assert.equal(
    search.advance(1000, () => ({ p99Ms: 10, calls: 100, errors: 1, settled: true })),
    'done',
    '1 → bad: nothing between 0 and 1',
  );
  assert.deepEqual(search.bracket, { good: 0, bad: 1 });
});

test('a level still settling is held longer (up to three holds) before it is judged; precision is set', () => {
  const search = new CeilingSearch(10, () => 2000, 50);
  search.start(0);
  const moving = () => ({ p99Ms: 3000, calls: 100, errors: 0, settled: false });
  assert.equal(search.advance(10_000, moving), null, 'not judged while P99 moves');
  assert.ok(Date.parse(search.state().stepEndsAt!) > 10_000, 'the hold is extended');
  assert.equal(search.advance(20_000, moving), null);
  assert.equal(search.advance(30_000, moving), 'done', 'judged at three holds even if still moving');
  const wide = new CeilingSearch(1, () => 2000, 50);
  let n: number | 'done' | null = wide.start(0);
  let now = 0;
  const visited: number[] = [];
  while (typeof n === 'number') {
    visited.push(n);
    now += 1000;
    const at = n;
    n = wide.advance(now, () => ({ p99Ms: at >= 24 ? 2500 : 300, calls: 100, errors: 0, settled: true }));
  }
  // The ceiling's interval (16, 32] is within 50% of the ceiling, 32: done there.
  assert.deepEqual(visited, [1, 2, 4, 8, 16, 32]);
});

test('a level with too few calls for a P99 is held longer before it is judged', () => {
  const search = new CeilingSearch(8, () => 2000);
  search.start(0);
  // --hold 8 at N=1 with a long think time: 3 calls, one of them slow.
  const few = () => ({ p99Ms: 2500, calls: 3, errors: 0, settled: true });
  assert.equal(search.advance(8000, few), null, 'not judged from 3 calls');
  assert.ok(Date.parse(search.state().stepEndsAt!) > 8000, 'the hold is extended');
  const enough = () => ({ p99Ms: 300, calls: 150, errors: 0, settled: true });
  assert.equal(search.advance(13_000, enough), 2, 'judged good once it has 150 calls');
});
