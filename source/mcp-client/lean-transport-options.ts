import type { Dispatcher } from 'undici';
import type { LeanStreamableHttpTransport } from './streamable-http-transport.js';

/** What a `LeanStreamableHttpTransport` is built with. */
export interface LeanTransportOptions {
  readonly url: URL;
  /** The worker's keep-alive pool, for POST and DELETE. */
  readonly dispatcher: Dispatcher;
  /**
   * A connection of its own for the GET stream: a stream holds its socket for the session's life, and
   * undici's pool looks for a free connection by walking all of them, so streams in the shared pool
   * would make every call's cost grow with the number of sessions held.
   */
  readonly streamDispatcher: () => Dispatcher;
  /** Extra headers (auth) sent on every request. */
  readonly headers: Readonly<Record<string, string>>;
  /** Open the optional GET stream for server-initiated messages after initialize. @default true */
  readonly getStream: boolean;
  /** A POST not answered this long after it was sent is aborted (the SDK times the call out first), ms. */
  readonly requestTimeoutMs: () => number;
  /** Registers the transport with the sweep that aborts overdue requests, while it is open. */
  readonly track: (transport: LeanStreamableHttpTransport) => () => void;
}
