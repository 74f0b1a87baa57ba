import { HttpStatusError } from './rpc-error.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { GetStream } from './get-stream.js';
import { HttpExchange, type ExchangeListener } from './http-exchange.js';
import { AnswerRouter } from './answer-router.js';
import { cancelledId, isRequest } from './json-rpc-messages.js';
import type { LeanSendOptions, LeanTransportOptions } from './lean-transport-options.js';
import { GET_STREAM_QUIET_MS, type LimitError } from './limits.js';
import { postAnswer, type PostHost } from './post-answer.js';
import { markServerError } from './server-errors.js';
import { modernRequestHeaders } from './protocol-era.js';
import { deleteAnswer, SessionHeaders } from './http-session.js';
import { resumeStream, ResumePoint, type PendingAnswer, type ResumeHost } from './sse-resumption.js';
import { StreamSlot } from './stream-connections.js';

/**
 * The SDK's Streamable HTTP client transport, rebuilt on undici's dispatcher so that a tool call costs
 * a fraction of the CPU: headers built once per session, bodies read as Buffers, event streams parsed
 * from Buffers, and overdue requests aborted by one sweep instead of a timer and signal per call. The
 * protocol engine above it is the lean client (2025-11-25, lean-client.ts) or the 2.x SDK's `Client`
 * (2026-07-28). Errors keep the 1.x SDK's shape (`HttpStatusError` as its `StreamableHTTPError`, the
 * HTTP status as `code`; undici's network errors with their `code`), so error kinds are unchanged.
 */
export class LeanStreamableHttpTransport implements Transport {
  /** One POST per request: the v2 `Client` cancels a 2026-07-28 request by aborting its stream. */
  readonly hasPerRequestStream = true;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly headers: SessionHeaders;
  private readonly origin: string;
  private readonly path: string;
  private readonly exchanges = new Set<HttpExchange>();
  private untrack: (() => void) | null = null;
  private closed = false;
  /** The connection of this session's long-lived stream (GET, or subscriptions/listen). */
  private readonly stream: StreamSlot;
  /** The initialize request, while no session id is known. */
  private initializing: HttpExchange | null = null;
  // Error answers reach the client marked as the server's (see server-errors.ts).
  private readonly answers = new AnswerRouter(
    (message) => this.onmessage?.(markServerError(message) as JSONRPCMessage),
    (error) => this.onerror?.(error),
  );
  /** Resumptions waiting for the server's retry delay. */
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  /** The bound a server broke on a stream (see limits.ts), which closed the transport; null if none. */
  failure: LimitError | null = null;
  /** The 404 that told this session is gone: calls that fail after it failed because of it. */
  lost: Error | null = null;
  private initializeId: string | number | undefined;

  constructor(private options: LeanTransportOptions) {
    this.origin = options.url.origin;
    this.path = `${options.url.pathname}${options.url.search}`;
    this.headers = new SessionHeaders(options.headers);
    this.stream = new StreamSlot(options.streams);
  }

  get sessionId(): string | undefined {
    return this.headers.sessionId;
  }

  get negotiatedProtocolVersion(): string | undefined {
    return this.headers.protocolVersion;
  }

  /** True once the server issued a session id (a stateful 2025-era server). */
  get stateful(): boolean {
    return this.headers.sessionId !== undefined;
  }

  private httpError(status: number, message: string, body = ''): Error {
    return this.options.httpError?.(status, message, body) ?? new HttpStatusError(status, message, body);
  }

  /** HTTP failures from now on as the client that takes over after a probe throws them. */
  useHttpError(httpError: LeanTransportOptions['httpError']): void {
    this.options = { ...this.options, httpError };
  }

  async start(): Promise<void> {
    this.untrack ??= this.options.track(this);
  }

  setProtocolVersion(version: string): void {
    this.headers.setProtocolVersion(version);
  }

  /**
   * Aborts requests past their deadline (called by the factory's sweep about once a second). A closed
   * transport stays with the sweep until its last request (a late initialize, its DELETE) has ended.
   */
  abortOverdue(now: number): void {
    for (const exchange of this.exchanges) if (exchange.deadline < now) exchange.expire();
    if (this.closed && this.exchanges.size === 0) this.release();
  }

  /** Aborts every request still open (the factory is being destroyed: nothing will sweep them). */
  abortAll(reason: Error): void {
    for (const exchange of [...this.exchanges]) exchange.abort(reason);
  }

  private release(): void {
    this.untrack?.();
    this.untrack = null;
  }

  private dispatch(
    method: 'POST' | 'GET' | 'DELETE',
    headers: Record<string, string>,
    body: string | null,
    listener: ExchangeListener,
    deadline: number,
    dispatcher = this.options.dispatcher,
    quietMs?: number,
  ): HttpExchange {
    const exchange = new HttpExchange(listener, deadline, this.exchanges, quietMs);
    this.untrack ??= this.options.track(this); // a DELETE after close is swept too
    dispatcher.dispatch({ origin: this.origin, path: this.path, method, headers, body }, exchange);
    return exchange;
  }

