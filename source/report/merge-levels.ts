import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  percentilesOf,
  type Percentiles,
} from '../metrics/histogram.js';
import type { Report } from './report-schema.js';

/** One level of a report, as `levels[]` carries it. */
export type LevelReport = Report['levels'][number];

/** A bad merge input: the message is one line that says what to do. */
export class MergeError extends Error {
  override readonly name = 'MergeError';
}

/** One agent's level with the file it came from, for messages. */
export interface AgentLevel {
  readonly file: string;
  readonly level: LevelReport;
}

/**
 * Percentiles of several agents when only their summaries are known (initialize, close, per tool):
 * count and max are exact, the mean is count-weighted, and each percentile is the highest of the agents'
 * — an upper bound, since a percentile of the combined calls never exceeds the largest agent's.
 */
export function upperBound(parts: readonly (Percentiles | null)[]): Percentiles | null {
  const known = parts.filter((part): part is Percentiles => part !== null && part.count > 0);
  if (known.length === 0) return null;
  const count = known.reduce((sum, part) => sum + part.count, 0);
  const highest = (key: keyof Percentiles): number => Math.max(...known.map((part) => part[key]));
  return {
    count,
    p50: highest('p50'),
    p90: highest('p90'),
    p95: highest('p95'),
    p99: highest('p99'),
    p999: highest('p999'),
    max: highest('max'),
    mean: Math.round((1000 * known.reduce((sum, part) => sum + part.mean * part.count, 0)) / count) / 1000,
  };
}

/**
 * The agents' tool-call histograms added (HdrHistogram merge): the percentiles of every call together.
 * `which`: the uncorrected histogram, or the open model's corrected one.
 */
export function mergeHistograms(
  agents: readonly AgentLevel[],
  which: 'histogram' | 'histogramCorrected' = 'histogram',
): {
  encoded: string | null;
  latency: Percentiles | null;
} {
  const merged = createHistogram();
  for (const { file, level } of agents) {
    const encoded = level[which];
    if (encoded === null) {
      if (which === 'histogram' && level.latencyMs !== null)
        throw new MergeError(
          `${file}: level ${level.index + 1} (N=${level.concurrency}) has calls but no histogram (levels[].histogram); merge needs the reports a finished run writes with --report`,
        );
      continue;
    }
    let histogram;
    try {
      histogram = decodeHistogram(encoded);
    } catch {
      throw new MergeError(
        `${file}: level ${level.index + 1} histogram is not a compressed base64 HdrHistogram; was the report edited?`,
      );
    }
    merged.add(histogram);
    histogram.destroy();
  }
  const latency = percentilesOf(merged);
  const encoded = merged.totalCount > 0 ? encodeHistogram(merged) : null;
  merged.destroy();
  return { encoded, latency };
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
const maxOf = (values: readonly (number | null)[]): number | null => {
  const known = values.filter((value): value is number => value !== null);
  return known.length ? Math.max(...known) : null;
};
const minOf = (values: readonly (number | null)[]): number | null => {
  const known = values.filter((value): value is number => value !== null);
  return known.length ? Math.min(...known) : null;
};
const earliest = (times: readonly string[]): string => [...times].sort()[0]!;
const latest = (times: readonly string[]): string => [...times].sort().at(-1)!;

/**
 * Level i of every agent as one level: sessions, calls, errors and throughput summed, tool-call histograms
 * added. Generator figures are the busiest agent's (a saturated agent taints the merged latencies).
 */
export function mergeLevel(index: number, agents: readonly AgentLevel[]): LevelReport {
  const levels = agents.map((agent) => agent.level);
  const { encoded, latency } = mergeHistograms(agents);
  const corrected = mergeHistograms(agents, 'histogramCorrected');
  const errorsByKind: Record<string, number> = {};
  const tools: Record<string, { calls: number; errors: number; latencyMs: Percentiles | null }> = {};
  for (const level of levels) {
    for (const [kind, count] of Object.entries(level.errorsByKind))
      errorsByKind[kind] = (errorsByKind[kind] ?? 0) + count;
    for (const [name, tool] of Object.entries(level.tools)) {
      const entry = tools[name];
      tools[name] = entry
        ? {
            calls: entry.calls + tool.calls,
            errors: entry.errors + tool.errors,
            latencyMs: upperBound([entry.latencyMs, tool.latencyMs]),
          }
        : { ...tool };
    }
  }
  const ended = levels.map((level) => level.endedAt);
  return {
    index,
    concurrency: sum(levels.map((level) => level.concurrency)),
    // Open-model agents: their arrival rates add up like their sessions do.
    arrivalRate: levels.some((level) => level.arrivalRate === null)
      ? null
      : sum(levels.map((level) => level.arrivalRate ?? 0)),
    startedAt: earliest(levels.map((level) => level.startedAt)),
    // Every agent measures from here on: the span where the summed load was really applied.
    measuredFrom: latest(levels.map((level) => level.measuredFrom)),
    endedAt: ended.includes(null) ? null : latest(ended as string[]),
    durationMs: Math.max(...levels.map((level) => level.durationMs)),
    calls: sum(levels.map((level) => level.calls)),
    errors: sum(levels.map((level) => level.errors)),
    errorsByKind,
    throughput: Math.round(100 * sum(levels.map((level) => level.throughput))) / 100,
    latencyMs: latency,
    latencyCorrectedMs: corrected.latency,
    scheduleLagMs: upperBound(levels.map((level) => level.scheduleLagMs)),
    initializeMs: upperBound(levels.map((level) => level.initializeMs)),
    closeMs: upperBound(levels.map((level) => level.closeMs)),
    tools,
    serverRssBytes: maxOf(levels.map((level) => level.serverRssBytes)),
    serverRssStartBytes: minOf(levels.map((level) => level.serverRssStartBytes)),
    serverRssMidBytes: maxOf(levels.map((level) => level.serverRssMidBytes)),
    settled: levels.every((level) => level.settled),
    serverCpuPercent: maxOf(levels.map((level) => level.serverCpuPercent)),
    generator: {
      cpuPercent: Math.max(...levels.map((level) => level.generator.cpuPercent)),
      rssBytes: Math.max(...levels.map((level) => level.generator.rssBytes)),
      eventLoopDelayP99Ms: Math.max(...levels.map((level) => level.generator.eventLoopDelayP99Ms)),
    },
    histogram: encoded,
    histogramCorrected: corrected.encoded,
  };
}

/** How far apart (ms) the agents started level i: large gaps mean the load was not applied together. */
export function startSpreadMs(agents: readonly AgentLevel[]): number {
  const starts = agents.map((agent) => Date.parse(agent.level.startedAt));
  return Math.max(...starts) - Math.min(...starts);
}
