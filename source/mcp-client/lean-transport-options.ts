import type { Dispatcher } from 'undici';
import type { LeanStreamableHttpTransport } from './streamable-http-transport.js';
import type { StreamPool } from './stream-connections.js';

/** What a `LeanStreamableHttpTransport` is built with. */
export interface LeanTransportOptions {
  readonly url: URL;
  /** The worker's keep-alive pool, for POST and DELETE. */
  readonly dispatcher: Dispatcher;
  /**
   * A connection of its own for the GET stream, from the worker's stream connections: a stream holds its
   * socket for the session's life, and undici's pool looks for a free connection by walking all of them,
   * so streams in the shared pool would make every call's cost grow with the number of sessions held.
   */
  readonly streams: StreamPool;
  /** Extra headers (auth) sent on every request. */
  readonly headers: Readonly<Record<string, string>>;
  /** Open the optional GET stream for server-initiated messages after initialize. @default true */
  readonly getStream: boolean;
  /** A POST not answered this long after it was sent is aborted (the SDK times the call out first), ms. */
  readonly requestTimeoutMs: () => number;
  /** Registers the transport with the sweep that aborts overdue requests, while it is open. */
  readonly track: (transport: LeanStreamableHttpTransport) => () => void;
  /** Called each time an event stream is resumed with `Last-Event-ID`. */
  readonly onResume?: () => void;
  /** How an HTTP failure is thrown: as the SDK of the `Client` driving this transport does. */
  readonly httpError?: (status: number, message: string, body: string) => Error;
}

/** Per-message options the v2 `Client` passes (`TransportSendOptions`), read where the lean path has them. */
export interface LeanSendOptions {
  readonly relatedRequestId?: string | number | undefined;
  readonly resumptionToken?: string | undefined;
  /** Aborting it closes the request's stream: on 2026-07-28, that cancels the request. */
  readonly requestSignal?: AbortSignal | undefined;
  /** The same as `requestSignal` without a signal and its listener per call: `send` fills in `abort`. */
  readonly cancel?: { abort?: () => void } | undefined;
  /** Extra headers for this request only (`Mcp-Param-*`). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** The request's stream ended without its answer and cannot be resumed. */
  readonly onRequestStreamEnd?: (() => void) | undefined;
}
