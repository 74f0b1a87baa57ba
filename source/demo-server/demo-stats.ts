import { performance } from 'node:perf_hooks';
import type { Bottleneck } from './options.js';

/** What the demo server itself saw; served at `GET /stats` and by the `stats` tool. */
export interface DemoStats {
  readonly pid: number;
  readonly transport: 'http' | 'stdio';
  readonly bottleneck: Bottleneck;
  /** `active` sessions are held now; `opened` and `closed` are cumulative. */
  readonly sessions: { readonly active: number; readonly opened: number; readonly closed: number };
  /** Tool calls answered, by tool; `errors` counts tool errors and failed calls. */
  readonly calls: {
    readonly total: number;
    readonly byTool: Readonly<Record<string, number>>;
    readonly errors: number;
  };
  /** Tool calls answered by protocol era: 2025-11-25 stateful sessions, the stateless posture, 2026-07-28. */
  readonly callsByEra: Readonly<Record<string, number>>;
  /** HTTP requests to the MCP endpoints by the era that served them. */
  readonly requestsByEra: Readonly<Record<string, number>>;
  /** Streamable HTTP GET streams (server-to-client SSE) open now. */
  readonly getStreams: number;
  readonly rssBytes: number;
  readonly uptimeMs: number;
}

/** A change worth persisting at once (sessions) or soon (calls). */
export type DemoStatsChange = 'session' | 'call';

/** Counters of one demo server (every session of an HTTP server, or the one session of a stdio process). */
export class DemoStatsRecorder {
  private opened = 0;
  private closed = 0;
  private totalCalls = 0;
  private streams = 0;
  private errors = 0;
  private readonly byTool = new Map<string, number>();
  private readonly callsByEra: Record<string, number> = {};
  private readonly requestsByEra: Record<string, number> = {};
  private readonly startedAt = performance.now();

  constructor(
    private readonly transport: DemoStats['transport'],
    private readonly bottleneck: Bottleneck,
    private readonly onChange: (change: DemoStatsChange) => void = () => {},
  ) {}

  sessionOpened(): void {
    this.opened += 1;
    this.onChange('session');
  }

  sessionClosed(): void {
    this.closed += 1;
    this.onChange('session');
  }

  /** A session's GET stream opened; returns the call that counts it closed. */
  streamOpened(): () => void {
    this.streams += 1;
    let open = true;
    return () => {
      if (open) this.streams -= 1;
      open = false;
    };
  }

  /** An HTTP request to an MCP endpoint, by the era that serves it. */
  request(era: string): void {
    this.requestsByEra[era] = (this.requestsByEra[era] ?? 0) + 1;
  }

  callFinished(tool: string, failed: boolean, era = '2025-11-25'): void {
    this.totalCalls += 1;
    this.callsByEra[era] = (this.callsByEra[era] ?? 0) + 1;
    if (failed) this.errors += 1;
    this.byTool.set(tool, (this.byTool.get(tool) ?? 0) + 1);
    this.onChange('call');
  }

  snapshot(): DemoStats {
    return {
      pid: process.pid,
      transport: this.transport,
      bottleneck: this.bottleneck,
      sessions: { active: this.opened - this.closed, opened: this.opened, closed: this.closed },
      calls: { total: this.totalCalls, byTool: Object.fromEntries(this.byTool), errors: this.errors },
      callsByEra: { ...this.callsByEra },
      requestsByEra: { ...this.requestsByEra },
      getStreams: this.streams,
      rssBytes: process.memoryUsage.rss(),
      uptimeMs: Math.round(performance.now() - this.startedAt),
    };
  }
}
