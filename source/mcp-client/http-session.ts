import { HttpStatusError } from './rpc-error.js';
import type { ExchangeListener } from './http-exchange.js';

/** The content types a Streamable HTTP client sends and accepts. */
export const JSON_TYPE = 'application/json';
export const SSE_TYPE = 'text/event-stream';

/**
 * The session a Streamable HTTP transport holds, as headers: its id and protocol version, on top of the
 * target's own headers. The POST headers are built once per change, not once per call.
 */
export class SessionHeaders {
  private session: string | undefined;
  private version: string | undefined;
  /** The headers of every POST (a JSON-RPC message), rebuilt when the session or version changes. */
  post: Record<string, string>;

  constructor(private readonly base: Readonly<Record<string, string>>) {
    this.post = this.postHeaders();
  }

  get sessionId(): string | undefined {
    return this.session;
  }

  get protocolVersion(): string | undefined {
    return this.version;
  }

  /** The target's headers, the session's, then `extra`. */
  build(extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...this.base, ...extra };
    if (this.session) headers['mcp-session-id'] = this.session;
    if (this.version) headers['mcp-protocol-version'] = this.version;
    return headers;
  }

  /** Headers of a GET that opens or resumes an event stream. */
  stream(extra: Record<string, string>): Record<string, string> {
    return { ...this.build({ accept: SSE_TYPE }), ...extra };
  }

  /** The session was ended (DELETE); a late POST keeps its id, so the server answers it 404 (lost). */
  forgetSession(): void {
    this.session = undefined;
  }

  setSession(id: string): void {
    if (id === this.session) return;
    this.session = id;
    this.post = this.postHeaders();
  }

  setProtocolVersion(version: string): void {
    this.version = version;
    this.post = this.postHeaders();
  }

  private postHeaders(): Record<string, string> {
    return this.build({ 'content-type': JSON_TYPE, accept: `${JSON_TYPE}, ${SSE_TYPE}` });
  }
}

/** Reads the answer to the DELETE that ends a session: 2xx ends it, 405 means the server does not allow it. */
export function deleteAnswer(
  headers: SessionHeaders,
  resolve: () => void,
  reject: (error: Error) => void,
): ExchangeListener {
  let status = 0;
  return {
    head: (code) => {
      status = code;
      return 'discard';
    },
    end: () => {
      if (status >= 200 && status < 300) headers.forgetSession();
      if ((status >= 200 && status < 300) || status === 405) resolve();
      else reject(new HttpStatusError(status, `Failed to terminate session: HTTP ${status}`));
    },
    fail: reject,
  };
}
