import {
  addHistogram,
  createHistogram,
  encodeHistogram,
  percentilesOf,
  type LatencyHistogram,
  type Percentiles,
} from '../metrics/histogram.js';
import type { ShardInterval } from '../metrics/recorder.js';
import { medianOfSorted } from '../metrics/median.js';
import type { ServerResources } from '../metrics/process-stats.js';
import { LevelServerBook, type LevelServerFigures } from '../metrics/level-server-figures.js';
import { sameCycle, type CallCycle } from './call-cycle.js';
import { loadModelOf } from './load-model.js';
import { addInto, percentilesOrNull } from '../metrics/schedule-lag.js';
import { addTools, type ToolTotals } from '../metrics/tool-totals.js';

/** Error rate at which a level counts as the cliff, for the ceiling search and the analysis. @default 0.01 */
export const CLIFF_ERROR_RATE = 0.01;

/** Generator figures over a level. */
export interface GeneratorFigures {
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly eventLoopDelayP99Ms: number;
}

/** One period at one concurrency value, measured after its warm-up. */
export interface LevelSummary extends LevelServerFigures {
  readonly index: number;
  /** Sessions held; in the open model, the mean number of sessions open while measuring. */
  readonly concurrency: number;
  /** Open model: the level's arrival rate, sessions per second; null in the closed model. */
  readonly arrivalRate: number | null;
  /** Mean think time and session length the level ran at; null when either changed during it. */
  readonly callCycle?: CallCycle | null;
  readonly startedAt: string;
  /** Measuring starts here, after the warm-up. */
  readonly measuredFrom: string;
  readonly endedAt: string | null;
  /** Length of the measured part, ms. */
  readonly durationMs: number;
  readonly calls: number;
  readonly errors: number;
  readonly errorsByKind: Readonly<Record<string, number>>;
  readonly throughput: number;
  /** Tool-call latency from each call's actual start (uncorrected). */
  readonly latencyMs: Percentiles | null;
  /** Open model: tool-call latency from each call's intended start (corrected for coordinated omission). */
  readonly latencyCorrectedMs: Percentiles | null;
  /** Open model: how late arrivals started against their schedule. */
  readonly scheduleLagMs: Percentiles | null;
  readonly initializeMs: Percentiles | null;
  readonly closeMs: Percentiles | null;
  readonly tools: Readonly<Record<string, { calls: number; errors: number; latencyMs: Percentiles | null }>>;
  /** Calls by the MCP revision of their client, with a protocol mix only. */
  readonly byProtocol?: Readonly<
    Record<string, { calls: number; errors: number; latencyMs: Percentiles | null }>
  >;
  /** Server RSS at the end of the measured part (last sample). */
  readonly serverRssBytes: number | null;
  /** Server RSS at the start of the measured part (first sample). */
  readonly serverRssStartBytes: number | null;
  /** Server RSS at the middle of the measured part (the sample nearest it): warm-up growth is over by then. */
  readonly serverRssMidBytes: number | null;
  /** Whether the rolling P99 had settled by the end: its last 5 one-second readings within ±10%. */
  readonly settled: boolean;
  readonly serverCpuPercent: number | null;
  readonly generator: GeneratorFigures;
  /** The level's tool-call HdrHistogram, compressed base64 (µs). */
  readonly histogram: string | null;
  /** Open model: the corrected tool-call HdrHistogram, compressed base64 (µs). */
  readonly histogramCorrected: string | null;
}

/** Calls a level needs before its P99 counts toward a finding: below 100 calls the P99 is the slowest call. @default 100 */
export const MIN_CALLS_FOR_P99 = 100;

/** Readings of the rolling P99 that must agree for a level to count as settled. @default 5 */
export const SETTLE_SAMPLES = 5;

function settled(samples: readonly number[]): boolean {
  const last = samples.slice(-SETTLE_SAMPLES);
  if (last.length < SETTLE_SAMPLES) return false;
  const mean = last.reduce((sum, value) => sum + value, 0) / last.length;
  return mean === 0 || (Math.max(...last) - Math.min(...last)) / mean <= 0.2;
}

