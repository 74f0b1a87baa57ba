import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigSchema } from '../source/config/schema.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  percentilesOf,
  recordMs,
} from '../source/metrics/histogram.js';
import { renderMarkdown } from '../source/report/markdown-report.js';
import { mergeReports } from '../source/report/merge.js';
import { runMergeCommand } from '../source/commands/merge.js';
import { upperBound } from '../source/report/merge-levels.js';
import type { Report } from '../source/report/report-schema.js';
import { buildFailureReport } from '../source/report/write-report.js';
import { analyse } from '../source/analysis/findings.js';
import { levelFixture } from './support/fake-engine.js';
import { runCli } from './support/processes.js';

/** One agent's level: `fast` calls at `fastMs` and `slow` calls at `slowMs`, in a real HdrHistogram. */
function level(
  index: number,
  concurrency: number,
  calls: { fast: number; slow: number; slowMs: number },
): Report['levels'][number] {
  const histogram = createHistogram();
  for (let i = 0; i < calls.fast; i += 1) recordMs(histogram, 10);
  for (let i = 0; i < calls.slow; i += 1) recordMs(histogram, calls.slowMs);
  const total = calls.fast + calls.slow;
  return {
    ...levelFixture(index, concurrency, 0),
    calls: total,
    errors: index,
    errorsByKind: index ? { timeout: index } : {},
    throughput: total / 290,
    latencyMs: percentilesOf(histogram),
    histogram: encodeHistogram(histogram),
  };
}

function agentReport(
  levels: Report['levels'],
  settings: Record<string, unknown> = {},
  url = 'http://10.0.0.5:3001/mcp',
): Report {
  const config = ConfigSchema.parse({ url, steps: '2,4', holdS: 300, sloMs: 500, ...settings });
  const empty = buildFailureReport(config, new Date(), 'fixture');
  return {
    ...empty,
    endReason: 'plan-complete',
    error: null,
    config: JSON.parse(JSON.stringify(empty.config)) as Record<string, unknown>,
    levels,
    totals: { sessionsOpened: 10, sessionsClosed: 10, calls: 0, errors: 0 },
    analysis: analyse(levels, config.sloMs),
  };
}

// Agent A is fast throughout; agent B had 2% of its calls at 1 s at N=4, so its own P99 broke the SLO.
const agentA = agentReport([
  level(0, 2, { fast: 1000, slow: 0, slowMs: 0 }),
  level(1, 4, { fast: 1000, slow: 0, slowMs: 0 }),
]);
const agentB = agentReport([
  level(0, 2, { fast: 1000, slow: 0, slowMs: 0 }),
  level(1, 4, { fast: 980, slow: 20, slowMs: 1000 }),
]);

