import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bottleneckRun } from '../support/bottleneck-run.js';

test('CPU saturation: server CPU near a core, P95 and P99 climbing together', async () => {
  const report = await bottleneckRun(
    ['--bottleneck', 'cpu', '--cpu-ms', '20'],
    ['--steps', '2,12', '--hold', '3', '--think', '0-50'],
  );
  assert.equal(report.analysis.bottleneck.kind, 'cpu-saturation', JSON.stringify(report.analysis));
  assert.match(report.analysis.bottleneck.evidence[0]!, /server CPU \d+(\.\d)?% of a core at N=12/);
});
