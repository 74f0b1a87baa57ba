import {
  createHistogram,
  fromSparse,
  recordMs,
  toSparse,
  type LatencyHistogram,
  type SparseHistogram,
} from './histogram.js';

/** How many errors of one kind, and the latest message seen. */
export interface ErrorCount {
  readonly count: number;
  readonly lastMessage: string;
}

/** A line for the event log: server stderr, warnings, session failures. */
export interface LogEvent {
  readonly at: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  /** `server`: a line of the server's own output (stdio stderr, a spawned server's stdout and stderr). */
  readonly source?: 'server';
}

/** Where the server's own lines go besides the event log (stderr when headless), or instead (`--server-log`). */
export interface ServerLineSink {
  /** Takes one line, already cleaned (redacted, stripped, cut). */
  write(line: string): void;
  /** The line is not kept in the event log as well. */
  readonly replacesEventLog: boolean;
}

/** What a server's own line is prefixed with in the event log. */
const SERVER_PREFIX = 'server: ';

/** A line of the server's own output as an event-log entry. */
export function serverEvent(line: string, at = Date.now()): LogEvent {
  return { at, level: 'info', message: `${SERVER_PREFIX}${line}`, source: 'server' };
}

/** The server's own line an event holds, or null when the event is the tool's. */
export function serverLineOf(event: LogEvent): string | null {
  return event.source === 'server' ? event.message.slice(SERVER_PREFIX.length) : null;
}

export interface ToolInterval {
  readonly latency: LatencyHistogram;
  readonly calls: number;
  readonly errors: number;
}

/** What one shard (a worker or the in-process pool) measured since its last report. */
export interface ShardInterval {
  readonly at: number;
  readonly call: LatencyHistogram;
  /** Open model: each timed call's latency from its intended start (null when none). */
  readonly corrected: LatencyHistogram | null;
  /** Open model: how late each arrival started against its schedule (null when none arrived). */
  readonly scheduleLag: LatencyHistogram | null;
  readonly initialize: LatencyHistogram;
  readonly close: LatencyHistogram;
  readonly tools: Readonly<Record<string, ToolInterval>>;
  /** Calls by the MCP revision of the client that made them (only with a protocol mix). */
  readonly protocols: Readonly<Record<string, ToolInterval>>;
  readonly calls: number;
  readonly errors: number;
  readonly errorsByKind: Readonly<Record<string, ErrorCount>>;
  readonly sessionsOpened: number;
  readonly sessionsClosed: number;
  /** Event streams resumed with `Last-Event-ID` after they ended without the answer. */
  readonly resumptions: number;
  /** 2026-07-28 Multi Round-Trip Requests answered (declined or empty input). */
  readonly inputRequests: number;
  readonly events: readonly LogEvent[];
}

const MAX_EVENTS_PER_INTERVAL = 20;
/** An event's message is cut at this many characters. */
const MAX_EVENT_CHARS = 500;

/** Records one shard's measurements; `drain()` hands them over and starts a fresh interval. */
export class IntervalRecorder {
  private call = createHistogram();
  private corrected: LatencyHistogram | null = null;
  private scheduleLag: LatencyHistogram | null = null;
  private initialize = createHistogram();
  private close = createHistogram();
  private tools = new Map<string, { latency: LatencyHistogram; calls: number; errors: number }>();
  private protocols = new Map<string, { latency: LatencyHistogram; calls: number; errors: number }>();
  private calls = 0;
  private errors = 0;
  private errorsByKind: Record<string, ErrorCount> = {};
  private sessionsOpened = 0;
  private sessionsClosed = 0;
  private resumptions = 0;
  private inputRequests = 0;
  private events: LogEvent[] = [];
  private droppedEvents = 0;

  private tool(name: string, map = this.tools): { latency: LatencyHistogram; calls: number; errors: number } {
    let entry = map.get(name);
    if (!entry) {
      entry = { latency: createHistogram(), calls: 0, errors: 0 };
      map.set(name, entry);
    }
    return entry;
  }

  /**
   * The same call once more under its client's revision (the protocol mix's rows): its latency when it
   * was timed (null for a call that failed without an answer), and whether it failed.
   */
  recordRevisionCall(revision: string, ms: number | null, failed: boolean): void {
    const entry = this.tool(revision, this.protocols);
    if (ms !== null) recordMs(entry.latency, ms);
    entry.calls += 1;
    if (failed) entry.errors += 1;
  }

  /**
   * A call that got an answer (or timed out): its latency counts. `lagMs` (open model): how late its
   * session started against its arrival schedule; the call's latency from its intended start adds it.
   */
  recordCall(tool: string, ms: number, errorKind?: string, message?: string, lagMs?: number): void {
    const entry = this.tool(tool);
    recordMs(this.call, ms);
    if (lagMs !== undefined) recordMs((this.corrected ??= createHistogram()), ms + lagMs);
    recordMs(entry.latency, ms);
    this.calls += 1;
    entry.calls += 1;
    if (errorKind) {
      entry.errors += 1;
      this.recordError(errorKind, message ?? errorKind);
    }
  }

