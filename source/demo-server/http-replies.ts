import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** JSON-RPC error codes the transports answer with outside any request. */
export const JsonRpcCode = { badRequest: -32000, sessionNotFound: -32001, parseError: -32700 } as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** An HTTP error with a JSON-RPC error body, the shape MCP clients expect from a transport. */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}

/** Reads a body whole; `undefined` when it is too large. */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** A body read whole, parsed; `undefined` when it is missing, too large or not JSON. */
export function parseJson(body: Buffer | undefined): unknown {
  try {
    return body ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and parses a JSON body; `undefined` when it is too large or not JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return parseJson(await readBody(req));
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);

/**
 * DNS-rebinding protection: a browser page on another site that resolves its name to 127.0.0.1 still
 * sends its own name in Host, so only loopback names (and the interface we bound) are accepted.
 */
export function createHostCheck(boundHost: string): (hostHeader: string | undefined) => boolean {
  const allowed = new Set(LOOPBACK_HOSTS);
  const bare = boundHost.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!WILDCARD_HOSTS.has(bare)) allowed.add(bare.includes(':') ? `[${bare}]` : bare);
  return (hostHeader) => {
    if (!hostHeader) return false;
    const name = hostHeader.startsWith('[')
      ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
      : (hostHeader.split(':')[0] ?? '');
    return allowed.has(name.toLowerCase());
  };
}

/**
 * Browsers send Origin on cross-site requests: a page elsewhere may talk to us only from a loopback origin
 * (or the bound interface). Clients that are not browsers send no Origin and are let through.
 */
export function createOriginCheck(boundHost: string): (origin: string | undefined) => boolean {
  const isAllowedHost = createHostCheck(boundHost);
  return (origin) => {
    if (origin === undefined) return true;
    if (!URL.canParse(origin)) return false;
    const { protocol, host } = new URL(origin);
    return (protocol === 'http:' || protocol === 'https:') && isAllowedHost(host);
  };
}
