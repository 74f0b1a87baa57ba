import type { Client } from 'undici';
import type { ExchangeListener, HttpExchange } from './http-exchange.js';
import { createStreamConnection } from './lean-fetch.js';

/** Idle stream connections a worker keeps for its next sessions; past that, an ended one is closed. */
const MAX_IDLE = 256;
/**
 * How long after its session's DELETE was answered a GET stream may take to end. Servers end a session's
 * stream when they end the session (the 1.x and 2.x SDKs, the demo); past this one is aborted, its socket
 * destroyed, as before reuse.
 */
export const STREAM_DRAIN_MS = 1000;

/** The error a stream's connection is destroyed with: made once, since destroying reads its stack. */
const CLOSING = new Error('Connection closed');

/**
 * The connections of a worker's GET streams (one each: see `LeanTransportOptions.streams`), handed from a
 * session that ended to the next one. A new session's stream would otherwise cost a TCP connect and, at
 * its end, a close: measured 2026-12-02 against the 1.x SDK server, about half of what a session with its
 * stream costs the generator beyond one without.
 */
export class StreamConnections {
  private readonly idle: Client[] = [];
  private readonly draining = new Set<StreamDrain>();
  private destroyed = false;

  constructor(
    private readonly origin: string,
    private readonly connectTimeoutMs: () => number,
  ) {}

  /** An idle connection, else a new one. */
  take(): Client {
    return this.idle.pop() ?? createStreamConnection(this.origin, this.connectTimeoutMs());
  }

  /** A connection whose stream ended cleanly: kept for the next session, unless enough are. */
  private give(connection: Client): void {
    if (this.destroyed || connection.destroyed || connection.closed || this.idle.length >= MAX_IDLE) {
      this.drop(connection);
      return;
    }
    this.idle.push(connection);
  }

  /** A connection given up on: its socket is destroyed, whatever state it is in. */
  drop(connection: Client): void {
    void connection.destroy(CLOSING).catch(() => undefined);
  }

  /**
   * A session is ending with its stream open on `connection`: once the server ends the stream, the
   * connection is kept; `deleted()` (the DELETE was answered) starts the wait of `STREAM_DRAIN_MS`.
   */
  drain(connection: Client, exchange: HttpExchange): StreamDrain {
    const drain = new StreamDrain(exchange, (clean) => {
      this.draining.delete(drain);
      if (clean) this.give(connection);
      else this.drop(connection);
    });
    this.draining.add(drain);
    return drain;
  }

  /** Closes every idle connection and gives up every stream still draining (the worker is stopping). */
  destroy(): void {
    this.destroyed = true;
    for (const drain of [...this.draining]) drain.abort();
    for (const connection of this.idle.splice(0)) this.drop(connection);
  }
}

/** One ending session's GET stream, waiting for the server to end it. */
export class StreamDrain {
  private timer: NodeJS.Timeout | undefined;
  private done = false;

  constructor(
    private readonly exchange: HttpExchange,
    /** Hands the connection back (`clean`) or destroys it. */
    private readonly finish: (clean: boolean) => void,
  ) {}

  /** The stream's answer ended (`clean`) or failed. */
  settled(clean: boolean): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.finish(clean);
  }

  /** The session's DELETE has its answer (or failed): the server has had its chance to end the stream. */
  deleted(): void {
    if (this.done || this.timer) return;
    this.timer = setTimeout(() => this.abort(), STREAM_DRAIN_MS);
    this.timer.unref();
  }

  /** Gives up on the stream: aborted, its connection destroyed. */
  abort(): void {
    if (this.done) return;
    this.exchange.abort(CLOSING);
    this.settled(false);
  }
}

/** The pool as a transport sees it. */
export type StreamPool = Pick<StreamConnections, 'take' | 'drop' | 'drain'>;

/**
 * One transport's stream connection: taken from the pool when its first stream opens, dropped when the
 * stream must start afresh or the transport closes, drained when its session ends with the GET stream open.
 */
export class StreamSlot {
  private connection: Client | null = null;
  /** The GET stream's request while it is open. */
  private exchange: HttpExchange | null = null;
  /** Once the session is ending with its GET stream open. */
  private draining: StreamDrain | null = null;

  constructor(private readonly pool: StreamPool) {}

  /** The connection, taken from the pool if there is none yet. */
  get(): Client {
    return (this.connection ??= this.pool.take());
  }

  /**
   * Dispatches a GET stream on the connection through `dispatch`. Once draining, the answer's head and
   * events reach `listener` no more (a 404 for the session just deleted is no news).
   */
  openGet(
    listener: ExchangeListener,
    dispatch: (connection: Client, listener: ExchangeListener) => HttpExchange,
  ): void {
    const settled = (clean: boolean): void => {
      this.exchange = null;
      this.draining?.settled(clean);
      this.draining = null;
    };
    const watched: ExchangeListener = {
      ...listener,
      head: (status, contentType, sessionId) =>
        this.draining ? 'discard' : listener.head(status, contentType, sessionId),
      event: (event) => {
        if (!this.draining) listener.event?.(event);
      },
      end: (body) => {
        settled(true);
        listener.end(body);
      },
      fail: (error) => {
        settled(false);
        listener.fail(error);
      },
    };
    this.exchange = dispatch(this.get(), watched);
  }

  /** Destroys the connection (a fresh one is taken when next needed). */
  drop(): void {
    if (this.connection) this.pool.drop(this.connection);
    this.connection = null;
  }

  /**
   * Before a DELETE: an open GET stream is left for the server to end with the session, and taken out of
   * `inFlight` so that closing the transport does not abort it; without one the connection is dropped.
   */
  drain(inFlight: Set<HttpExchange>): StreamDrain | null {
    const { connection, exchange } = this;
    if (!connection || !exchange) return (this.drop(), null);
    this.connection = null;
    inFlight.delete(exchange);
    return (this.draining = this.pool.drain(connection, exchange));
  }
}