  /** A call that failed without an answer (refused, reset, HTTP error): counted, not timed. */
  recordFailedCall(tool: string, errorKind: string, message: string): void {
    const entry = this.tool(tool);
    this.calls += 1;
    entry.calls += 1;
    entry.errors += 1;
    this.recordError(errorKind, message);
  }

  /** Open model: an arrival started its session `lagMs` after it was due. */
  recordArrival(lagMs: number): void {
    recordMs((this.scheduleLag ??= createHistogram()), lagMs);
  }

  recordInitialize(ms: number): void {
    recordMs(this.initialize, ms);
    this.sessionsOpened += 1;
  }

  recordClose(ms: number): void {
    recordMs(this.close, ms);
    this.sessionsClosed += 1;
  }

  recordResumption(): void {
    this.resumptions += 1;
  }

  recordInputRequest(): void {
    this.inputRequests += 1;
  }

  /** Errors outside a call (connect, close) count here too. */
  recordError(kind: string, message: string): void {
    this.errors += 1;
    const previous = this.errorsByKind[kind];
    this.errorsByKind[kind] = { count: (previous?.count ?? 0) + 1, lastMessage: message.slice(0, 300) };
  }

  log(level: LogEvent['level'], message: string): void {
    this.addEvent({ at: Date.now(), level, message: message.slice(0, MAX_EVENT_CHARS) });
  }

  /** A line of the server's own output (a stdio server's stderr), marked so it can go to its own stream. */
  serverLine(line: string): void {
    this.addEvent(serverEvent(line.slice(0, MAX_EVENT_CHARS - SERVER_PREFIX.length)));
  }

  /** At most MAX_EVENTS_PER_INTERVAL events an interval; the rest are counted and reported as dropped. */
  private addEvent(event: LogEvent): void {
    if (this.events.length >= MAX_EVENTS_PER_INTERVAL) this.droppedEvents += 1;
    else this.events.push(event);
  }

  drain(): ShardInterval {
    if (this.droppedEvents > 0) {
      this.events.push({
        at: Date.now(),
        level: 'warn',
        message: `${this.droppedEvents} more log lines dropped`,
      });
    }
    const interval: ShardInterval = {
      at: Date.now(),
      call: this.call,
      corrected: this.corrected,
      scheduleLag: this.scheduleLag,
      initialize: this.initialize,
      close: this.close,
      tools: Object.fromEntries(this.tools),
      protocols: Object.fromEntries(this.protocols),
      calls: this.calls,
      errors: this.errors,
      errorsByKind: this.errorsByKind,
      sessionsOpened: this.sessionsOpened,
      sessionsClosed: this.sessionsClosed,
      resumptions: this.resumptions,
      inputRequests: this.inputRequests,
      events: this.events,
    };
    this.call = createHistogram();
    this.corrected = this.scheduleLag = null;
    this.initialize = createHistogram();
    this.close = createHistogram();
    this.tools = new Map();
    this.protocols = new Map();
    this.calls = this.errors = this.sessionsOpened = this.sessionsClosed = this.droppedEvents = 0;
    this.resumptions = this.inputRequests = 0;
    this.errorsByKind = {};
    this.events = [];
    return interval;
  }
}

/** The structured-clone form of an interval: histograms as their non-empty buckets (null when empty). */
type EncodedTools = Readonly<
  Record<string, { latency: SparseHistogram | null; calls: number; errors: number }>
>;

export interface EncodedInterval extends Omit<
  ShardInterval,
  'call' | 'corrected' | 'scheduleLag' | 'initialize' | 'close' | 'tools' | 'protocols'
> {
  readonly call: SparseHistogram | null;
  readonly corrected: SparseHistogram | null;
  readonly scheduleLag: SparseHistogram | null;
  readonly initialize: SparseHistogram | null;
  readonly close: SparseHistogram | null;
  readonly tools: EncodedTools;
  readonly protocols: EncodedTools;
}

const encode = toSparse;
const decode = fromSparse;

export function encodeInterval(interval: ShardInterval): EncodedInterval {
  return {
    ...interval,
    call: encode(interval.call),
    corrected: interval.corrected && encode(interval.corrected),
    scheduleLag: interval.scheduleLag && encode(interval.scheduleLag),
    initialize: encode(interval.initialize),
    close: encode(interval.close),
    tools: encodeTools(interval.tools),
    protocols: encodeTools(interval.protocols),
  };
}

function encodeTools(tools: ShardInterval['tools']): EncodedTools {
  return Object.fromEntries(
    Object.entries(tools).map(([name, tool]) => [name, { ...tool, latency: encode(tool.latency) }]),
  );
}

function decodeTools(tools: EncodedTools): ShardInterval['tools'] {
  return Object.fromEntries(
    Object.entries(tools).map(([name, tool]) => [name, { ...tool, latency: decode(tool.latency) }]),
  );
}

export function decodeInterval(encoded: EncodedInterval): ShardInterval {
  return {
    ...encoded,
    call: decode(encoded.call),
    corrected: encoded.corrected ? decode(encoded.corrected) : null,
    scheduleLag: encoded.scheduleLag ? decode(encoded.scheduleLag) : null,
    initialize: decode(encoded.initialize),
    close: decode(encoded.close),
    tools: decodeTools(encoded.tools),
    protocols: decodeTools(encoded.protocols),
  };
}
