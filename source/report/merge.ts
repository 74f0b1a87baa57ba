import { basename } from 'node:path';
import { z } from 'zod';
import { checkAssertions } from '../analysis/assertions.js';
import { AssertionSchema } from '../config/assertion-schema.js';
import { analyse } from '../analysis/findings.js';
import { cycleOf } from '../engine/call-cycle.js';
import { describeTarget } from '../mcp-client/target.js';
import { describeEra } from './compare.js';
import { mergeLevel, MergeError, startSpreadMs } from './merge-levels.js';
import type { EndReason, Report } from './report-schema.js';
import { VERSION } from './write-report.js';

/** One agent's report and the file it was read from. */
export interface AgentReport {
  readonly file: string;
  readonly report: Report;
}

/** Agents whose level starts are further apart than this (or 10% of the hold) get a warning. @default 2000 */
export const START_SPREAD_WARN_MS = 2000;

/** The plan a report ran, per agent: what must agree before levels can be lined up. */
interface Plan {
  readonly steps: readonly number[];
  readonly fromSteps: boolean;
  readonly holdS: number | null;
  readonly agents: number;
}

function planOf({ file, report }: AgentReport): Plan {
  const config = report.config;
  if (config['findCeiling'] === true)
    throw new MergeError(
      `${file}: ran --find-ceiling, whose levels depend on each agent's own figures, so they cannot be lined up; run the agents with --steps`,
    );
  if (report.levels.length === 0)
    throw new MergeError(
      `${file}: has no levels, the run measured nothing${report.error ? ` (${report.error})` : ''}`,
    );
  const agents = typeof config['agents'] === 'number' ? config['agents'] : 1;
  const levels = report.levels.map((level) => level.concurrency / agents);
  const steps = Array.isArray(config['steps']) ? (config['steps'] as number[]) : null;
  if (steps && levels.join(',') !== steps.join(','))
    throw new MergeError(
      `${file}: its levels (N=${levels.join(',')}) are not its --steps plan (${steps.join(',')}): it ended early (${report.endReason}) or N was changed by hand; merge needs complete plans`,
    );
  const holdS = typeof config['holdS'] === 'number' ? config['holdS'] : null;
  return { steps: levels, fromSteps: steps !== null, holdS, agents };
}

const describePlan = (plan: Plan): string =>
  plan.fromSteps
    ? `--steps ${plan.steps.join(',')} --hold ${plan.holdS}`
    : `levels N=${plan.steps.join(',')}`;

function checkAgree(inputs: readonly AgentReport[], plans: readonly Plan[]): void {
  const [first, ...rest] = inputs;
  const firstPlan = plans[0]!;
  const firstTarget = describeTarget(first!.report.target);
  rest.forEach((input, at) => {
    const plan = plans[at + 1]!;
    const target = describeTarget(input.report.target);
    if (target !== firstTarget)
      throw new MergeError(
        `${input.file} ran against ${target}, ${first!.file} against ${firstTarget}: merge the reports of one target`,
      );
    if (describePlan(plan) !== describePlan(firstPlan) || plan.fromSteps !== firstPlan.fromSteps)
      throw new MergeError(
        `${input.file} ran ${describePlan(plan)}, ${first!.file} ran ${describePlan(firstPlan)}: the agents must run the same plan`,
      );
    if (input.report.sloMs !== first!.report.sloMs)
      throw new MergeError(
        `${input.file} has --slo ${input.report.sloMs}, ${first!.file} has --slo ${first!.report.sloMs}: give the agents the same SLO`,
      );
  });
}

const ENDINGS: readonly EndReason[] = [
  'error',
  'interrupted',
  'snapshot',
  'quit',
  'duration',
  'plan-complete',
];

/** The assertions the agents were given, checked again on the merged levels. */
function reassert(inputs: readonly AgentReport[], levels: Report['levels']): Report['assertions'] {
  const expressions = new Set<string>();
  for (const { report } of inputs) {
    const asserted = report.config['assert'];
    if (!Array.isArray(asserted)) continue;
    for (const entry of asserted as { expression?: unknown }[])
      if (typeof entry.expression === 'string') expressions.add(entry.expression);
  }
  const parsed = z.array(AssertionSchema).safeParse([...expressions]);
  return parsed.success ? checkAssertions(parsed.data, levels) : [];
}

/**
 * Combines agents' reports of one step plan level by level: level i's sessions, calls, errors and
 * throughput are summed and its tool-call HdrHistograms added, then the analysis is run again.
 */
