import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from '../source/report/markdown-report.js';
import { bottleneckRun } from './support/bottleneck-run.js';

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
  ];
  const leaky = await bottleneckRun(['--bottleneck', 'state-leak'], load);
  assert.equal(leaky.analysis.independence?.verdict, 'state leak suspected');
  assert.match(
    renderMarkdown(leaky),
    /- state leak suspected \(work: \d+ answers carried another session's nonce\)/,
  );
  assert.ok((leaky.analysis.independence?.violations ?? 0) > 10, JSON.stringify(leaky.analysis.independence));
  assert.match(
    leaky.errorsByKind['independence']?.lastMessage ?? '',
    /work: sent nonce [\w-]+, the answer carried another/,
  );
  const clean = await bottleneckRun(['--bottleneck', 'none'], load);
  assert.deepEqual(clean.analysis.independence, {
    tool: 'work',
    violations: 0,
    verdict: 'sessions independent',
    lastMessage: null,
  });
  assert.ok(clean.totals.calls > 50);
});

test('soak: RSS that keeps growing over a held level is a suspected leak', async () => {
  const report = await bottleneckRun(
    ['--bottleneck', 'memory', '--leak-kb', '256'],
    ['--concurrency', '4', '--think', '20-50', '--duration', '13'],
  );
  assert.equal(report.analysis.memory.verdict, 'leak suspected', JSON.stringify(report.analysis.memory));
  assert.ok((report.analysis.memory.growthBytesPerMinute ?? 0) > 100 * 1024 ** 2);
  assert.match(report.analysis.memory.evidence, /server RSS [\d.]+ MB → [\d.]+ MB over 1\d s at N=4/);
});
