import type { Attributes, ObservableResult } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Counter, Histogram } from '@opentelemetry/api';
import { LATENCY_BUCKETS_S, RUN_STATES, type LiveGauges, type LiveSink } from './live-feed.js';

export interface OtlpOptions {
  /** The OTLP/HTTP metrics endpoint, e.g. `http://127.0.0.1:4318/v1/metrics`. */
  readonly url: string;
  /** Export period, ms. @default 5000 */
  readonly intervalMs?: number;
  readonly version: string;
}

/**
 * The same metrics as `--metrics-port`, pushed by the OpenTelemetry SDK's OTLP/HTTP exporter. Names use
 * OpenTelemetry's dots and units; a collector's Prometheus exporter turns `mcp_load.tool_call.duration`
 * (unit s) into `mcp_load_tool_call_duration_seconds`, the name `--metrics-port` serves.
 */
export class OtlpExport implements LiveSink {
  private readonly provider: MeterProvider;
  private readonly latency: Histogram;
  private readonly calls: Counter;
  private readonly errors: Counter;

  constructor(options: OtlpOptions, gauges: () => LiveGauges) {
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({
        'service.name': 'mcp-load-explorer',
        'service.version': options.version,
      }),
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: options.url }),
          exportIntervalMillis: options.intervalMs ?? 5000,
          exportTimeoutMillis: Math.min(options.intervalMs ?? 5000, 5000),
        }),
      ],
    });
    const meter = this.provider.getMeter('mcp-load-explorer', options.version);
    this.latency = meter.createHistogram('mcp_load.tool_call.duration', {
      description: 'Tool-call latency per tool, as the load generator measured it',
      unit: 's',
      advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_S] },
    });
    this.calls = meter.createCounter('mcp_load.tool_calls', { description: 'Tool calls per tool' });
    this.errors = meter.createCounter('mcp_load.errors', { description: 'Errors by kind' });
    const gauge = (
      name: string,
      description: string,
      read: (live: LiveGauges, observe: (value: number, attributes?: Attributes) => void) => void,
      unit?: string,
    ): void => {
      meter
        .createObservableGauge(name, { description, ...(unit ? { unit } : {}) })
        .addCallback((result: ObservableResult) =>
          read(gauges(), (value, attributes) => result.observe(value, attributes)),
        );
    };
    gauge('mcp_load.sessions', 'Sessions by state', (live, observe) => {
      observe(live.sessions.active, { state: 'active' });
      observe(live.sessions.connecting, { state: 'connecting' });
      observe(live.sessions.closing, { state: 'closing' });
    });
    gauge('mcp_load.sessions_target', 'Sessions the workload asks for (N)', (live, observe) =>
      observe(live.sessions.target),
    );
    gauge('mcp_load.inflight_calls', 'Tool calls in flight', (live, observe) =>
      observe(live.sessions.inflight),
    );
    gauge('mcp_load.concurrency', 'The current N (closed model)', (live, observe) =>
      observe(live.concurrency),
    );
    gauge('mcp_load.level', 'Index of the level being held', (live, observe) => observe(live.level));
    gauge('mcp_load.run_state', 'The run state (1 for the current one)', (live, observe) =>
      RUN_STATES.forEach((state) => observe(state === live.state ? 1 : 0, { state })),
    );
    gauge(
      'mcp_load.window_p99',
      'Tool-call P99 over the rolling window',
      (live, observe) => {
        if (live.windowP99S !== null) observe(live.windowP99S);
      },
      's',
    );
    gauge('mcp_load.generator.cpu_percent', "The load generator's CPU, % of one core", (live, observe) =>
      observe(live.generator.cpuPercent),
    );
    gauge('mcp_load.generator.saturated', '1 when the generator is saturated', (live, observe) =>
      observe(live.generatorSaturated ? 1 : 0),
    );
    gauge(
      'mcp_load.generator.event_loop_delay_p99',
      "The load generator's event-loop delay p99",
      (live, observe) => observe(live.generator.eventLoopDelayP99Ms / 1000),
      's',
    );
    gauge('mcp_load.server.cpu_percent', "The server's CPU, % of one core", (live, observe) => {
      if (live.server) observe(live.server.cpuPercent);
    });
    gauge(
      'mcp_load.server.rss',
      "The server's RSS",
      (live, observe) => {
        if (live.server) observe(live.server.rssBytes);
      },
      'By',
    );
  }

  recordCalls(tool: string, seconds: number, count: number): void {
    for (let at = 0; at < count; at += 1) this.latency.record(seconds, { tool });
    this.calls.add(count, { tool });
  }

  addErrors(kind: string, count: number): void {
    this.errors.add(count, { kind });
  }

  /** Pushes what is left, then stops (bounded by the exporter's timeout). */
  async close(): Promise<void> {
    await this.provider.forceFlush().catch(() => undefined);
    await this.provider.shutdown().catch(() => undefined);
  }
}