/** Adds a value to an ascending array in place (no copy per reading, however long the level). */
function insertSorted(sorted: number[], value: number): void {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  sorted.splice(low, 0, value);
}

/** The mean of the readings so far, null before the first. */
class RunningMean {
  private sum = 0;
  private count = 0;
  add(value: number): void {
    this.sum += value;
    this.count += 1;
  }
  get value(): number | null {
    return this.count ? this.sum / this.count : null;
  }
}

const tenths = (value: number): number => Math.round(value * 10) / 10;

function toolSummaries(tools: ToolTotals): LevelSummary['tools'] {
  return Object.fromEntries(
    [...tools].map(([name, tool]) => [
      name,
      { calls: tool.calls, errors: tool.errors, latencyMs: percentilesOf(tool.latency) },
    ]),
  );
}

/** Accumulates one level; figures before `measureFrom` (the warm-up) are left out. */
export class Level {
  private readonly call = createHistogram();
  private corrected: LatencyHistogram | null = null;
  private scheduleLag: LatencyHistogram | null = null;
  private readonly initialize = createHistogram();
  private readonly close = createHistogram();
  private readonly tools: ToolTotals = new Map();
  private readonly protocols: ToolTotals = new Map();
  calls = 0;
  errors = 0;
  private readonly errorsByKind: Record<string, number> = {};
  private serverRss: number | null = null;
  private serverRssStart: number | null = null;
  /** Server RSS samples [time, bytes], thinned to every other one past 128: enough to find the middle. */
  private readonly serverRssSamples: [number, number][] = [];
  /**
   * The rolling P99 once a second while measuring, the last few: to tell a settled level from a moving
   * one. Every per-second figure here is kept in bounded or allocation-free form: a level may be held for
   * hours and is summarised every second.
   */
  private readonly p99Samples: number[] = [];
  private readonly serverCpu = new RunningMean();
  private readonly generatorCpu = new RunningMean();
  private generatorRss = 0;
  /** The generator's loop-delay P99 of each second, ascending (for the level's median second). */
  private readonly loopDelayP99: number[] = [];
  /** Sessions open, once a tick while measuring (the open model's N). */
  private readonly sessionsOpen = new RunningMean();
  private readonly serverOwn = new LevelServerBook();
  endedAt: number | null = null;

  constructor(
    readonly index: number,
    readonly concurrency: number,
    readonly startedAt: number,
    readonly measureFrom: number,
    readonly arrivalRate: number | null = null,
    private cycle: CallCycle | null = null,
  ) {}

  /** The workload's think time or session length changed live: the level no longer ran at one. */
  noteCycle(cycle: CallCycle | null): void {
    if (!sameCycle(this.cycle, cycle)) this.cycle = null;
  }

  /** Enough readings to judge, and the rolling P99 is still moving (a short hold is never "moving"). */
  stillMoving(): boolean {
    return this.p99Samples.length >= SETTLE_SAMPLES && !settled(this.p99Samples);
  }

  /** The tool-call P99 so far, ms (null before the first call). */
  callP99Ms(): number | null {
    return percentilesOf(this.call)?.p99 ?? null;
  }

  /** Sessions open now: in the open model the level's N is their mean (Little's law's L). */
  addSessions(now: number, open: number): void {
    if (this.isMeasuring(now)) this.sessionsOpen.add(open);
  }

  isMeasuring(now: number): boolean {
    return now >= this.measureFrom && this.endedAt === null;
  }

  add(interval: ShardInterval, now: number): void {
    if (!this.isMeasuring(now)) return;
    addHistogram(this.call, interval.call);
    this.corrected = addInto(this.corrected, interval.corrected);
    this.scheduleLag = addInto(this.scheduleLag, interval.scheduleLag);
    addHistogram(this.initialize, interval.initialize);
    addHistogram(this.close, interval.close);
    this.calls += interval.calls;
    this.errors += interval.errors;
    for (const [kind, count] of Object.entries(interval.errorsByKind)) {
      this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + count.count;
    }
    addTools(this.tools, interval.tools);
    addTools(this.protocols, interval.protocols);
  }

