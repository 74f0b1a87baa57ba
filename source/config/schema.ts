import os from 'node:os';
import { z } from 'zod';
import { PROTOCOL_REVISIONS } from '../mcp-client/protocol-era.js';
import { AssertionSchema } from './assertion-schema.js';
import { ProtocolMixSchema } from './protocol-mix.js';
import { duration } from './duration.js';
import {
  ArgsSchema,
  HeaderEnvSchema,
  HeadersSchema,
  httpUrl,
  MixSchema,
  MsRangeSchema,
  RangeSchema,
} from './field-schemas.js';
import { StartAtSchema } from './start-at.js';
import { checkObservability, observabilityFields } from './observability-fields.js';

export {
  ArgsSchema,
  HeaderEnvSchema,
  HeadersSchema,
  MixEntrySchema,
  MixSchema,
  RangeSchema,
  type MixEntry,
  type Range,
} from './field-schemas.js';

/** A number from a flag string or a config file, with a message a person can act on. */
const number = () =>
  z.coerce.number({ error: (issue) => (issue.code === 'invalid_type' ? 'expected a number' : undefined) });

export const BottleneckSchema = z.enum(['none', 'cpu', 'event-loop', 'memory', 'pool', 'state-leak']);

/** What can change while a run goes on, without restarting it or dropping sessions. */
export const WorkloadSchema = z.object({
  /** Sessions held open (closed model). @default 10 */
  concurrency: number().int().min(0).max(100_000).default(10),
  /** Each new session starts after a uniform random 0..jitterMs delay. @default 1000 */
  jitterMs: duration('ms', (ms) => ms.int().min(0).max(3_600_000)).default(1000),
  /** Think time between a session's calls, ms. @default {min: 1000, max: 5000} */
  thinkMs: MsRangeSchema.default({ min: 1000, max: 5000 }),
  /** Calls a session makes before it closes and is replaced. @default {min: 10, max: 50} */
  sessionCalls: RangeSchema.refine((range) => range.min >= 1, 'a session makes at least 1 call').default({
    min: 10,
    max: 50,
  }),
  /** Weighted tool choice per call. Required for targets other than the demo server. */
  mix: MixSchema.optional(),
  /** Arguments per tool. @default {} */
  args: ArgsSchema.default({}),
  /** Which MCP revision each new client speaks, by weight (Streamable HTTP). Absent: the one `protocol` finds. */
  protocolMix: ProtocolMixSchema.optional(),
  /**
   * Open model: new sessions arrive at this mean rate per second as a Poisson process, each makes its calls
   * and leaves, so the number of sessions open is an outcome, not a setting. Absent: the closed model.
   */
  arrivalRate: number().min(0, 'an arrival rate is 0 or more sessions per second').max(10_000).optional(),
  /** Per-call timeout, ms. @default 30000 */
  timeoutMs: duration('ms', (ms) => ms.int().min(1).max(3_600_000)).default(30_000),
  /** Session independence check, `tool.argument`: each call to the tool sends a fresh nonce in that argument
   * and the answer must carry it back; an answer carrying anything else counts as an `independence` error. */
  independence: z
    .string()
    .trim()
    .regex(/^[^.\s]+\.[^.\s]+$/, 'expected TOOL.ARGUMENT, e.g. work.nonce')
    .transform((text) => {
      const [tool = '', argument = ''] = text.split('.');
      return { tool, argument };
    })
    .or(z.object({ tool: z.string().min(1), argument: z.string().min(1) }))
    .optional(),
  /** The P99 tool-call SLO, ms. @default 2000 */
  sloMs: duration('ms', (ms) => ms.positive().max(3_600_000)).default(2000),
});

export type Workload = z.output<typeof WorkloadSchema>;
export type WorkloadInput = z.input<typeof WorkloadSchema>;