export function mergeReports(
  inputs: readonly AgentReport[],
  outputs: Readonly<Record<string, string | undefined>> = {},
): { readonly report: Report; readonly warnings: readonly string[]; readonly startSpreadMs: number } {
  if (inputs.length < 2) throw new MergeError("merge: give two or more agents' JSON reports");
  const plans = inputs.map(planOf);
  checkAgree(inputs, plans);
  const warnings: string[] = [];
  let widest = 0;
  const holdMs = (plans[0]!.holdS ?? 0) * 1000;
  const levels = plans[0]!.steps.map((_, index) => {
    const agents = inputs.map(({ file, report }) => ({ file, level: report.levels[index]! }));
    const spread = startSpreadMs(agents);
    widest = Math.max(widest, spread);
    if (spread > Math.max(START_SPREAD_WARN_MS, holdMs * 0.1))
      warnings.push(
        `level ${index + 1} started ${(spread / 1000).toFixed(1)} s apart across the agents, so their load overlapped only in part; start them with the same --start-at`,
      );
    return mergeLevel(index, agents);
  });
  const reports = inputs.map((input) => input.report);
  const eras = new Set(reports.map((report) => describeEra(report.server)).filter((era) => era !== null));
  if (eras.size > 1)
    warnings.push(
      `the agents spoke different protocol revisions (${[...eras].join(', ')}): their levels are added all the same; pass the same --protocol to each`,
    );
  const errorsByKind: Record<string, { count: number; lastMessage: string }> = {};
  for (const report of reports)
    for (const [kind, error] of Object.entries(report.errorsByKind))
      errorsByKind[kind] = {
        count: (errorsByKind[kind]?.count ?? 0) + error.count,
        lastMessage: error.lastMessage,
      };
  const config = reports[0]!.config;
  const workers = reports
    .map((report) => report.config['workers'])
    .filter((value) => typeof value === 'number');
  const independence = config['independence'] as { tool: string } | undefined;
  const sloMs = reports[0]!.sloMs;
  const files = inputs.map((input) => input.file);
  const agents = plans.reduce((total, plan) => total + plan.agents, 0);
  const errors = inputs
    .filter((input) => input.report.error)
    .map((input) => `${input.file}: ${input.report.error}`);
  const now = new Date().toISOString();
  return {
    warnings,
    startSpreadMs: widest,
    report: {
      tool: 'mcp-load-explorer',
      version: VERSION,
      target: reports[0]!.target,
      server: reports.find((report) => report.server)?.server ?? null,
      // Each agent's start-up race is its own: the merged run keeps the slowest agent's.
      startup:
        reports
          .map((report) => report.startup)
          .filter((startup) => startup != null)
          .sort((a, b) => b.msToFirstSession - a.msToFirstSession)[0] ?? null,
      startedAt: [...reports.map((report) => report.startedAt)].sort()[0]!,
      endedAt: [...reports.map((report) => report.endedAt)].sort().at(-1)!,
      endReason:
        ENDINGS.find((ending) => reports.some((report) => report.endReason === ending)) ?? 'plan-complete',
      sloMs,
      config: { ...config, ...outputs, agents, mergedFrom: files },
      levels,
      totals: {
        sessionsOpened: reports.reduce((total, report) => total + report.totals.sessionsOpened, 0),
        sessionsClosed: reports.reduce((total, report) => total + report.totals.sessionsClosed, 0),
        resumptions: reports.reduce((total, report) => total + report.totals.resumptions, 0),
        inputRequests: reports.reduce((total, report) => total + report.totals.inputRequests, 0),
        calls: reports.reduce((total, report) => total + report.totals.calls, 0),
        errors: reports.reduce((total, report) => total + report.totals.errors, 0),
      },
      errorsByKind,
      actions: [
        ...inputs.flatMap(({ file, report }) =>
          report.actions.map((action) => ({ ...action, detail: `[${basename(file)}] ${action.detail}` })),
        ),
        {
          at: now,
          kind: 'merge',
          detail: `merged ${inputs.length} reports (${agents} agents): ${files.join(', ')}`,
        },
      ].sort((a, b) => a.at.localeCompare(b.at)),
      analysis: analyse(levels, sloMs, {
        errorsByKind,
        workers: workers.length ? Math.min(...workers) : 1,
        independence,
        cycle: cycleOf(config),
      }),
      assertions: reassert(inputs, levels),
      error: errors.length ? errors.join('; ') : null,
    },
  };
}
