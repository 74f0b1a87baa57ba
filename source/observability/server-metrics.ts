import type { ServerResources, ServerSeries } from '../metrics/process-stats.js';
import { Exposition } from './exposition.js';
import { showUrl } from './show-url.js';

/** A scrape larger than this is cut off and counted as failed: a server's text is untrusted. */
export const MAX_SCRAPE_BYTES = 8 * 1024 ** 2;
/** Seconds of trend kept per followed series (as the screen's other sparklines). */
const TREND_SECONDS = 120;
/** Figures older than this are not shown as current. */
const STALE_MS = 5000;

const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** The standard names, in order of preference: prom-client (Node) first, then prometheus_client (Python). */
export const SERVER_METRIC_NAMES = {
  cpuSeconds: ['process_cpu_seconds_total'],
  cpuUserSystem: ['process_cpu_user_seconds_total', 'process_cpu_system_seconds_total'],
  rssBytes: ['process_resident_memory_bytes'],
  loopDelaySeconds: ['nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_seconds'],
  gcSeconds: 'nodejs_gc_duration_seconds',
} as const;

/** One replica's readings from its latest scrape. */
interface Reading {
  readonly at: number;
  readonly cpuSeconds: number | null;
  readonly rssBytes: number | null;
  readonly loopDelayMs: number | null;
  readonly gcSeconds: number | null;
  readonly cpuPercent: number | null;
  readonly gcMsPerS: number | null;
  readonly series: Readonly<Record<string, number | null>>;
}

