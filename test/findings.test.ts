import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssertionSchema, checkAssertions } from '../source/analysis/assertions.js';
import { analyse } from '../source/analysis/findings.js';
import { levelFixture } from './support/fake-engine.js';

const curve = [
  levelFixture(0, 1, 50),
  levelFixture(1, 10, 52),
  levelFixture(2, 20, 55),
  levelFixture(3, 30, 60),
  levelFixture(4, 40, 900),
  { ...levelFixture(5, 50, 2500), errors: 3 },
  { ...levelFixture(6, 60, 4000), errors: 10 },
];

test('knee, ceiling, cliff and the scaling recommendation', () => {
  const findings = analyse(curve, 2000);
  assert.equal(findings.kneeConcurrency, 30);
  assert.equal(findings.ceilingConcurrency, 50);
  assert.equal(findings.cliffConcurrency, 50, '3 errors in 200 calls is 1.5%');
  assert.equal(findings.recommendedScaleAt, 30);
  assert.match(findings.recommendation, /^Scale out at 30 concurrent sessions per replica \(the knee/);
  assert.match(findings.recommendation, /P99 breaks the 2000 ms SLO or errors reach 1% at 50 sessions/);
});

test('without a knee the recommendation is the last level within the SLO', () => {
  const findings = analyse([levelFixture(0, 10, 100), levelFixture(1, 20, 3000)], 2000);
  assert.equal(findings.kneeConcurrency, null);
  assert.equal(findings.ceilingConcurrency, 20);
  assert.equal(findings.recommendedScaleAt, 10);
  assert.equal(analyse([], 2000).recommendedScaleAt, null);
});

test('assertions hold on every level, and name the worst one', () => {
  const parse = (text: string) => AssertionSchema.parse(text);
  const [p99, errors, calls] = checkAssertions(
    [parse('p99<2000'), parse('errors<1%'), parse('calls>=200')],
    curve,
  );
  assert.deepEqual(p99, { expression: 'p99<2000', passed: false, worst: { concurrency: 60, value: 4000 } });
  assert.deepEqual(errors, { expression: 'errors<1%', passed: false, worst: { concurrency: 60, value: 5 } });
  assert.equal(calls?.passed, true);
  assert.equal(checkAssertions([parse('p99<5000')], curve)[0]?.passed, true);
  assert.equal(checkAssertions([parse('p99<5000')], [])[0]?.passed, false, 'nothing measured is a failure');
  assert.throws(() => parse('p100<5'), /is not METRIC<VALUE/);
  assert.throws(() => parse('p99<5%'), /only errors can be a percentage/);
});