  addResources(
    now: number,
    server: (Pick<ServerResources, 'rssBytes' | 'cpuPercent'> & Partial<ServerResources>) | null,
    generator: GeneratorFigures,
    windowP99Ms: number | null = null,
  ): void {
    if (!this.isMeasuring(now)) return;
    if (windowP99Ms !== null) {
      this.p99Samples.push(windowP99Ms);
      if (this.p99Samples.length > SETTLE_SAMPLES) this.p99Samples.shift();
    }
    if (server) {
      this.serverRssStart ??= server.rssBytes;
      this.serverRss = server.rssBytes;
      this.serverRssSamples.push([now, server.rssBytes]);
      if (this.serverRssSamples.length > 128) {
        const kept = this.serverRssSamples.filter((_, index) => index % 2 === 0);
        this.serverRssSamples.splice(0, this.serverRssSamples.length, ...kept);
      }
      this.serverCpu.add(server.cpuPercent);
      this.serverOwn.add(server);
    }
    this.generatorCpu.add(generator.cpuPercent);
    this.generatorRss = Math.max(this.generatorRss, generator.rssBytes);
    insertSorted(this.loopDelayP99, generator.eventLoopDelayP99Ms);
  }

  private rssAt(time: number): number | null {
    let nearest: [number, number] | undefined;
    for (const sample of this.serverRssSamples)
      if (!nearest || Math.abs(sample[0] - time) < Math.abs(nearest[0] - time)) nearest = sample;
    return nearest?.[1] ?? null;
  }

  summary(now: number, withHistogram: boolean): LevelSummary {
    const end = this.endedAt ?? now;
    const durationMs = Math.max(0, end - this.measureFrom);
    const serverCpu = this.serverCpu.value;
    return {
      index: this.index,
      concurrency: loadModelOf(this).levelN(this.concurrency, this.sessionsOpen.value),
      arrivalRate: this.arrivalRate,
      callCycle: this.cycle,
      startedAt: new Date(this.startedAt).toISOString(),
      measuredFrom: new Date(this.measureFrom).toISOString(),
      endedAt: this.endedAt === null ? null : new Date(this.endedAt).toISOString(),
      durationMs,
      calls: this.calls,
      errors: this.errors,
      errorsByKind: { ...this.errorsByKind },
      throughput: durationMs > 0 ? Math.round((this.calls * 1e5) / durationMs) / 100 : 0,
      latencyMs: percentilesOf(this.call),
      latencyCorrectedMs: percentilesOrNull(this.corrected),
      scheduleLagMs: percentilesOrNull(this.scheduleLag),
      initializeMs: percentilesOf(this.initialize),
      closeMs: percentilesOf(this.close),
      tools: toolSummaries(this.tools),
      ...(this.protocols.size > 0 ? { byProtocol: toolSummaries(this.protocols) } : {}),
      serverRssBytes: this.serverRss,
      serverRssStartBytes: this.serverRssStart,
      serverRssMidBytes: this.rssAt((this.measureFrom + end) / 2),
      settled: settled(this.p99Samples),
      serverCpuPercent: serverCpu === null ? null : tenths(serverCpu),
      generator: {
        cpuPercent: tenths(this.generatorCpu.value ?? 0),
        rssBytes: this.generatorRss,
        // The median second: one slow second (a worker starting, a GC) does not mark the whole level.
        eventLoopDelayP99Ms: this.loopDelayP99.length
          ? Math.round(medianOfSorted(this.loopDelayP99) * 100) / 100
          : 0,
      },
      histogram: withHistogram && this.call.totalCount > 0 ? encodeHistogram(this.call) : null,
      histogramCorrected: withHistogram && this.corrected ? encodeHistogram(this.corrected) : null,
      ...this.serverOwn.figures(),
    };
  }
}