test('merge adds histograms (never averages percentiles), sums sessions and calls, re-runs the analysis', () => {
  const { report } = mergeReports([
    { file: 'a.json', report: agentA },
    { file: 'b.json', report: agentB },
  ]);
  const [, top] = report.levels;
  assert.ok(top);
  assert.deepEqual(
    report.levels.map((merged) => merged.concurrency),
    [4, 8],
  );
  assert.equal(top.calls, 2000);
  assert.equal(top.errors, 2);
  assert.deepEqual(top.errorsByKind, { timeout: 2 });
  assert.ok(Math.abs(top.throughput - 2000 / 290) < 0.02, String(top.throughput));
  assert.equal(decodeHistogram(top.histogram!).totalCount, 2000);
  const p99A = agentA.levels[1]!.latencyMs!.p99;
  const p99B = agentB.levels[1]!.latencyMs!.p99;
  assert.ok(p99A < 11 && p99B > 990, `inputs ${p99A} ${p99B}`);
  // 20 slow calls of 2000 are 1%: the 99th percentile of all calls is still a fast call.
  assert.ok(top.latencyMs!.p99 < 11, `merged p99 ${top.latencyMs!.p99}`);
  assert.ok(Math.abs(top.latencyMs!.p99 - (p99A + p99B) / 2) > 400, 'the merged p99 is not the average');
  assert.ok(top.latencyMs!.p999 > 990, 'the slow calls are kept in the tail');
  // Agent B alone broke the 500 ms SLO at N=4; all the calls together did not.
  assert.equal(agentB.analysis.ceilingConcurrency, 4);
  assert.equal(report.analysis.ceilingConcurrency, null);
  assert.equal(report.config['agents'], 2);
  assert.equal(report.actions.at(-1)?.kind, 'merge');
  assert.match(renderMarkdown(report), /Merged from 2 agents' reports \(a\.json, b\.json\): N is the sum/);
});

test('a merged report merges again: agents add up', () => {
  const once = mergeReports([
    { file: 'a.json', report: agentA },
    { file: 'b.json', report: agentB },
  ]).report;
  const twice = mergeReports([
    { file: 'ab.json', report: once },
    { file: 'a.json', report: agentA },
  ]).report;
  assert.equal(twice.config['agents'], 3);
  assert.deepEqual(
    twice.levels.map((merged) => [merged.concurrency, merged.calls]),
    [
      [6, 3000],
      [12, 3000],
    ],
  );
});

test('upperBound keeps counts and max exact and bounds each percentile by the worst agent', () => {
  const bound = upperBound([
    { count: 10, p50: 1, p90: 2, p95: 3, p99: 4, p999: 5, max: 6, mean: 1 },
    null,
    { count: 30, p50: 2, p90: 1, p95: 1, p99: 9, p999: 9, max: 9, mean: 3 },
  ]);
  assert.deepEqual(bound, { count: 40, p50: 2, p90: 2, p95: 3, p99: 9, p999: 9, max: 9, mean: 2.5 });
});

test('merge refuses reports that cannot be lined up, in one line', () => {
  const pair = (other: Report) => () =>
    mergeReports([
      { file: 'a.json', report: agentA },
      { file: 'b.json', report: other },
    ]);
  assert.throws(
    pair(agentReport(agentB.levels, { steps: '2,5' })),
    /^MergeError: b\.json: its levels \(N=2,4\) are not its --steps plan \(2,5\)/,
  );
  assert.throws(
    pair(agentReport(agentB.levels, { holdS: 60 })),
    /b\.json ran --steps 2,4 --hold 60, a\.json ran --steps 2,4 --hold 300: the agents must run the same plan/,
  );
  assert.throws(
    pair(agentReport(agentB.levels, {}, 'http://10.0.0.6:3001/mcp')),
    /b\.json ran against streamable-http: http:\/\/10\.0\.0\.6:3001\/mcp.*merge the reports of one target/,
  );
  assert.throws(pair(agentReport(agentB.levels, { sloMs: 900 })), /give the agents the same SLO/);
  assert.throws(
    pair(agentReport(agentB.levels, { steps: undefined, findCeiling: true })),
    /b\.json: ran --find-ceiling/,
  );
  const noHistogram = agentReport(agentB.levels.map((entry) => ({ ...entry, histogram: null })));
  assert.throws(pair(noHistogram), /b\.json: level 1 \(N=2\) has calls but no histogram/);
});

test('merge command: bad input gets one line and exit 2; a good merge prints the summary and compares', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mle-merge-'));
  const file = (name: string) => join(dir, name);
  await writeFile(file('a.json'), JSON.stringify(agentA));
  await writeFile(file('b.json'), JSON.stringify(agentB));
  await writeFile(file('text.json'), 'not json at all');
  await writeFile(file('other.json'), JSON.stringify({ tool: 'k6', levels: [] }));
  await writeFile(
    file('bare.json'),
    JSON.stringify({ ...agentB, levels: agentB.levels.map((entry) => ({ ...entry, histogram: null })) }),
  );
  await writeFile(file('short.json'), JSON.stringify({ ...agentB, levels: agentB.levels.slice(0, 1) }));
  const cases: [string[], RegExp][] = [
    [[file('a.json'), file('missing.json')], /missing\.json: cannot read it \(ENOENT\)/],
    [[file('a.json'), file('text.json')], /text\.json: not JSON; give a mcp-load-explorer JSON report/],
    [[file('a.json'), file('other.json')], /other\.json: not a mcp-load-explorer JSON report .*\(tool: /],
    [[file('a.json'), file('bare.json')], /bare\.json: level 1 \(N=2\) has calls but no histogram/],
    [
      [file('a.json'), file('short.json')],
      /short\.json: its levels \(N=2\) are not its --steps plan \(2,4\)/,
    ],
    [[file('a.json')], /merge: give two or more agents' JSON reports/],
    [[file('a.json'), file('a.json')], /a\.json is named twice/],
    [[file('a.json'), file('b.json'), '--out', 'x'], /merge: unknown flag --out; usage: merge A\.json/],
    [[file('a.json'), file('b.json'), '--report'], /merge: --report needs a file name/],
  ];
  for (const [args, message] of cases) {
    const lines: string[] = [];
    const code = await runMergeCommand(
      args,
      (line) => lines.push(line),
      (line) => lines.push(line),
    );
    assert.equal(code, 2, `${args.join(' ')}: ${lines.join('\n')}`);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, message);
  }
  // The same through the real CLI: one line on stderr, exit 2, no stack trace.
  const missing = await runCli(['merge', file('a.json'), file('missing.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^mcp-load-explorer: .*missing\.json: cannot read it \(ENOENT\)\n$/);
  const good = await runCli(['merge', file('a.json'), file('b.json'), `--report=${file('m.json')}`]);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /merged 2 reports \(2 agents\)/);
  assert.match(good.stdout, /knee - · ceiling - · cliff - sessions/);
  const compared = await runCli(['compare', file('m.json'), file('m.json')]);
  assert.equal(compared.code, 0, compared.stderr);
});
