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
