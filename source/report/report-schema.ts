import { z } from 'zod';
import { CanarySchema } from '../analysis/probe-canary.js';

/** Latency percentiles in milliseconds (null when nothing was measured). */
export const PercentilesSchema = z
  .object({
    count: z.number().int(),
    p50: z.number(),
    p90: z.number(),
    p95: z.number(),
    p99: z.number(),
    p999: z.number(),
    max: z.number(),
    mean: z.number(),
  })
  .nullable();

/** Calls, errors and latency of one tool (or one revision). */
const CallFiguresSchema = z.object({
  calls: z.number().int(),
  errors: z.number().int(),
  latencyMs: PercentilesSchema,
});

export const LevelReportSchema = z.object({
  index: z.number().int(),
  concurrency: z.number().int(),
  /** Open model: the level's arrival rate (sessions/s); its concurrency is then the mean sessions open. */
  arrivalRate: z.number().nullable().default(null),
  callCycle: z
    .object({ thinkMs: z.number(), sessionCalls: z.number() })
    .nullable()
    .optional()
    .describe(
      "mean think time (ms) and calls per session the level ran at; null when either changed during the level (Little's law is then not checked for it)",
    ),
  startedAt: z.iso.datetime(),
  measuredFrom: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  durationMs: z.number(),
  calls: z.number().int(),
  errors: z.number().int(),
  errorsByKind: z.record(z.string(), z.number().int()),
  throughput: z.number(),
  latencyMs: PercentilesSchema.describe("tool-call latency from each call's actual start (uncorrected)"),
  latencyCorrectedMs: PercentilesSchema.default(null).describe(
    "open model: tool-call latency from each call's intended start, its arrival's slot in the schedule (corrected for coordinated omission); null in the closed model",
  ),
  scheduleLagMs: PercentilesSchema.default(null).describe(
    'open model: how late arrivals started against their schedule; null in the closed model',
  ),
  initializeMs: PercentilesSchema,
  closeMs: PercentilesSchema,
  tools: z.record(z.string(), CallFiguresSchema),
  byProtocol: z
    .record(z.string(), CallFiguresSchema)
    .optional()
    .describe("--protocol-mix: the level's calls by the MCP revision of their client"),
  serverRssBytes: z.number().nullable(),
  serverRssStartBytes: z.number().nullable(),
  /** Server RSS at the middle of the measured part: the memory verdict judges the second half's growth. */
  serverRssMidBytes: z.number().nullable().default(null),
  settled: z.boolean(),
  serverCpuPercent: z.number().nullable(),
  generator: z.object({ cpuPercent: z.number(), rssBytes: z.number(), eventLoopDelayP99Ms: z.number() }),
  histogram: z.string().nullable().describe('tool-call HdrHistogram, microseconds, compressed base64'),
  histogramCorrected: z
    .string()
    .nullable()
    .default(null)
    .describe('open model: the corrected tool-call HdrHistogram, microseconds, compressed base64'),
  serverEventLoopDelayP99Ms: z
    .number()
    .nullable()
    .optional()
    .describe("the server's own event-loop delay p99 (--server-metrics), ms, mean over the level"),
  serverGcMsPerS: z
    .number()
    .nullable()
    .optional()
    .describe('server GC pause ms per second (--server-metrics)'),
  serverSeries: z
    .record(z.string(), z.object({ mean: z.number(), max: z.number() }))
    .optional()
    .describe('--server-metric series over the level: mean and highest reading'),
});

const BottleneckKindSchema = z.enum([
  'load-generator',
  'pool-exhaustion',
  'memory-pressure',
  'cpu-saturation',
  'event-loop-starvation',
  'none-reached',
  'unknown',
]);

/** A finding's interval, [low, high] sessions; null without the finding (and in reports before it). */
const interval = z.tuple([z.number().int(), z.number().int()]).readonly().nullable().default(null);

