import { z } from 'zod';

const url = (example: string) =>
  z
    .string()
    .trim()
    .refine((text) => URL.canParse(text), { message: `not a URL, expected e.g. ${example}`, abort: true })
    .refine((text) => /^https?:$/.test(new URL(text).protocol), 'must start with http:// or https://');

/** A Prometheus metric name (the exposition's grammar). */
const metricName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'not a metric name, expected e.g. db_pool_waiting');

const number = () =>
  z.coerce.number({ error: (issue) => (issue.code === 'invalid_type' ? 'expected a number' : undefined) });

/** The observability settings: scraped, exported, compared and written for CI. */
export const observabilityFields = {
  /** The server's Prometheus or OpenMetrics endpoints, one per replica, scraped every second. @default [] */
  serverMetrics: z.array(url('http://10.0.0.5:9464/metrics')).default([]),
  /** Other series of the server's metrics followed as sparklines and per level. @default [] */
  serverMetricNames: z.array(metricName).default([]),
  /** Serve the tool's own live metrics in Prometheus exposition on this port (0 = any free port). */
  metricsPort: number().int().min(0).max(65_535).optional(),
  /** Where `metricsPort` listens. @default '127.0.0.1' */
  metricsHost: z.string().trim().min(1).default('127.0.0.1'),
  /** Push the same metrics with OTLP/HTTP to this endpoint (e.g. a collector's /v1/metrics). */
  otlpEndpoint: url('http://127.0.0.1:4318/v1/metrics').optional(),
  /** An external probe's history of the server's latency: CSV or JSON of (time, latency). */
  probeHistory: z.string().min(1).optional(),
  /** A PromQL query for the probe's latency in seconds, e.g. `probe_duration_seconds{job="mcp"}`. */
  probeQuery: z.string().trim().min(1).optional(),
  /** The Prometheus server `probeQuery` is asked. */
  probePrometheus: url('http://127.0.0.1:9090').optional(),
  /** How far back `probeQuery` reads, seconds. @default 86400 */
  probeRangeS: number()
    .positive()
    .max(90 * 86_400)
    .default(86_400),
  /** Medians of the run's N=1 initialize and of the probe further apart than this factor are flagged. @default 2 */
  probeFactor: number().min(1).max(1000).default(2),
  /** Write the `assert` results as JUnit XML here. */
  junit: z.string().min(1).optional(),
};

type Fields = z.output<z.ZodObject<typeof observabilityFields>>;

/** Settings that only make sense together. */
export function checkObservability(config: Fields, ctx: z.RefinementCtx): void {
  if (config.serverMetricNames.length > 0 && config.serverMetrics.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['serverMetricNames'],
      message: '--server-metric follows a series of --server-metrics URL: give the URL too',
    });
  if (Boolean(config.probeQuery) !== Boolean(config.probePrometheus))
    ctx.addIssue({
      code: 'custom',
      path: ['probeQuery'],
      message: 'give --probe-query PROMQL and --probe-prometheus URL together',
    });
  if (config.probeQuery && config.probeHistory)
    ctx.addIssue({
      code: 'custom',
      path: ['probeHistory'],
      message: 'give either --probe-history FILE or --probe-query, not both',
    });
}
