import type { ExchangeListener } from './http-exchange.js';
import type { SseEvent } from './sse-parser.js';

/**
 * Resuming an event stream that ended before it carried the answer (SEP-1699, 2025-11-25): the client
 * reconnects with GET and `Last-Event-ID` after the server's `retry` delay, until the answer comes or
 * the request's deadline passes. Kept apart from the parser and the transport: it only decides when and
 * how to reconnect.
 */

/** The delay before resuming when the server gave no `retry` field, ms (the SDK's first delay). */
export const DEFAULT_RETRY_MS = 1000;

/** What a stream carried that lets it be resumed. */
export class ResumePoint {
  /** The last event id the server sent on this stream (priming events included). */
  lastEventId: string | undefined;
  /** The server's `retry` field, ms. */
  retryMs: number | undefined;

  /** When to resume (ms from now), or null when the stream cannot be resumed before the deadline. */
  delayBefore(deadline: number, now = Date.now()): number | null {
    if (this.lastEventId === undefined) return null;
    const delay = this.retryMs ?? DEFAULT_RETRY_MS;
    return now + delay < deadline ? delay : null;
  }

  /** The GET headers that resume this stream. */
  headers(base: Readonly<Record<string, string>>): Record<string, string> {
    return this.lastEventId === undefined ? { ...base } : { ...base, 'last-event-id': this.lastEventId };
  }
}

/** A request whose answer is still awaited on an event stream. */
export interface PendingAnswer {
  readonly requestId: string | number;
  /** Set once the answer (a response with this id) went by. */
  answered: boolean;
}

/** True when `message` is the response to `pending` (a result or an error with its id). */
export function answers(message: unknown, pending: PendingAnswer): boolean {
  const candidate = message as { id?: unknown; result?: unknown; error?: unknown };
  return candidate.id === pending.requestId && ('result' in candidate || 'error' in candidate);
}

/** What resuming needs from the transport. */
export interface ResumeHost {
  isClosed(): boolean;
  /** Resumptions waiting for their delay (cleared when the transport closes). */
  readonly timers: Set<NodeJS.Timeout>;
  /** Counts a resumption. */
  onResume(): void;
  /** Sends the resuming GET (the session's headers, plus `headers`). */
  openGet(headers: Record<string, string>, listener: ExchangeListener, deadline: number): unknown;
  deliver(event: SseEvent, pending: PendingAnswer): void;
  /** The stream cannot be resumed (no event id, deadline, refused): the call will time out or fail. */
  giveUp(pending: PendingAnswer, error: Error): void;
  /** 404 on the resuming GET: the session is lost. */
  loseSession(): void;
  httpError(status: number, message: string): Error;
}

const SSE_TYPE = 'text/event-stream';

/**
 * GET with `Last-Event-ID` after the server's retry delay, again while streams end unanswered, until the
 * answer comes or the request's deadline passes.
 */
export function resumeStream(
  host: ResumeHost,
  point: ResumePoint,
  pending: PendingAnswer,
  deadline: number,
  onStreamEnd?: () => void,
): void {
  if (pending.answered) return;
  const delay = point.delayBefore(deadline);
  if (delay === null || host.isClosed()) {
    onStreamEnd?.();
    host.giveUp(pending, new Error('SSE stream ended before the answer, with no event id to resume'));
    return;
  }
  const again = (): void => resumeStream(host, point, pending, deadline, onStreamEnd);
  const timer = setTimeout(() => {
    host.timers.delete(timer);
    if (host.isClosed() || pending.answered) return;
    host.onResume();
    let status = 0;
    host.openGet(
      point.headers({}),
      {
        head: (code, type) => {
          status = code;
          return code >= 200 && code < 300 && type.includes(SSE_TYPE) ? 'sse' : 'discard';
        },
        event: (event) => host.deliver(event, pending),
        eventId: (id) => (point.lastEventId = id),
        retry: (ms) => (point.retryMs = ms),
        end: () => {
          if (pending.answered || host.isClosed()) return;
          if (status === 404) return host.loseSession();
          if (status >= 200 && status < 300) return again();
          onStreamEnd?.();
          host.giveUp(pending, host.httpError(status, `Failed to resume SSE stream: HTTP ${status}`));
        },
        fail: () => {
          if (!pending.answered && !host.isClosed()) again();
        },
      },
      deadline,
    );
  }, delay);
  host.timers.add(timer);
}
