import { z } from 'zod';
import type { LevelSummary } from '../engine/levels.js';

/** One probe reading: when, and how long the probe took, ms. */
export interface ProbeSample {
  readonly at: number;
  readonly latencyMs: number;
}

const DistributionSchema = z.object({
  count: z.number().int(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
});

/** The production canary as the report carries it: the run's N=1 initialize beside an external probe. */
export const CanarySchema = z.object({
  source: z.string().describe('where the probe history came from: a file, or a Prometheus query'),
  run: DistributionSchema.nullable().describe("the run's initialize latency at N=1, ms"),
  probe: DistributionSchema.nullable().describe("the probe's latency over its history, ms"),
  ratio: z.number().nullable().describe("the run's median over the probe's"),
  factor: z.number(),
  flagged: z.boolean(),
  verdict: z.string(),
});

export type Canary = z.infer<typeof CanarySchema>;
type Distribution = z.infer<typeof DistributionSchema>;

const round = (value: number): number => Math.round(value * 100) / 100;

function distribution(values: number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (quantile: number): number =>
    round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))]!);
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: round(sorted[sorted.length - 1]!),
  };
}

/**
 * Compares the run's single-client `initialize` latency (the level at N=1) with an external probe's
 * history of the same server. Medians further apart than `factor` are flagged with the likely cause: the
 * probe and this generator do not see the server from the same distance.
 */
export function compareWithProbe(
  levels: readonly LevelSummary[],
  probe: readonly ProbeSample[] | { readonly error: string },
  source: string,
  factor: number,
): Canary {
  const single = levels.find(
    (level) => level.concurrency === 1 && level.arrivalRate === null && level.initializeMs,
  );
  const init = single?.initializeMs;
  const run = init ? { count: init.count, p50: init.p50, p90: init.p90, p99: init.p99, max: init.max } : null;
  const base = { source, run, factor, ratio: null, flagged: false };
  if ('error' in probe) return { ...base, probe: null, verdict: `probe history unavailable: ${probe.error}` };
  const probed = distribution(probe.map((sample) => sample.latencyMs));
  if (!run)
    return {
      ...base,
      probe: probed,
      verdict: 'no level at N=1 with sessions opened: add 1 to --steps to compare with the probe',
    };
  if (!probed || probed.p50 <= 0)
    return { ...base, probe: probed, verdict: 'the probe history has no latency to compare' };
  // Three significant digits, not two decimals: a run 500× faster than the probe must not round to 0.
  const ratio = Number((run.p50 / probed.p50).toPrecision(3));
  const times = (value: number): string => `${value >= 10 ? Math.round(value) : value.toFixed(1)}×`;
  if (ratio > factor)
    return {
      ...base,
      probe: probed,
      ratio,
      flagged: true,
      verdict: `the run's N=1 initialize median is ${times(ratio)} the probe's (more than ${factor}×): this generator is likely farther from the server than the probe (network distance, another region, a proxy or TLS on its path), or the probe measures a cheaper request`,
    };
  if (ratio < 1 / factor)
    return {
      ...base,
      probe: probed,
      ratio,
      flagged: true,
      verdict: `the probe's median is ${times(1 / ratio)} the run's N=1 initialize (more than ${factor}×): the probe is likely farther from the server (probe region, a load balancer or new TLS handshakes per probe), or the server was slower while the probe ran`,
    };
  return {
    ...base,
    probe: probed,
    ratio,
    verdict: `the run's N=1 initialize median is within ${factor}× of the probe's (${times(ratio)}): the two see the server alike`,
  };
}

const dist = (value: Distribution | null): string =>
  value
    ? `median ${value.p50} ms, p90 ${value.p90} ms, p99 ${value.p99} ms, max ${value.max} ms (${value.count})`
    : 'none';

/** The canary in lines, for the summary. */
export function describeCanary(canary: Canary): string[] {
  return [
    `canary (${canary.source}):`,
    `  run N=1 initialize: ${dist(canary.run)}`,
    `  probe:              ${dist(canary.probe)}`,
    `  ${canary.flagged ? '⚠ ' : ''}${canary.verdict}`,
  ];
}

/** The canary as a Markdown section. */
export function canaryMarkdown(canary: Canary): string[] {
  const row = (name: string, value: Distribution | null): string =>
    value
      ? `| ${name} | ${value.count} | ${value.p50} | ${value.p90} | ${value.p99} | ${value.max} |`
      : `| ${name} | 0 | – | – | – | – |`;
  return [
    '## Production canary',
    '',
    `Probe history: ${canary.source.replace(/\|/g, '\\|')}`,
    '',
    '| latency (ms) | count | median | p90 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('run, N=1 initialize', canary.run),
    row('external probe', canary.probe),
    '',
    `${canary.flagged ? '**Flagged:** ' : ''}${canary.verdict}.`,
    '',
  ];
}
