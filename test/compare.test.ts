import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigSchema } from '../source/config/schema.js';
import { buildFailureReport } from '../source/report/write-report.js';
import { analyse } from '../source/analysis/findings.js';
import type { Report } from '../source/report/report-schema.js';
import { runCli } from './support/processes.js';
import { levelFixture } from './support/fake-engine.js';

function reportWith(p99s: readonly [number, number][]): Report {
  const levels = p99s.map(([n, p99], index) => levelFixture(index, n, p99));
  const empty = buildFailureReport(ConfigSchema.parse({}), new Date(), 'fixture');
  return { ...empty, endReason: 'plan-complete', error: null, levels, analysis: analyse(levels, 2000) };
}

test('compare overlays two runs and flags the regression after a deploy', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mle-compare-'));
  const base = join(dir, 'base.json');
  const next = join(dir, 'new.json');
  await writeFile(
    base,
    JSON.stringify(
      reportWith([
        [10, 100],
        [20, 150],
        [30, 400],
        [40, 2500],
      ]),
    ),
  );
  await writeFile(
    next,
    JSON.stringify(
      reportWith([
        [10, 105],
        [20, 400],
        [30, 2600],
        [40, 4000],
      ]),
    ),
  );
  const worse = await runCli(['compare', base, next]);
  assert.equal(worse.code, 4, worse.stderr);
  assert.match(worse.stdout, /P99 vs N: base \(grey\) and new \(red\), ms/);
  assert.match(worse.stdout, /\n +10 +100 +105 *\n/);
  assert.match(worse.stdout, /\n +20 +150 +400 +REGRESSION/);
  assert.match(worse.stdout, /ceiling: base 40 → new 30/);
  assert.match(worse.stdout, /4 regression\(s\)/);
  const same = await runCli(['compare', base, base]);
  assert.equal(same.code, 0);
  assert.match(same.stdout, /no regression/);
  const bad = await runCli(['compare', base, join(dir, 'missing.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^mcp-load-explorer: .*missing\.json: cannot read it \(ENOENT\)\n$/);
});