/** The JSON report written by `--report FILE.json`. */
export const ReportSchema = z.object({
  tool: z.literal('mcp-load-explorer'),
  version: z.string(),
  target: z.union([
    z.object({
      transport: z.enum(['streamable-http', 'sse']),
      url: z.string(),
      headers: z.record(z.string(), z.literal('[redacted]')),
    }),
    z.object({ transport: z.literal('stdio'), command: z.string() }),
  ]),
  server: z
    .object({
      name: z.string(),
      version: z.string(),
      /** The MCP revision the run spoke (absent in reports made before both eras). */
      protocolVersion: z.string().optional(),
      /** True when the server issued a session id; false: a stateless server (N = concurrent clients). */
      stateful: z.boolean().optional(),
    })
    .nullable(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  /** `snapshot`: written by `e` while the run went on; the final report replaces it at the end. */
  endReason: z.enum(['plan-complete', 'duration', 'interrupted', 'error', 'quit', 'snapshot']),
  sloMs: z.number(),
  config: z.record(z.string(), z.unknown()),
  levels: z.array(LevelReportSchema),
  totals: z.object({
    sessionsOpened: z.number().int(),
    sessionsClosed: z.number().int(),
    resumptions: z.number().int().default(0).describe('event streams resumed with Last-Event-ID'),
    inputRequests: z
      .number()
      .int()
      .default(0)
      .describe('2026-07-28 Multi Round-Trip Requests answered with declined or empty input'),
    calls: z.number().int(),
    errors: z.number().int(),
  }),
  byProtocol: z
    .record(z.string(), CallFiguresSchema)
    .optional()
    .describe('--protocol-mix: calls, errors and latency by the MCP revision of their client, over the run'),
  errorsByKind: z.record(z.string(), z.object({ count: z.number().int(), lastMessage: z.string() })),
  startup: z
    .object({ failuresBeforeFirstSession: z.number().int(), msToFirstSession: z.number() })
    .nullable()
    .default(null)
    .describe('initialize attempts that failed before the first session, and the time to it'),
  actions: z.array(z.object({ at: z.iso.datetime(), kind: z.string(), detail: z.string() })),
  analysis: z.object({
    kneeConcurrency: z.number().int().nullable(),
    /** Where the knee can lie, [low, high] sessions (sampling error of X_max and R₀, and the walk). */
    kneeInterval: interval.describe('where the knee can lie, [low, high] sessions'),
    /** `throughput`: N* = X_max·(R₀ + Z); `p99-asymptotes`: the P99 curve's shape (no think time known). */
    kneeMethod: z.enum(['throughput', 'p99-asymptotes']).nullable().default(null),
    /** How the knee was found, with its figures, or why there is none. */
    kneeReason: z.string().default(''),
    ceilingConcurrency: z.number().int().nullable(),
    /** Where the ceiling can lie: above the highest level within the SLO below it, up to the ceiling. */
    ceilingInterval: interval.describe('where the ceiling can lie, [low, high] sessions'),
    /** Calls a level needs before its P99 counts toward the ceiling and the advice. */
    minCallsForP99: z.number().int().default(0),
    /** Completed levels whose P99 came from fewer than `minCallsForP99` calls (shown, not counted). */
    fewCallLevels: z.array(z.number().int()).readonly().default([]),
    /** Per level: X (calls/s), mean R, Z per call, the N = X·(R + Z) they imply, and a mismatch flag. */
    littlesLaw: z
      .array(
        z.object({
          concurrency: z.number().int(),
          throughput: z.number(),
          meanMs: z.number(),
          thinkMs: z.number(),
          impliedConcurrency: z.number(),
          mismatch: z.boolean(),
        }),
      )
      .readonly()
      .default([]),
    cliffConcurrency: z.number().int().nullable(),
    recommendedScaleAt: z.number().int().nullable(),
    recommendation: z.string(),
    bottleneck: z.object({
      kind: BottleneckKindSchema,
      evidence: z.array(z.string()).readonly(),
      /** Other signatures seen at the earliest level where one appeared (named in the evidence too). */
      alsoConsistentWith: z.array(BottleneckKindSchema).readonly().optional(),
    }),
    memory: z.object({
      rssPerSessionBytes: z.number().nullable(),
      growthBytesPerMinute: z.number().nullable(),
      verdict: z.enum(['leak suspected', 'flat', 'unknown']),
      evidence: z.string(),
    }),
    unsettledLevels: z.array(z.number().int()).readonly(),
    independence: z
      .object({
        tool: z.string(),
        violations: z.number().int(),
        verdict: z.enum(['sessions independent', 'state leak suspected']),
        lastMessage: z.string().nullable(),
      })
      .nullable(),
  }),
  assertions: z.array(
    z.object({
      expression: z.string(),
      passed: z.boolean(),
      worst: z.object({ concurrency: z.number().int(), value: z.number() }).nullable(),
    }),
  ),
  error: z.string().nullable(),
  canary: CanarySchema.nullable()
    .optional()
    .describe(
      "the run's N=1 initialize latency beside an external probe's history (--probe-history, --probe-query)",
    ),
});

export type Report = z.infer<typeof ReportSchema>;
export type EndReason = Report['endReason'];
