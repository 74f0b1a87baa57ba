import type { Dispatcher } from 'undici';
import { SseParser, type SseEvent } from './sse-parser.js';

/** How an exchange treats the answer's body, decided from its status and content type. */
export type BodyMode = 'collect' | 'sse' | 'discard';

/** What an exchange tells its owner; the owner decides what the answer means. */
export interface ExchangeListener {
  /** Status and the headers the transport reads; returns what to do with the body. */
  head(status: number, contentType: string, sessionId: string | null): BodyMode;
  event?(event: SseEvent): void;
  retry?(ms: number): void;
  /** An event id the stream set (for resuming it). */
  eventId?(id: string): void;
  /** The answer ended; `body` holds it in `collect` mode. */
  end(body: Buffer | null): void;
  /** The request failed (refused, reset, aborted) before or while the answer came. */
  fail(error: Error): void;
}

const CONTENT_TYPE = 'content-type';
const SESSION_ID = 'mcp-session-id';

/** The header value of `name` (lower case) in undici's raw header list, compared without allocating. */
function rawHeader(raw: Buffer[], name: string): string | null {
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const key = raw[index]!;
    if (key.length === name.length && key.toString('latin1').toLowerCase() === name) {
      return raw[index + 1]!.toString('latin1');
    }
  }
  return null;
}

/**
 * One HTTP request on undici's dispatcher, through its callback handler: no Readable body, no web
 * stream, no AbortController. Abort uses the function undici hands over when the request starts.
 */
export class HttpExchange implements Dispatcher.DispatchHandler {
  private abortRequest: ((error?: Error) => void) | null = null;
  private abortReason: Error | null = null;
  private mode: BodyMode = 'discard';
  private chunks: Buffer[] | null = null;
  private sse: SseParser | null = null;
  private settled = false;

  constructor(
    private readonly listener: ExchangeListener,
    /** When the sweep gives up on it (Date.now() ms); Infinity for a stream. */
    readonly deadline: number,
    /** The owner's set of requests in flight: the exchange leaves it when it ends. */
    private readonly inFlight: Set<HttpExchange>,
  ) {
    inFlight.add(this);
  }

  /** Ends the request; the listener gets `fail(reason)` unless the answer already ended. */
  abort(reason: Error): void {
    if (this.settled || this.abortReason) return;
    this.abortReason = reason;
    this.abortRequest?.(reason);
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortRequest = abort;
    if (this.abortReason) abort(this.abortReason);
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    if (status < 200) return true; // 1xx informational: the real answer follows
    const contentType = rawHeader(raw, CONTENT_TYPE) ?? '';
    this.mode = this.listener.head(status, contentType, rawHeader(raw, SESSION_ID));
    if (this.mode === 'collect') this.chunks = [];
    else if (this.mode === 'sse')
      this.sse = new SseParser(
        (event) => this.listener.event?.(event),
        (ms) => this.listener.retry?.(ms),
        (id) => this.listener.eventId?.(id),
      );
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.chunks) this.chunks.push(chunk);
    else this.sse?.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    this.inFlight.delete(this);
    const chunks = this.chunks;
    this.chunks = null;
    this.listener.end(chunks ? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)) : null);
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.inFlight.delete(this);
    this.chunks = null;
    this.listener.fail(this.abortReason ?? error);
  }
}
