import type { AnswerRouter } from './answer-router.js';
import type { BodyMode, ExchangeListener } from './http-exchange.js';
import { LimitError } from './limits.js';
import { JSON_TYPE, SSE_TYPE } from './http-session.js';
import type { PendingAnswer, ResumePoint } from './sse-resumption.js';

/** What reading a POST's answer needs from its transport. */
export interface PostHost {
  readonly answers: AnswerRouter;
  isClosed(): boolean;
  setSession(id: string): void;
  /** An initialize answered after the caller gave up: its session is ended on the server. */
  endLateSession(): void;
  /** `notifications/initialized` was accepted: the GET stream may open. */
  initialized(): void;
  httpError(status: number, message: string, body?: string): Error;
  error(error: Error): void;
  /** A stream went past a bound (see limits.ts). */
  breach(error: LimitError): void;
  close(): void;
}

/** One POST: the message sent and what its caller waits for. */
export interface PostRequest {
  readonly method: string | undefined;
  readonly expectsAnswer: boolean;
  readonly pending: PendingAnswer | null;
  /** `subscriptions/listen`: a long-lived stream, never resumed as a request is. */
  readonly listen: boolean;
  /** Sent with the 2026-07-28 era's headers: a refusal carries its JSON-RPC error in the body. */
  readonly modern: boolean;
  readonly point: ResumePoint;
  readonly deadline: number;
  isCancelled(): boolean;
  /** The request's event stream ended or broke before its answer: resume it. */
  resume(point: ResumePoint, pending: PendingAnswer): void;
  /** The SDK's `send` is done with: the answer, if any, comes through `answers`. */
  resolve(): void;
  reject(error: Error): void;
}

const ok = (status: number): boolean => status >= 200 && status < 300;

/**
 * Reads a POST's answer: a status with no body (202), a JSON body, or an event stream (its events go to
 * the answer router; a stream that ends before the answer is resumed); an HTTP error fails the send.
 */
export function postAnswer(host: PostHost, request: PostRequest): ExchangeListener {
  const { expectsAnswer, pending, point } = request;
  let status = 0;
  let contentType = '';
  const failed = (error: Error): void => {
    host.error(error);
    request.reject(error);
  };
  return {
    head: (code, type, sessionId): BodyMode => {
      status = code;
      contentType = type;
      if (sessionId) host.setSession(sessionId);
      if (host.isClosed()) {
        host.endLateSession();
        return 'discard';
      }
      if (!ok(code)) return 'collect';
      if (!expectsAnswer || code === 202) {
        request.resolve();
        if (request.method === 'notifications/initialized') host.initialized();
        return 'discard';
      }
      if (type.includes(SSE_TYPE)) {
        if (pending && !request.listen) host.answers.await(pending);
        request.resolve();
        return 'sse';
      }
      return 'collect';
    },
    event: (event) => host.answers.event(event, pending),
    eventId: (id) => (point.lastEventId = id),
    retry: (ms) => (point.retryMs = ms),
    end: (body) => {
      if (!ok(status)) {
        const text = body?.toString('utf8') ?? '';
        // 2026-07-28: a refused request is answered with its JSON-RPC error (-32022 and others).
        if (request.modern && pending && host.answers.errorBody(text, pending)) return request.resolve();
        failed(host.httpError(status, `Error POSTing to endpoint: ${text}`, text));
      } else if (!expectsAnswer || status === 202 || contentType.includes(SSE_TYPE)) {
        if (pending && !pending.answered && !request.isCancelled() && contentType.includes(SSE_TYPE))
          request.resume(point, pending);
        else if (pending) host.answers.forget(pending);
      } else if (!contentType.includes(JSON_TYPE)) {
        failed(host.httpError(-1, `Unexpected content type: ${contentType}`));
      } else {
        try {
          host.answers.body(body?.toString('utf8') ?? '');
          request.resolve();
        } catch (error) {
          failed(error as Error);
        }
      }
    },
    fail: (error) => {
      if (request.isCancelled()) return;
      if (ok(status) && contentType.includes(SSE_TYPE) && !host.isClosed()) {
        if (error instanceof LimitError) return host.breach(error);
        if (pending && !pending.answered && point.delayBefore(request.deadline) !== null)
          return request.resume(point, pending);
        // The answer's stream broke: the server is gone or reset; the session cannot be trusted.
        host.error(new Error(`SSE stream disconnected: ${error.message}`));
        host.close();
        return;
      }
      failed(error);
    },
  };
}
