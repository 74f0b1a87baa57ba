import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWorkHandler } from './bottleneck.js';
import { DemoStatsRecorder, type DemoStats } from './demo-stats.js';
import type { DemoToolContext } from './demo-tools.js';
import {
  createHostCheck,
  createOriginCheck,
  JsonRpcCode,
  sendJson,
  sendJsonRpcError,
} from './http-replies.js';
import { DemoServerOptionsSchema, type DemoServerOptionsInput } from './options.js';
import { SessionRegistry } from './session-registry.js';
import { createSseMessageRoute, createSseStreamRoute, SSE_MESSAGES_PATH } from './sse-route.js';
import { createEraRoutes } from './era-routes.js';

/** A running demo HTTP server. */
export interface DemoHttpServer {
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  /** The Streamable HTTP endpoint, e.g. `http://127.0.0.1:3001/mcp`; legacy SSE is at `/sse`. */
  readonly url: string;
  /** Closes every session, then the listener. */
  close(): Promise<void>;
  stats(): DemoStats;
}

const LISTEN_ERRORS: Record<string, (host: string, port: number) => string> = {
  EADDRINUSE: (_host, port) => `port ${port} is in use: pass --port 0 or another port`,
  EACCES: (_host, port) => `no permission to listen on port ${port}: pass --port 0 or a port above 1023`,
  EADDRNOTAVAIL: (host) => `cannot bind ${host}: no such local address`,
};

/** Thrown when the server cannot listen; its message is one line meant for the user. */
export class DemoListenError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'DemoListenError';
  }
}

const urlHost = (host: string): string => {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
};

/**
 * Serves Streamable HTTP at `/mcp` (the eras of `protocol`; with `all` the stateless posture at `/stateless`),
 * legacy HTTP+SSE at `/sse` + `/messages`, and `GET /stats`.
 */
export async function startDemoHttpServer(input: DemoServerOptionsInput = {}): Promise<DemoHttpServer> {
  const options = DemoServerOptionsSchema.parse(input);
  const stats = new DemoStatsRecorder('http', options.bottleneck);
  const context: DemoToolContext = { options, stats, work: createWorkHandler(options) };
  const registry = new SessionRegistry(stats);
  const isAllowedHost = createHostCheck(options.host);
  const isAllowedOrigin = createOriginCheck(options.host);
  const eras = await createEraRoutes(context, registry, options.protocol);
  const sseStream = createSseStreamRoute(context, registry);
  const sseMessage = createSseMessageRoute(registry);
  let readyAt = Number.POSITIVE_INFINITY;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req.headers.host)) {
      sendJsonRpcError(res, 403, JsonRpcCode.badRequest, `Invalid Host header: ${req.headers.host ?? ''}`);
      return;
    }
    if (!isAllowedOrigin(req.headers.origin)) {
      sendJsonRpcError(
        res,
        403,
        JsonRpcCode.badRequest,
        `Invalid Origin header: ${req.headers.origin ?? ''}`,
      );
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const endpoint = url.pathname === '/mcp' || (url.pathname === '/stateless' && eras.stateless);
    if (endpoint && Date.now() < readyAt) {
      sendJsonRpcError(res, 503, JsonRpcCode.badRequest, 'Service Unavailable: starting up');
      return;
    }
    if (url.pathname === '/mcp') return eras.mcp(req, res);
    if (url.pathname === '/stateless' && eras.stateless) return eras.stateless(req, res);
    if (url.pathname === '/sse' && req.method === 'GET') return sseStream(req, res);
    if (url.pathname === SSE_MESSAGES_PATH && req.method === 'POST') return sseMessage(req, res, url);
    if (url.pathname === '/stats' && req.method === 'GET') return sendJson(res, 200, stats.snapshot());
    sendJsonRpcError(res, 404, JsonRpcCode.badRequest, `Not found: ${req.method ?? ''} ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJsonRpcError(res, 500, JsonRpcCode.badRequest, String(error));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const describe = error.code ? LISTEN_ERRORS[error.code] : undefined;
      reject(new DemoListenError(describe?.(options.host, options.port) ?? error.message, error.code));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  readyAt = Date.now() + options.startingMs;

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${urlHost(options.host)}:${port}/mcp`,
    stats: () => stats.snapshot(),
    close: () => {
      closing ??= (async () => {
        await registry.closeAll();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
