import { setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import type { Agent, Client, Dispatcher } from 'undici';
import { Agent as AgentClass, Client as ClientClass, request } from './undici-parts.js';

/** A `fetch` for the SDK's HTTP transports that skips Node's built-in fetch and web streams. */
export type LeanFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface LeanFetchOptions {
  /** Keep-alive connection pool shared by every session of one worker. */
  readonly agent: Dispatcher;
  /** Aborts a POST or DELETE whose answer has not completed by then (the per-call timeout plus grace), ms. */
  readonly requestTimeoutMs?: () => number;
}

const CONNECTION_OPTIONS = {
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  bodyTimeout: 0,
  headersTimeout: 0,
  pipelining: 1,
} as const;

/** undici's own connect timeout, the most a TCP connect may take whatever the call timeout. */
const MAX_CONNECT_MS = 10_000;

/**
 * One keep-alive pool per worker: no body timeout, since each session holds a long GET stream. A
 * connect is bounded by `connectTimeoutMs` (the call timeout): a request still connecting cannot be
 * aborted, so a server that never accepts would otherwise hold it, and the process, for 10 s.
 */
export function createAgent(connectTimeoutMs = MAX_CONNECT_MS): Agent {
  const connect = { timeout: Math.min(MAX_CONNECT_MS, connectTimeoutMs) };
  return new AgentClass({ ...CONNECTION_OPTIONS, connect, connections: null });
}

/** A single connection, for one session's long-lived GET stream. */
export function createStreamConnection(origin: string, connectTimeoutMs = MAX_CONNECT_MS): Client {
  const connect = { timeout: Math.min(MAX_CONNECT_MS, connectTimeoutMs) };
  return new ClientClass(origin, { ...CONNECTION_OPTIONS, connect });
}

function toHeaderRecord(headers: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      record[name] = value;
    });
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) if (name !== undefined && value !== undefined) record[name] = value;
  } else {
    Object.assign(record, headers);
  }
  return record;
}

class LeanHeaders {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw)) {
      const value = this.get(name);
      if (value !== null) callback(value, name);
    }
  }
}

/**
 * Builds the minimal `Response` the SDK reads: status, headers, `json()`/`text()`, and `body` as a
 * web stream only when the answer is an event stream (the only case that needs one).
 */
function leanResponse(url: string, data: Dispatcher.ResponseData, done: () => void): Response {
  const headers = new LeanHeaders(data.headers);
  const body = data.body;
  body.once('close', done);
  let webBody: ReadableStream<Uint8Array> | undefined;
  const isStream = (headers.get('content-type') ?? '').includes('text/event-stream');
  const response = {
    ok: data.statusCode >= 200 && data.statusCode < 300,
    status: data.statusCode,
    statusText: '',
    type: 'basic',
    url,
    redirected: false,
    headers,
    get body(): ReadableStream<Uint8Array> | null {
      if (isStream) {
        webBody ??= Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>;
        return webBody;
      }
      // The SDK only cancels a non-stream body: drain it without building a web stream.
      return { cancel: () => body.dump() } as unknown as ReadableStream<Uint8Array>;
    },
    json: () => body.json(),
    text: () => body.text(),
    arrayBuffer: () => body.arrayBuffer(),
  };
  return response as unknown as Response;
}

/**
 * Each request gets its own AbortController, linked to the transport's long-lived signal only while
 * the request lives; Node's fetch leaves listeners on that shared signal and floods warnings.
 */
export function createLeanFetch(options: LeanFetchOptions): LeanFetch {
  const { agent, requestTimeoutMs } = options;
  return async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.toString();
    const method = (init.method ?? 'GET').toUpperCase();
    const controller = new AbortController();
    const shared = init.signal ?? undefined;
    const onAbort = (): void => controller.abort(shared?.reason);
    // Against a hung server a session has many requests waiting (each bounded by its timeout): no warning.
    if (shared) setMaxListeners(0, shared);
    if (shared?.aborted) controller.abort(shared.reason);
    shared?.addEventListener('abort', onAbort, { once: true });
    const timer =
      (method === 'POST' || method === 'DELETE') && requestTimeoutMs
        ? setTimeout(() => controller.abort(new Error('request timed out')), requestTimeoutMs())
        : undefined;
    timer?.unref();
    const done = (): void => {
      if (timer) clearTimeout(timer);
      shared?.removeEventListener('abort', onAbort);
    };
    try {
      const data = await request(url, {
        method: method,
        headers: toHeaderRecord(init.headers),
        body: typeof init.body === 'string' ? init.body : undefined,
        signal: controller.signal,
        dispatcher: agent,
      });
      return leanResponse(url, data, done);
    } catch (error) {
      done();
      throw error;
    }
  };
}
