import { z } from 'zod';

/** What the `work` tool costs: the one resource that runs out first as load grows. */
export const BottleneckSchema = z.enum(['none', 'cpu', 'event-loop', 'memory', 'pool', 'state-leak']);

export type Bottleneck = z.output<typeof BottleneckSchema>;

/**
 * The protocol eras served over HTTP: `2025-11-25` (stateful sessions, the 1.x SDK), `stateless` (the 2025
 * stateless posture of the 2.x SDK), `2026-07-28` (2.x, strict), or `all`: 2026-07-28 and 2025-11-25
 * stateful at `/mcp`, the stateless posture at `/stateless`.
 */
export const DemoProtocolSchema = z.enum(['all', '2025-11-25', 'stateless', '2026-07-28'], {
  error: 'expected all, 2025-11-25, stateless or 2026-07-28',
});

export type DemoProtocol = z.output<typeof DemoProtocolSchema>;

const milliseconds = (max: number) => z.number().int().min(0).max(max);

/** Options of the built-in demo MCP server; flags, tests and the embedded server all go through this schema. */
export const DemoServerOptionsSchema = z
  .object({
    /** TCP port of the HTTP server; 0 picks any free port. @default 3001 */
    port: z.number().int().min(0).max(65_535).default(3001),
    /** Interface to bind. @default '127.0.0.1' */
    host: z.string().trim().min(1).default('127.0.0.1'),
    /** The protocol eras served over HTTP (stdio speaks 2025-11-25). @default 'all' */
    protocol: DemoProtocolSchema.default('all'),
    /** Serve one session over stdin/stdout instead of HTTP. @default false */
    stdio: z.boolean().default(false),
    /** What the `work` tool costs. @default 'pool' */
    bottleneck: BottleneckSchema.default('pool'),
    /** Latency of `fast` (and of `work` when it is cheap), ms. @default 5 */
    fastMs: milliseconds(60_000).default(5),
    /** Lower bound of the uniform random latency of `slow`, ms. @default 500 */
    slowMinMs: milliseconds(600_000).default(500),
    /** Upper bound of the uniform random latency of `slow`, ms. @default 5000 */
    slowMaxMs: milliseconds(600_000).default(5000),
    /** `cpu`: milliseconds of real computation per `work` call. @default 20 */
    cpuMs: z.number().int().min(1).max(60_000).default(20),
    /** `event-loop`: how long a blocking call holds the event loop, ms. @default 200 */
    blockMs: z.number().int().min(1).max(60_000).default(200),
    /** `event-loop`: one `work` call in this many blocks the loop. @default 20 */
    blockEvery: z.number().int().min(1).max(1_000_000).default(20),
    /** `memory`: kilobytes retained forever per `work` call. @default 256 */
    leakKb: z.number().int().min(0).max(1_048_576).default(256),
    /** `pool`: connections in the pool (C). @default 8 */
    poolSize: z.number().int().min(1).max(100_000).default(8),
    /** `pool`: how long each call holds a connection (S), ms. @default 100 */
    poolMs: z.number().int().min(1).max(600_000).default(100),
    /** `pool`: callers allowed to wait for a connection; the next one gets 'connection pool full'. @default 64 */
    poolQueue: z.number().int().min(0).max(1_000_000).default(64),
    /** Answer Streamable HTTP POSTs with SSE streams instead of plain JSON. @default false */
    sseResponses: z.boolean().default(false),
    /** Answer `/mcp` with 503 for this long after listening, as a server still starting up does, ms. @default 0 */
    startingMs: milliseconds(600_000).default(0),
    /** stdio mode: write this process's stats to `DIR/<pid>.json`. */
    statsDir: z.string().trim().min(1).optional(),
  })
  .strict()
  .refine((options) => options.slowMinMs <= options.slowMaxMs, {
    path: ['slowMinMs'],
    message: 'slowMinMs must not exceed slowMaxMs',
  });

export type DemoServerOptions = z.output<typeof DemoServerOptionsSchema>;
export type DemoServerOptionsInput = z.input<typeof DemoServerOptionsSchema>;

const perSecond = (calls: number): string => String(Math.round(calls * 10) / 10);

/** One line stating how much load the selected bottleneck can take before latency breaks. */
export function describeCapacity(options: DemoServerOptions): string {
  switch (options.bottleneck) {
    case 'none':
      return `none: every call answers after ${options.fastMs} ms, no ceiling short of the host`;
    case 'cpu':
      return `cpu: ${options.cpuMs} ms of CPU per call on one core → ${perSecond(1000 / options.cpuMs)} calls/s max`;
    case 'event-loop':
      return (
        `event-loop: 1 call in ${options.blockEvery} blocks the loop ${options.blockMs} ms → ` +
        `${perSecond((options.blockEvery * 1000) / options.blockMs)} calls/s max; ` +
        (options.blockEvery <= 100
          ? `P99 ≥ ${options.blockMs} ms at any load while P50 stays ~${options.fastMs} ms`
          : `P99 climbs as more calls wait behind a block`)
      );
    case 'memory':
      return (
        `memory: ${options.leakKb} KB kept per call and never freed → ` +
        `+${perSecond((options.leakKb * 1000) / 1024)} MB per 1000 calls until the process runs out`
      );
    case 'pool':
      return (
        `pool: C=${options.poolSize} connections × S=${options.poolMs} ms → ` +
        `${perSecond((options.poolSize * 1000) / options.poolMs)} calls/s max; ` +
        `queue ${options.poolQueue}, then 'connection pool full'`
      );
    case 'state-leak':
      return `state-leak: no throughput ceiling, but concurrent calls see another session's nonce`;
  }
}