/** fetch() refuses credentials in a URL: they travel as Basic authentication instead. */
function request(url: string): { url: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  const headers: Record<string, string> = { accept: ACCEPT };
  if (parsed.username || parsed.password) {
    const user = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    headers['authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  return { url: parsed.toString(), headers };
}

/** An error's words with the URL, its credentials and query taken out (a reason may quote the URL). */
function reasonOf(error: unknown, url: string): string {
  const text =
    error instanceof Error ? (error.cause as Error | undefined)?.message || error.message : String(error);
  const parsed = new URL(url);
  const secrets = [url, parsed.username, parsed.password, parsed.search].filter((part) => part.length > 1);
  return secrets.reduce((said, secret) => said.split(secret).join('[redacted]'), text).slice(0, 160);
}

async function readBounded(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_SCRAPE_BYTES) {
      await reader.cancel();
      throw new Error(`more than ${MAX_SCRAPE_BYTES / 1024 ** 2} MB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface ServerMetricsOptions {
  /** `--server-metrics`: one exposition URL per replica. */
  readonly urls: readonly string[];
  /** `--server-metric`: other series followed as sparklines and per level. @default [] */
  readonly follow?: readonly string[];
  /** Scrape period, ms. @default 1000 */
  readonly intervalMs?: number;
  /** Where a scrape that starts or stops failing is told (the event log). */
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

/**
 * Scrapes each replica's Prometheus or OpenMetrics exposition once a second and maps the standard process
 * and runtime series onto the server resources the screen shows: CPU (a rate of the CPU-seconds counter),
 * RSS, event-loop delay and GC pause time, summed (delay: the worst) over replicas.
 */
export class ServerMetricsScraper {
  private readonly readings = new Map<string, Reading>();
  private readonly failing = new Map<string, string>();
  private readonly trends = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | null = null;
  private lastTrendAt = 0;
  /** Scrape rounds completed. */
  rounds = 0;

  constructor(private readonly options: ServerMetricsOptions) {}

  /** Scrapes once and waits for it (so the first figures are there before the load), then every second. */
  async start(): Promise<void> {
    await this.scrapeAll();
    this.timer = setInterval(() => {
      this.inflight ??= this.scrapeAll().finally(() => (this.inflight = null));
    }, this.options.intervalMs ?? 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inflight;
  }

  /** Replicas that answered the last scrape. */
  get answering(): number {
    return this.readings.size;
  }

  private async scrapeAll(): Promise<void> {
    await Promise.all(this.options.urls.map((url) => this.scrape(url)));
    this.rounds += 1;
    this.recordTrends(Date.now());
  }

  private async scrape(url: string): Promise<void> {
    const at = Date.now();
    try {
      const target = request(url);
      const response = await fetch(target.url, {
        headers: target.headers,
        signal: AbortSignal.timeout(Math.max(500, (this.options.intervalMs ?? 1000) * 2)),
        redirect: 'error',
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const exposition = new Exposition(await readBounded(response));
      if (exposition.size === 0) throw new Error('no metrics in the answer');
      this.readings.set(url, this.read(exposition, at, this.readings.get(url)));
      if (this.failing.delete(url))
        this.options.log?.('info', `--server-metrics ${showUrl(url)} answers again`);
    } catch (error) {
      this.readings.delete(url);
      const reason = reasonOf(error, url);
      if (!this.failing.has(url))
        this.options.log?.(
          'warn',
          `--server-metrics ${showUrl(url)}: ${reason}; its figures are left out until it answers`,
        );
      this.failing.set(url, reason);
    }
  }

  private read(exposition: Exposition, at: number, previous: Reading | undefined): Reading {
    const names = SERVER_METRIC_NAMES;
    const user = exposition.sum(names.cpuUserSystem[0]);
    const system = exposition.sum(names.cpuUserSystem[1]);
    const cpuSeconds =
      exposition.first(names.cpuSeconds) ?? (user !== null && system !== null ? user + system : null);
    const loopDelay = exposition.first(names.loopDelaySeconds);
    const gcSeconds = exposition.histogramSum(names.gcSeconds);
    const seconds = previous ? (at - previous.at) / 1000 : 0;
    const rate = (now: number | null, before: number | null | undefined): number | null =>
      now !== null && before !== null && before !== undefined && seconds > 0 && now >= before
        ? (now - before) / seconds
        : null;
    const cpuRate = rate(cpuSeconds, previous?.cpuSeconds);
    const gcRate = rate(gcSeconds, previous?.gcSeconds);
    return {
      at,
      cpuSeconds,
      rssBytes: exposition.first(names.rssBytes),
      loopDelayMs: loopDelay === null ? null : loopDelay * 1000,
      gcSeconds,
      cpuPercent: cpuRate === null ? null : Math.round(cpuRate * 1000) / 10,
      gcMsPerS: gcRate === null ? null : Math.round(gcRate * 10_000) / 10,
      series: Object.fromEntries((this.options.follow ?? []).map((name) => [name, exposition.sum(name)])),
    };
  }

  private recordTrends(now: number): void {
    if (now - this.lastTrendAt < 500) return;
    this.lastTrendAt = now;
    for (const name of this.options.follow ?? []) {
      const value = this.seriesValue(name);
      if (value === null) continue;
      const trend = this.trends.get(name) ?? [];
      this.trends.set(name, [...trend.slice(-(TREND_SECONDS - 1)), value]);
    }
  }

  private current(): Reading[] {
    const now = Date.now();
    return [...this.readings.values()].filter((reading) => now - reading.at <= STALE_MS);
  }

  private seriesValue(name: string): number | null {
    const values = this.current()
      .map((reading) => reading.series[name])
      .filter((value): value is number => value !== null && value !== undefined);
    return values.length ? values.reduce((sum, value) => sum + value, 0) : null;
  }

  /** The server's resources as the replicas' latest scrapes give them; null when none answers. */
  latest(): ServerResources | null {
    const readings = this.current();
    if (readings.length === 0) return null;
    const total = (pick: (reading: Reading) => number | null): number | null => {
      const values = readings.map(pick).filter((value): value is number => value !== null);
      return values.length ? values.reduce((sum, value) => sum + value, 0) : null;
    };
    const delays = readings.map((reading) => reading.loopDelayMs).filter((value) => value !== null);
    const series: Record<string, ServerSeries> = {};
    for (const name of this.options.follow ?? [])
      series[name] = { value: this.seriesValue(name), trend: this.trends.get(name) ?? [] };
    return {
      source: 'metrics',
      processes: readings.length,
      rssBytes: total((reading) => reading.rssBytes) ?? 0,
      cpuPercent: Math.round((total((reading) => reading.cpuPercent) ?? 0) * 10) / 10,
      eventLoopDelayP99Ms: delays.length ? Math.round(Math.max(...delays) * 100) / 100 : null,
      gcMsPerS: total((reading) => reading.gcMsPerS),
      series,
    };
  }
}