/** The whole run: flags, config file and live changes are all checked here. */
export const ConfigSchema = WorkloadSchema.extend({
  /** Streamable HTTP (or, with `sse`, legacy SSE) endpoint of the server under test. */
  url: httpUrl.optional(),
  /** Use the legacy HTTP+SSE transport for `url`. @default false */
  sse: z.boolean().default(false),
  /**
   * Streamable HTTP: hold each client's long-lived stream (the 2025 era's GET stream, the 2026 era's
   * `subscriptions/listen`), one socket each. @default true
   */
  getStream: z.boolean().default(true),
  /**
   * The MCP revision: `auto` probes the server once with `server/discover` and falls back to the 2025
   * handshake; a revision pins it (stdio and HTTP+SSE speak 2025-11-25). @default 'auto'
   */
  protocol: z
    .enum(['auto', ...PROTOCOL_REVISIONS], {
      error: `expected auto, ${PROTOCOL_REVISIONS.join(' or ')}`,
    })
    .default('auto'),
  /** stdio server command and arguments: one server process per session. */
  command: z.array(z.string()).min(1).optional(),
  /** Extra HTTP headers (auth); values are redacted everywhere they are shown. @default {} */
  headers: HeadersSchema.default({}),
  /** Headers whose values come from environment variables, `{Name: ENV_VAR}`; redacted like `headers`. @default {} */
  headerEnv: HeaderEnvSchema.default({}),
  /** A command that starts the HTTP server under test; its process is tracked for RSS/CPU. */
  spawn: z.string().trim().min(1).optional(),
  /** PID of a running local server to watch for RSS/CPU. */
  pid: number().int().positive().optional(),
  /** The bottleneck of the embedded demo server (used when no target is given). @default 'pool' */
  bottleneck: BottleneckSchema.default('pool'),
  /** Concurrency levels to walk through (arrival rates with `arrivalRate`), each held `holdS` seconds. */
  steps: z
    .union([
      z
        .string()
        .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, 'expected a list like 1,5,10,20')
        .transform((text) => text.split(',').map(Number)),
      z.array(z.number().nonnegative()).min(1),
    ])
    .optional(),
  /** Open model only: sessions open at once beyond which arrivals are turned away. @default 10000 */
  maxSessions: number().int().min(1).max(100_000).default(10_000),
  /** Wait until this time (ISO 8601 with a zone, or `+30s`) before the load starts: agents start together. */
  startAt: StartAtSchema.optional(),
  /** Search for the ceiling: N = 1, 2, 4, … then bisect, holding each level `holdS`. @default false */
  findCeiling: z.boolean().default(false),
  /** `findCeiling` stops when the last good and first bad N are this close, percent. @default 10 */
  ceilingPrecision: number().positive().max(100).default(10),
  /** Seconds each step is held. @default 300 */
  holdS: duration('s', (s) => s.positive()).default(300),
  /** Seconds a single-level run lasts (unbounded when absent). */
  durationS: duration('s', (s) => s.positive()).optional(),
  /** Seconds at the start of each level left out of its figures. @default 10 */
  warmupS: duration('s', (s) => s.min(0)).default(10),
  /** Rolling window of the live figures, seconds. @default 10 */
  windowS: duration('s', (s) => s.int().min(1).max(600)).default(10),
  /** Worker threads that hold the sessions (0 = in-process). @default cores */
  // One core is left to the controller (merging, the screen) and, often, to the server under test.
  workers: number()
    .int()
    .min(0)
    .max(64)
    .default(Math.max(1, os.availableParallelism() - 1)),
  /** Write the JSON report here on exit. */
  report: z.string().min(1).optional(),
  /** Also write a Markdown summary for an incident review here. */
  reportMd: z.string().min(1).optional(),
  /** Write the HdrHistogram interval log (standard format, tool-call latency per interval) here. */
  hdrLog: z.string().min(1).optional(),
  /** Record the run (a frame a second, actions, events) here as it goes, for `replay`. */
  record: z.string().min(1).optional(),
  /** Also write the levels as CSV here. */
  reportCsv: z.string().min(1).optional(),
  /** Thresholds checked on every level at the end, e.g. `p99<2000`; any failure exits with code 3. @default [] */
  assert: z.array(AssertionSchema).default([]),
  /** One JSON snapshot per second on stdout instead of status lines. @default false */
  json: z.boolean().default(false),
  /** No TUI even with a TTY. @default false */
  headless: z.boolean().default(false),
  /** Headless, and only the summary on stdout: no status lines, no notes but errors. @default false */
  quiet: z.boolean().default(false),
  /** The live screen even with `CI` set in the environment. @default false */
  tui: z.boolean().default(false),
  /** The servers' own output (`--spawn`, the demo, stdio stderr) goes to this file, not the event log or stderr. */
  serverLog: z.string().min(1).optional(),
  ...observabilityFields,
}).superRefine((config, ctx) => {
  checkObservability(config, ctx);
  const headless = (['headless', 'json', 'quiet'] as const).filter((field) => config[field]);
  if (config.tui && headless.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['tui'],
      message: `--tui draws the live screen; --${headless[0]} asks for lines: give one of them`,
    });
  if (config.url && config.command) {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: 'give either --url or a stdio command after --, not both',
    });
  }
  if (config.protocol === '2026-07-28' && (config.command || config.sse)) {
    ctx.addIssue({
      code: 'custom',
      path: ['protocol'],
      message: `${config.command ? 'stdio' : '--sse'} speaks the 2025 era: 2026-07-28 needs Streamable HTTP (--url without --sse)`,
    });
  }
  if (config.protocolMix && (config.command || config.sse || config.protocol !== 'auto')) {
    ctx.addIssue({
      code: 'custom',
      path: ['protocolMix'],
      message:
        config.protocol !== 'auto' && !config.command && !config.sse
          ? 'give either --protocol REV (every client) or --protocol-mix (a mix of clients), not both'
          : `${config.command ? 'stdio' : '--sse'} speaks the 2025 era only: --protocol-mix needs Streamable HTTP`,
    });
  }
  if (config.findCeiling && config.steps) {
    ctx.addIssue({
      code: 'custom',
      path: ['findCeiling'],
      message: 'give either --steps or --find-ceiling, not both',
    });
  }
  if (config.arrivalRate === undefined && config.steps?.some((step) => !Number.isInteger(step))) {
    ctx.addIssue({
      code: 'custom',
      path: ['steps'],
      message: 'steps are whole numbers of sessions; fractional steps are arrival rates: add --arrival-rate',
    });
  }
  if (config.arrivalRate !== undefined && config.findCeiling) {
    ctx.addIssue({
      code: 'custom',
      path: ['findCeiling'],
      message:
        '--find-ceiling searches sessions (the closed model); with --arrival-rate walk rates with --steps',
    });
  }
  for (const [header, value] of Object.entries(config.headers)) {
    const empty = /^\s*$/.test(value);
    const schemeOnly = /^\s*(Bearer|Basic|Token|Digest|ApiKey|Api-Key)\s*$/i.exec(value);
    if (empty || schemeOnly)
      ctx.addIssue({
        code: 'custom',
        path: ['headers'],
        message: `${header}'s value is ${empty ? 'empty' : `only "${schemeOnly![1]}" with nothing after it`}: is the variable in it unset? Export it, or use --header-env ${header}=VAR`,
      });
  }
  if (config.warmupS >= config.holdS && (config.steps !== undefined || config.findCeiling))
    ctx.addIssue({
      code: 'custom',
      path: ['warmupS'],
      message: `a warm-up of ${config.warmupS} s leaves nothing of a ${config.holdS} s hold to measure: make --warmup shorter than --hold`,
    });
  for (const [header, variable] of Object.entries(config.headerEnv)) {
    if (process.env[variable] === '')
      ctx.addIssue({
        code: 'custom',
        path: ['headerEnv'],
        message: `environment variable ${variable} (for header ${header}) is empty; export its value first`,
      });
    if (process.env[variable] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['headerEnv'],
        message: `environment variable ${variable} (for header ${header}) is not set; export it first`,
      });
  }
  if (config.sse && !config.url) {
    ctx.addIssue({ code: 'custom', path: ['sse'], message: '--sse needs --url' });
  }
  if (config.spawn && !config.url) {
    ctx.addIssue({
      code: 'custom',
      path: ['spawn'],
      message: '--spawn needs the --url the spawned server listens on',
    });
  }
});

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
