import { HttpStatusError } from './rpc-error.js';
import type { ExchangeListener } from './http-exchange.js';
import type { SseEvent } from './sse-parser.js';
import { LimitError, QuietStreamError } from './limits.js';
import { ResumePoint } from './sse-resumption.js';

/** Reconnection of the GET stream: delays before the 1st and 2nd retry, then it is given up. */
const GET_RETRY_DELAYS_MS = [1000, 2000] as const;

/** What the GET stream needs from its transport. */
export interface GetStreamHost {
  /** `--no-listen-stream` turns it off. */
  isEnabled(): boolean;
  isClosed(): boolean;
  /** Only a stateful server (one that issued a session id) has a stream for this client. */
  hasSession(): boolean;
  /** Sends the GET on the stream's own connection, with the session's headers plus `headers`. */
  open(headers: Record<string, string>, listener: ExchangeListener): void;
  deliver(event: SseEvent): void;
  error(error: Error): void;
  /** 404: the server forgot the session. */
  loseSession(): void;
  /** The stream went past a bound (see limits.ts): the session is given up. */
  breach(error: LimitError): void;
  /** The stream was quiet past its bound: drop its connection (it may be half-open) for a fresh one. */
  renewConnection(error: Error): void;
}

/**
 * The 2025 era's optional GET stream for server-initiated messages: one socket held per session, resumed
 * with `Last-Event-ID` after the server's retry delay, never opened on a stateless server and never asked
 * for again once the server answered 405.
 */
export class GetStream {
  private retryTimer: NodeJS.Timeout | undefined;
  /** Ended on purpose (the session is closing): no reconnecting. */
  private ended = false;
  /** The server answered 405: it offers no GET stream. */
  private refused = false;

  constructor(private readonly host: GetStreamHost) {}

  open(attempt = 0, point = new ResumePoint()): void {
    const { host } = this;
    if (!host.isEnabled() || host.isClosed() || this.ended || this.refused || !host.hasSession()) return;
    let opened = false;
    const retry = (): void => {
      if (host.isClosed() || this.ended) return;
      const next = opened ? 0 : attempt;
      const fallback = GET_RETRY_DELAYS_MS[next];
      if (fallback === undefined) {
        host.error(new Error(`GET stream: giving up after ${GET_RETRY_DELAYS_MS.length} retries`));
        return;
      }
      // Resumed where it stopped, after the server's retry delay when it gave one.
      this.retryTimer = setTimeout(() => this.open(next + 1, point), point.retryMs ?? fallback);
      this.retryTimer.unref();
    };
    host.open(point.headers({}), {
      head: (status) => {
        if (status === 405) {
          this.refused = true;
          return 'discard';
        }
        if (status === 404) {
          host.loseSession();
          return 'discard';
        }
        if (status < 200 || status >= 300) {
          host.error(new HttpStatusError(status, `Failed to open SSE stream: HTTP ${status}`));
          return 'discard';
        }
        opened = true;
        return 'sse';
      },
      event: (event) => host.deliver(event),
      eventId: (id) => (point.lastEventId = id),
      retry: (ms) => (point.retryMs = ms),
      end: () => {
        if (opened) retry();
      },
      fail: (error) => {
        if (host.isClosed() || this.ended) return;
        if (error instanceof LimitError) return host.breach(error);
        if (error instanceof QuietStreamError) {
          // A quiet stream is legal: reopen it, resumed, on a fresh connection.
          host.renewConnection(error);
          return this.open(0, point);
        }
        host.error(new Error(`SSE stream disconnected: ${error.message}`));
        retry();
      },
    });
  }

  /** No reconnecting from now on. */
  end(): void {
    this.ended = true;
    clearTimeout(this.retryTimer);
  }
}
