import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS_S, RUN_STATES, type LiveGauges, type LiveSink } from './live-feed.js';

/** Prefix of every series this tool exports. */
export const METRIC_PREFIX = 'mcp_load_';

/** The run's live metrics in Prometheus exposition at `/metrics`, by prom-client. */
export class PrometheusExport implements LiveSink {
  readonly registry = new Registry();
  private readonly latency: Histogram<'tool'>;
  private readonly calls: Counter<'tool'>;
  private readonly errors: Counter<'kind'>;
  private server: Server | null = null;

  constructor(gauges: () => LiveGauges) {
    const registers = [this.registry];
    const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;
    this.latency = new Histogram({
      name: name('tool_call_duration_seconds'),
      help: 'Tool-call latency per tool, as the load generator measured it',
      labelNames: ['tool'],
      buckets: [...LATENCY_BUCKETS_S],
      registers,
    });
    this.calls = new Counter({
      name: name('tool_calls_total'),
      help: 'Tool calls answered (or timed out) per tool',
      labelNames: ['tool'],
      registers,
    });
    this.errors = new Counter({
      name: name('errors_total'),
      help: 'Errors by kind (timeout, http-5xx, json-rpc, pool-full, …)',
      labelNames: ['kind'],
      registers,
    });
    const gauge = (
      suffix: string,
      help: string,
      read: (live: LiveGauges, set: (value: number, labels?: Record<string, string>) => void) => void,
      labelNames: string[] = [],
    ): void => {
      new Gauge({
        name: name(suffix),
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          read(gauges(), (value, labels) => (labels ? this.set(labels, value) : this.set(value)));
        },
      });
    };
    gauge(
      'sessions',
      'Sessions by state',
      (live, set) => {
        const { active, connecting, closing } = live.sessions;
        set(active, { state: 'active' });
        set(connecting, { state: 'connecting' });
        set(closing, { state: 'closing' });
      },
      ['state'],
    );
    gauge('sessions_target', 'Sessions the workload asks for (N)', (live, set) => set(live.sessions.target));
    gauge('inflight_calls', 'Tool calls in flight', (live, set) => set(live.sessions.inflight));
    gauge('concurrency', 'The current N (closed model)', (live, set) => set(live.concurrency));
    gauge('arrival_rate', 'Open model: sessions arriving per second', (live, set) => {
      if (live.arrivalRate !== null) set(live.arrivalRate);
    });
    gauge('level', 'Index of the level being held', (live, set) => set(live.level));
    gauge(
      'run_state',
      'The run state (1 for the current one)',
      (live, set) => RUN_STATES.forEach((state) => set(state === live.state ? 1 : 0, { state })),
      ['state'],
    );
    gauge('window_p99_seconds', 'Tool-call P99 over the rolling window', (live, set) => {
      if (live.windowP99S !== null) set(live.windowP99S);
    });
    gauge('throughput_calls_per_second', 'Tool calls per second over the rolling window', (live, set) =>
      set(live.throughput),
    );
    gauge('generator_cpu_percent', "The load generator's CPU, % of one core", (live, set) =>
      set(live.generator.cpuPercent),
    );
    gauge('generator_rss_bytes', "The load generator's RSS", (live, set) => set(live.generator.rssBytes));
    gauge(
      'generator_event_loop_delay_p99_seconds',
      "The load generator's event-loop delay p99",
      (live, set) => set(live.generator.eventLoopDelayP99Ms / 1000),
    );
    gauge('generator_workers', 'Worker threads holding sessions', (live, set) => set(live.generator.workers));
    gauge(
      'generator_saturated',
      '1 when the generator is saturated: its latencies are not to be trusted',
      (live, set) => set(live.generatorSaturated ? 1 : 0),
    );
    gauge(
      'server_cpu_percent',
      "The server's CPU, % of one core (--pid, --spawn or --server-metrics)",
      (live, set) => {
        if (live.server) set(live.server.cpuPercent);
      },
    );
    gauge('server_rss_bytes', "The server's RSS", (live, set) => {
      if (live.server) set(live.server.rssBytes);
    });
  }

  recordCalls(tool: string, seconds: number, count: number): void {
    for (let at = 0; at < count; at += 1) this.latency.observe({ tool }, seconds);
    this.calls.inc({ tool }, count);
  }

  addErrors(kind: string, count: number): void {
    this.errors.inc({ kind }, count);
  }

  /** Serves `/metrics` on `host:port`; returns the URL. */
  async listen(port: number, host: string): Promise<string> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || new URL(request.url ?? '/', 'http://x').pathname !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('see /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(`${error.message}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    return `http://${shown}:${bound.port}/metrics`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