  send(message: JSONRPCMessage, options?: LeanSendOptions): Promise<void> {
    if (this.closed) return Promise.reject(new Error('Not connected'));
    const expectsAnswer = isRequest(message);
    const method = 'method' in message ? message.method : undefined;
    const initializing = method === 'initialize';
    // The spec forbids cancelling initialize; the SDK does it on a timeout, on a new connection to a
    // server that may never accept it.
    if (initializing && 'id' in message) this.initializeId = message.id;
    else if (this.initializeId !== undefined && cancelledId(message) === this.initializeId) {
      return Promise.resolve();
    }
    // subscriptions/listen is the 2026 era's long-lived stream: a connection of its own, no deadline.
    const listen = method === 'subscriptions/listen';
    const deadline = listen ? Number.POSITIVE_INFINITY : Date.now() + this.options.requestTimeoutMs();
    const modern = modernRequestHeaders(message);
    const post = this.headers.post;
    const headers = modern || options?.headers ? { ...post, ...options?.headers, ...modern } : post;
    const pending: PendingAnswer | null =
      expectsAnswer && 'id' in message && message.id !== undefined
        ? { requestId: message.id, answered: false }
        : null;
    const point = new ResumePoint();
    let cancelled = false;
    return new Promise<void>((resolve, reject) => {
      const listener = postAnswer(this.postHost, {
        method,
        expectsAnswer,
        pending,
        listen,
        modern: modern !== null,
        point,
        deadline,
        isCancelled: () => cancelled,
        resolve,
        reject,
        // The stream ended without its answer: resumed as sse-resumption.ts says.
        resume: (from: ResumePoint, answer: PendingAnswer) =>
          resumeStream(this.resumeHost, from, answer, deadline, options?.onRequestStreamEnd),
      });
      const dispatcher = listen ? this.stream.get() : this.options.dispatcher;
      const exchange = this.dispatch(
        'POST',
        headers,
        JSON.stringify(message),
        listener,
        deadline,
        dispatcher,
      );
      if (initializing) this.initializing = exchange;
      if (!options?.requestSignal && !options?.cancel) return;
      const abort = (): void => {
        cancelled = true;
        if (pending) this.answers.forget(pending);
        exchange.abort(new Error('request cancelled'));
        resolve();
      };
      options.requestSignal?.addEventListener('abort', abort, { once: true });
      if (options.cancel) options.cancel.abort = abort;
    });
  }

  private readonly postHost: PostHost = {
    answers: this.answers,
    isClosed: () => this.closed,
    setSession: (id) => this.headers.setSession(id),
    endLateSession: () => {
      // An initialize answered after the caller gave up: end the session it made on the server.
      if (this.headers.sessionId) this.terminateSession().catch(() => undefined);
    },
    initialized: () => this.getStream.open(),
    httpError: (status, message, body) => this.httpError(status, message, body),
    error: (error) => this.onerror?.(error),
    breach: (error) => this.breach(error),
    close: () => void this.close(),
  };

  private readonly resumeHost: ResumeHost = {
    isClosed: () => this.closed,
    timers: this.resumeTimers,
    onResume: () => this.options.onResume?.(),
    openGet: (headers, listener, deadline) =>
      this.dispatch('GET', this.headers.stream(headers), null, listener, deadline),
    deliver: (event, pending) => this.answers.event(event, pending),
    giveUp: (pending, error) => {
      this.answers.forget(pending);
      if (!this.closed) this.onerror?.(error);
    },
    loseSession: () => this.loseSession(),
    httpError: (status, message) => this.httpError(status, message),
  };

  private readonly getStream = new GetStream({
    isEnabled: () => this.options.getStream,
    isClosed: () => this.closed,
    hasSession: () => this.headers.sessionId !== undefined,
    // Bounded by quiet time: a stream that sends nothing for GET_STREAM_QUIET_MS is reopened afresh.
    open: (headers, listener) =>
      this.stream.openGet(listener, (connection, watched) => {
        const quiet = GET_STREAM_QUIET_MS;
        const streamHeaders = this.headers.stream(headers);
        return this.dispatch('GET', streamHeaders, null, watched, Date.now() + quiet, connection, quiet);
      }),
    deliver: (event) => this.answers.event(event),
    error: (error) => this.onerror?.(error),
    loseSession: () => this.loseSession(),
    breach: (error) => this.breach(error),
    renewConnection: () => this.stream.drop(),
  });

  /** A stream went past a bound: the session is given up (its owner ends it on the server). */
  private breach(error: LimitError): void {
    if (this.closed) return;
    this.failure = error;
    this.onerror?.(error);
    void this.close();
  }

  /** The server forgot the session (404): calls in flight fail as session-lost and a new session follows. */
  private loseSession(): void {
    const error = this.httpError(404, 'Session not found (HTTP 404): the session is lost');
    this.lost ??= error;
    this.onerror?.(error);
    void this.close();
  }

  /** Ends the GET stream and frees its socket. */
  private endGetStream(): void {
    this.getStream.end();
    this.stream.drop();
  }

  /** Ends the session on the server (HTTP DELETE); 405 means the server does not allow it. */
  terminateSession(): Promise<void> {
    if (!this.headers.sessionId) return Promise.resolve();
    // An open GET stream is left for the server to end with the session: its connection serves the next.
    this.getStream.end();
    const drain = this.stream.drain(this.exchanges);
    return new Promise<void>((resolve, reject) => {
      const listener = deleteAnswer(this.headers, resolve, reject);
      this.dispatch(
        'DELETE',
        this.headers.build({}),
        null,
        listener,
        Date.now() + this.options.requestTimeoutMs(),
      );
    }).finally(() => drain?.deleted());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.getStream.end();
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    this.answers.clear();
    // The SDK fails the calls in flight with ConnectionClosed first (session-lost), then sockets are freed.
    this.onclose?.();
    let closing: Error | undefined; // made only when needed: an error costs its stack trace
    for (const exchange of [...this.exchanges]) {
      // An initialize given up on (timeout) may still create a session: let it answer until its deadline,
      // so that the session can be ended with DELETE (see `head` in send).
      if (exchange === this.initializing && !this.headers.sessionId) continue;
      exchange.abort((closing ??= new Error('Connection closed')));
    }
    this.endGetStream();
    if (this.exchanges.size === 0) this.release();
  }
}
