import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CeilingSearch } from '../source/engine/ceiling-search.js';

test('find-ceiling grows N geometrically, then bisects to within 10%', () => {
  const search = new CeilingSearch(10, () => 2000);
  // A server whose P99 breaks the 2000 ms SLO from 24 sessions on.
  const outcome = (n: number) => () => ({ p99Ms: n >= 24 ? 2500 : 300, calls: 100, errors: 0 });
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
    search.advance(1000, () => ({ p99Ms: 10, calls: 100, errors: 1 })),
    'done',
    '1 → bad: nothing between 0 and 1',
  );
  assert.deepEqual(search.bracket, { good: 0, bad: 1 });
});
