import type { Dispatcher } from 'undici';
import {
  LimitError,
  MAX_ANSWER_BYTES,
  QuietStreamError,
  MAX_STREAM_BYTES_WITHOUT_EVENT,
  mebibytes,
} from './limits.js';
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
  /** Body bytes collected, or event-stream bytes since the last event. */
  private bytes = 0;

  constructor(
    private readonly listener: ExchangeListener,
    /** When the sweep gives up on it (Date.now() ms); Infinity for a stream. */
    public deadline: number,
    /** The owner's set of requests in flight: the exchange leaves it when it ends. */
    private readonly inFlight: Set<HttpExchange>,
    /** A stream: the deadline moves this far ahead with each event (see GET_STREAM_QUIET_MS). */
    readonly quietMs?: number,
  ) {
    inFlight.add(this);
  }

  /** Ends the request; the listener gets `fail(reason)` unless the answer already ended. */
  abort(reason: Error): void {
    if (this.settled || this.abortReason) return;
    this.abortReason = reason;
    this.abortRequest?.(reason);
  }

  /** Past its deadline: a request has timed out; a quiet stream is to be reopened. */
  expire(): void {
    this.abort(this.quietMs === undefined ? new Error('request timed out') : new QuietStreamError());
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
        (event) => {
          this.bytes = 0;
          if (this.quietMs !== undefined) this.deadline = Date.now() + this.quietMs;
          this.listener.event?.(event);
        },
        (ms) => this.listener.retry?.(ms),
        undefined,
        (id) => this.listener.eventId?.(id),
      );
    return true;
  }

  /** Every body is bounded (see limits.ts): past a bound the request is aborted with a `LimitError`. */
  onData(chunk: Buffer): boolean {
    if (this.settled || this.abortReason) return true;
    if (this.chunks) {
      this.bytes += chunk.length;
      if (this.bytes > MAX_ANSWER_BYTES) {
        this.chunks = null;
        this.abort(new LimitError('answer-too-large', `an answer over ${mebibytes(MAX_ANSWER_BYTES)}`));
        return true;
      }
      this.chunks.push(chunk);
    } else if (this.sse) {
      this.bytes += chunk.length;
      try {
        this.sse.push(chunk);
      } catch (error) {
        this.sse = null;
        this.abort(error as Error);
        return true;
      }
      if (this.bytes > MAX_STREAM_BYTES_WITHOUT_EVENT) {
        this.sse = null;
        const limit = mebibytes(MAX_STREAM_BYTES_WITHOUT_EVENT);
        this.abort(new LimitError('stream-idle', `an event stream sent ${limit} without an event`));
      }
    }
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
