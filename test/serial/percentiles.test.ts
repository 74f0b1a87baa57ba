import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../support/processes.js';
import { demoForFile } from '../support/servers.js';

// Runs after the parallel suite, alone on the machine: a latency tail measured while other test files
// load both cores would be the machine's, not the tool's.
const demo = demoForFile();

test('percentiles of a fixed-latency tool are within a few ms of the truth', async () => {
  const result = await runCli([
    '--url',
    demo().url,
    '--concurrency',
    '8',
    '--think',
    '0-20',
    '--jitter',
    '0',
    '--mix',
    'sleep:1',
    '--args',
    'sleep={"ms":50}',
    '--duration',
    '5',
    '--warmup',
    '1',
    '--headless',
    '--json',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const final = lines.find((line) => line.type === 'summary') as {
    levels: { latencyMs: { p50: number; p99: number; count: number } }[];
  };
  const latency = final.levels[0]!.latencyMs;
  assert.ok(latency.count > 50, `${latency.count} calls`);
  // The median carries the round trip on a 2-core VM: 52–55.4 ms measured alone on one (2026-12-02, 8 runs
  // by hand and in this test), so 55 was on the edge; a median 8 ms off still fails.
  assert.ok(latency.p50 >= 50 && latency.p50 < 58, `p50 ${latency.p50} ms for a 50 ms tool`);
  // The tail carries the scheduling noise of a 2-core VM (p99 59–73 ms measured on one, by the build of
  // 2026-12-01 and the one before it alike): generous, but a tail that doubles still fails.
  assert.ok(latency.p99 >= 50 && latency.p99 < 90, `p99 ${latency.p99} ms for a 50 ms tool`);
  assert.ok(lines.filter((line) => line.type === 'snapshot').length >= 3, 'one JSON snapshot per second');
});
