import { z } from 'zod';
import type { EngineSnapshot } from '../engine/snapshot.js';
import { planLeftMs } from '../format/run-text.js';

const count = z.number().int().min(0);
const ms = z.number().min(0);

/**
 * One `--json` line a second: the live figures a script follows, a few hundred bytes (the full snapshot
 * was about 4 KB). The run's findings come once, in the last line, the `summary`.
 */
export const SnapshotLineSchema = z
  .object({
    type: z.literal('snapshot'),
    at: z.iso.datetime().describe('when the snapshot was taken'),
    elapsedS: z.number().min(0).describe('seconds since the load began'),
    state: z.enum(['starting', 'waiting', 'running', 'paused', 'stopping', 'stopped']),
    level: count.nullable().describe('index of the level being held (levels[] of the summary), or null'),
    n: z
      .object({ target: count, active: count, connecting: count, closing: count, inflight: count })
      .describe('sessions (or concurrent clients): the N set, open, opening, closing; calls in flight'),
    arrivalRate: z.number().min(0).nullable().describe('open model: sessions arriving per second'),
    callsPerS: z.number().min(0).describe('tool calls per second over the rolling window'),
    window: z.object({
      seconds: z.number().min(0),
      calls: count,
      errors: count,
      latencyMs: z
        .object({ p50: ms, p90: ms, p99: ms, max: ms })
        .nullable()
        .describe("tool-call latency over the window, ms; null before the window's first call"),
    }),
    totals: z.object({ calls: count, errors: count, sessionsOpened: count, sessionsClosed: count }),
    errorsByKind: z.record(z.string(), count).describe('error kind → count over the run'),
    server: z
      .object({ rssBytes: z.number().min(0), cpuPercent: z.number().min(0) })
      .nullable()
      .describe("the server's resources when known (--spawn, --pid, the demo, stdio, --server-metrics)"),
    generator: z.object({ cpuPercent: z.number().min(0), rssBytes: z.number().min(0), loopDelayP99Ms: ms }),
    plan: z
      .object({
        step: count.nullable().describe('the step held, from 1; null while the walk is stopped'),
        steps: count.describe('steps in the plan (the ceiling search: steps visited so far)'),
        leftS: z.number().min(0).nullable().describe('seconds until the plan ends; null when unknown'),
        complete: z.boolean(),
      })
      .nullable()
      .describe('--steps or --find-ceiling progress; null without a plan'),
  })
  .describe('one line a second while the run goes on');

export type SnapshotLine = z.infer<typeof SnapshotLineSchema>;

const tenths = (value: number): number => Math.round(value * 10) / 10;

/** The snapshot as one compact `--json` line's object. */
export function snapshotLine(snapshot: EngineSnapshot): SnapshotLine {
  const { window, totals, server, generator, plan, sessions } = snapshot;
  const now = Date.parse(snapshot.startedAt) + snapshot.elapsedMs;
  const latency = window.latencyMs;
  const left = plan ? planLeftMs(plan, now) : null;
  return {
    type: 'snapshot',
    at: new Date(now).toISOString(),
    elapsedS: tenths(snapshot.elapsedMs / 1000),
    state: snapshot.state,
    level: snapshot.levels.at(-1)?.index ?? null,
    n: { ...sessions },
    arrivalRate: snapshot.workload.arrivalRate ?? null,
    callsPerS: tenths(window.throughput),
    window: {
      seconds: window.seconds,
      calls: window.calls,
      errors: window.errors,
      latencyMs: latency && { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max },
    },
    totals: {
      calls: totals.calls,
      errors: totals.errors,
      sessionsOpened: totals.sessionsOpened,
      sessionsClosed: totals.sessionsClosed,
    },
    errorsByKind: Object.fromEntries(
      Object.entries(snapshot.errorsByKind).map(([kind, { count: times }]) => [kind, times]),
    ),
    server: server && { rssBytes: server.rssBytes, cpuPercent: tenths(server.cpuPercent) },
    generator: {
      cpuPercent: tenths(generator.cpuPercent),
      rssBytes: generator.rssBytes,
      loopDelayP99Ms: tenths(generator.eventLoopDelayP99Ms),
    },
    plan: plan && {
      step: plan.stepIndex === null ? null : plan.stepIndex + 1,
      steps: plan.steps.length,
      leftS: left === null ? null : Math.ceil(left / 1000),
      complete: plan.complete,
    },
  };
}
