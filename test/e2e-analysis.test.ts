import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderMarkdown } from '../source/report/markdown-report.js';
import { bottleneckRun } from './support/bottleneck-run.js';

// Each test runs its own demo servers and mostly waits on them: side by side, as are the two 3 s
// independence runs (a 6 s soak takes about as long).
describe('analysis findings', { concurrency: 2 }, () => {
  test('session independence: the state leak is caught, a clean server passes', async () => {
    const load = [
      '--check-independence',
      'work.nonce',
      '--concurrency',
      '6',
      '--think',
      '0-30',
      '--duration',
      '3',
      // In-process: the soak run below keeps the worker thread's path.
      '--workers',
      '0',
    ];
    // The leaky server and a clean one, side by side.
    const [leaky, clean] = await Promise.all([
      bottleneckRun(['--bottleneck', 'state-leak'], load),
      bottleneckRun(['--bottleneck', 'none'], load),
    ]);
    assert.equal(leaky.analysis.independence?.verdict, 'state leak suspected');
    assert.match(
      renderMarkdown(leaky),
      /- state leak suspected \(work: \d+ answers carried another session's nonce\)/,
    );
    assert.ok(
      (leaky.analysis.independence?.violations ?? 0) > 10,
      JSON.stringify(leaky.analysis.independence),
    );
    assert.match(
      leaky.errorsByKind['independence']?.lastMessage ?? '',
      /work: sent nonce [\w-]+, the answer carried another/,
    );
    assert.deepEqual(clean.analysis.independence, {
      tool: 'work',
      violations: 0,
      verdict: 'sessions independent',
      lastMessage: null,
    });
    assert.ok(clean.totals.calls > 50);
  });

  test('soak: a 6 s hold is too short for a leak verdict, and the finding says how long is needed', async () => {
    const report = await bottleneckRun(
      ['--bottleneck', 'memory', '--leak-kb', '256'],
      ['--concurrency', '4', '--think', '20-50', '--duration', '6'],
    );
    const { memory } = report.analysis;
    assert.equal(memory.verdict, 'unknown', JSON.stringify(memory));
    assert.match(memory.evidence, /server RSS [\d.]+ MB → [\d.]+ MB over [45] s at N=4/);
    assert.match(memory.evidence, /needs a hold of at least 60 s \(--hold 60\)/);
    assert.ok(report.levels[0]!.serverRssMidBytes !== null, 'the mid-hold RSS is recorded');
  });
});
