import { hostname } from 'node:os';
import { create } from 'xmlbuilder2';
import { checkLevel } from '../analysis/assertions.js';
import { AssertionSchema, type Assertion } from '../config/assertion-schema.js';
import { describeTarget } from '../mcp-client/target.js';
import type { Report } from '../report/report-schema.js';

const seconds = (ms: number): string => (ms / 1000).toFixed(3);
const unit = (assertion: Assertion): string =>
  assertion.metric === 'calls' || assertion.metric === 'errors' ? (assertion.percent ? '%' : '') : ' ms';

/**
 * The `--assert` results as JUnit XML: one testcase per assertion and level (a level that broke the
 * threshold is a failed testcase), so a CI server lists which N broke which limit.
 */
export function renderJunit(report: Report): string {
  const assertions = report.assertions.map((result) => AssertionSchema.parse(result.expression));
  const measured = report.levels.filter((level) => level.calls > 0);
  const cases: {
    name: string;
    classname: string;
    timeMs: number;
    failure?: { message: string; detail: string };
    skipped?: string;
  }[] = [];
  for (const assertion of assertions) {
    const classname = `mcp-load-explorer.assert.${assertion.expression}`;
    if (measured.length === 0) {
      cases.push({
        name: `${assertion.expression} (no level measured)`,
        classname,
        timeMs: 0,
        failure: {
          message: 'no level was measured: nothing holds the threshold',
          detail: report.error ?? '',
        },
      });
      continue;
    }
    for (const level of measured) {
      const name = `${assertion.expression} at N=${level.concurrency}${level.arrivalRate === null ? '' : ` (${level.arrivalRate}/s)`}`;
      const outcome = checkLevel(assertion, level);
      const base = { name, classname, timeMs: level.durationMs };
      if (!outcome) cases.push({ ...base, skipped: `no ${assertion.metric} figure at this level` });
      else if (outcome.passed) cases.push(base);
      else
        cases.push({
          ...base,
          failure: {
            message: `${assertion.metric} was ${outcome.value}${unit(assertion)} at N=${level.concurrency}: breaks ${assertion.expression}`,
            detail: `level ${level.index}: ${level.calls} calls, ${level.errors} errors, p99 ${level.latencyMs?.p99 ?? '–'} ms, held ${seconds(level.durationMs)} s from ${level.measuredFrom}`,
          },
        });
    }
  }
  const failures = cases.filter((entry) => entry.failure).length;
  const skipped = cases.filter((entry) => entry.skipped).length;
  const totalMs = Date.parse(report.endedAt) - Date.parse(report.startedAt);
  const document = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' });
  const suites = document.ele('testsuites', {
    name: 'mcp-load-explorer',
    tests: cases.length,
    failures,
    errors: 0,
    skipped,
    time: seconds(Math.max(0, totalMs)),
  });
  const suite = suites.ele('testsuite', {
    name: `capacity of ${describeTarget(report.target)}`,
    tests: cases.length,
    failures,
    errors: 0,
    skipped,
    time: seconds(Math.max(0, totalMs)),
    timestamp: report.startedAt.replace(/\.\d+Z$/, 'Z'),
    hostname: hostname(),
  });
  const properties = suite.ele('properties');
  properties.ele('property', { name: 'sloMs', value: report.sloMs });
  properties.ele('property', { name: 'endReason', value: report.endReason });
  properties.ele('property', { name: 'bottleneck', value: report.analysis.bottleneck.kind });
  for (const entry of cases) {
    const testcase = suite.ele('testcase', {
      name: entry.name,
      classname: entry.classname,
      time: seconds(entry.timeMs),
    });
    if (entry.failure)
      testcase
        .ele('failure', { message: entry.failure.message, type: 'AssertionFailed' })
        .txt(entry.failure.detail);
    if (entry.skipped) testcase.ele('skipped', { message: entry.skipped });
  }
  return document.end({ prettyPrint: true });
}
