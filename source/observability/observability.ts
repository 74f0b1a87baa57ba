import type { Config } from '../config/schema.js';
import { PreflightError } from '../engine/preflight-error.js';
import type { EngineSnapshot } from '../engine/snapshot.js';
import type { ShardInterval } from '../metrics/recorder.js';
import { feedIntervals, gaugesOf, type LiveGauges, type LiveSink } from './live-feed.js';
import type { ServerMetricsScraper } from './server-metrics.js';
import { showUrl } from './show-url.js';
import type { LevelSummary } from '../engine/levels.js';
import { compareWithProbe, type Canary, type ProbeSample } from '../analysis/probe-canary.js';
import { queryProbe, readProbeHistory } from './probe-history.js';

type Log = (level: 'info' | 'warn', message: string) => void;

/** What a run's observability adds to the engine, and how it is ended. */
export interface RunObservability {
  /** The server's own metrics, for the engine's resource sample (null without `--server-metrics`). */
  readonly serverMetrics: ServerMetricsScraper | null;
  /** Feeds the exporters from each collected interval. */
  readonly onShardIntervals: (intervals: readonly ShardInterval[]) => void;
  /** Connects the exporters to the engine's snapshots and its event log; starts `--metrics-port`. */
  attach(engine: { getSnapshot(): EngineSnapshot; log: Log }): Promise<void>;
  /** `--metrics-port`'s URL once attached, else null. */
  readonly metricsUrl: string | null;
  /** The production canary for these levels (null without `--probe-history` or `--probe-query`). */
  canary(levels: readonly LevelSummary[]): Promise<Canary | null>;
  close(): Promise<void>;
}

/**
 * Starts what the observability flags ask for: the scrape of the server's metrics (its first scrape must
 * answer, or the run does not start), then, once the engine exists, the Prometheus endpoint and OTLP push.
 */
export async function startObservability(config: Config, version: string): Promise<RunObservability> {
  let log: Log = () => undefined;
  // A bad history file answers before any load, not after a long run.
  const history: ProbeSample[] | null = config.probeHistory
    ? await readProbeHistory(config.probeHistory)
    : null;
  let serverMetrics: ServerMetricsScraper | null = null;
  if (config.serverMetrics.length > 0) {
    // Loaded only when asked for, as the exporters are: a run without it never parses exposition text.
    const { ServerMetricsScraper } = await import('./server-metrics.js');
    serverMetrics = new ServerMetricsScraper({
      urls: config.serverMetrics,
      follow: config.serverMetricNames,
      log: (level, message) => log(level, message),
    });
    const failures: string[] = [];
    log = (_level, message) => failures.push(message);
    await serverMetrics.start();
    if (serverMetrics.answering === 0) {
      await serverMetrics.stop();
      throw new PreflightError(
        `${failures[0] ?? `--server-metrics ${showUrl(config.serverMetrics[0]!)}: no answer`}. Check the URL (curl it) or leave --server-metrics out`,
      );
    }
  }
  const sinks: LiveSink[] = [];
  let snapshot: (() => EngineSnapshot) | null = null;
  let latest: LiveGauges | null = null;
  const gauges = (): LiveGauges => (latest = snapshot ? gaugesOf(snapshot()) : latest)!;
  let metricsUrl: string | null = null;
  const observability: RunObservability = {
    serverMetrics,
    onShardIntervals: (intervals) => feedIntervals(sinks, intervals),
    get metricsUrl() {
      return metricsUrl;
    },
    async attach(engine) {
      snapshot = () => engine.getSnapshot();
      log = (level, message) => engine.log(level, message);
      if (config.metricsPort !== undefined) {
        const { PrometheusExport } = await import('./prometheus-export.js');
        const exporter = new PrometheusExport(gauges);
        try {
          metricsUrl = await exporter.listen(config.metricsPort, config.metricsHost);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          throw new PreflightError(
            `--metrics-port ${config.metricsPort}: cannot listen on ${config.metricsHost} (${code}); pass another port or 0`,
          );
        }
        sinks.push(exporter);
        engine.log('info', `live metrics for Prometheus at ${metricsUrl}`);
      }
      if (config.otlpEndpoint) {
        const { OtlpExport } = await import('./otlp-export.js');
        sinks.push(new OtlpExport({ url: config.otlpEndpoint, version }, gauges));
        engine.log('info', `pushing live metrics with OTLP/HTTP to ${showUrl(config.otlpEndpoint)}`);
      }
    },
    async canary(levels) {
      if (history)
        return compareWithProbe(levels, history, `file ${config.probeHistory}`, config.probeFactor);
      if (!config.probeQuery || !config.probePrometheus) return null;
      const source = `Prometheus ${showUrl(config.probePrometheus)}: ${config.probeQuery} (last ${config.probeRangeS} s)`;
      const probe = await queryProbe(config.probePrometheus, config.probeQuery, config.probeRangeS).catch(
        (error: Error) => ({
          error: ((error.cause as Error | undefined)?.message ?? error.message).slice(0, 200),
        }),
      );
      return compareWithProbe(levels, probe, source, config.probeFactor);
    },
    async close() {
      await Promise.all([serverMetrics?.stop(), ...sinks.map((sink) => sink.close())]);
    },
  };
  return observability;
}
