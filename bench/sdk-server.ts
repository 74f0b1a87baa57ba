/**
 * The server most users have, for the sdk-cost scenario (`node --import tsx bench/sdk-server.ts KIND`):
 * - `v1`: the 1.x SDK's `McpServer` + `StreamableHTTPServerTransport` with its defaults (SSE-framed answers,
 *   a server object per session), as its README shows;
 * - `v2`: `@modelcontextprotocol/server` 2.x, `createMcpHandler(factory, { legacy: 'reject' })` (2026-07-28).
 * One tool, `noop`, with no arguments and an empty answer. It counts what it saw and serves the counts at
 * GET /stats in the demo server's shape, plus the time of its first tool call since GET /mark. Prints `listening on URL`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer as McpServerV1 } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { fetchRoute } from '../source/demo-server/v2-route.js';

const kind = process.argv[2] ?? 'v1';
let initializes = 0;
let deletes = 0;
let calls = 0;
/** JSON-RPC requests and notifications by method. */
const methods: Record<string, number> = {};
let firstCallAt: number | null = null;
const sessions = new Map<string, StreamableHTTPServerTransport>();

const noop = async () => ({ content: [] });

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function count(parsed: unknown): void {
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const method = (message as { method?: unknown } | null)?.method;
    if (typeof method === 'string') methods[method] = (methods[method] ?? 0) + 1;
    if (method === 'initialize') initializes += 1;
    if (method === 'tools/call') {
      calls += 1;
      firstCallAt ??= Date.now();
    }
  }
}

type Serve = (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<void>;

/** The 1.x SDK's stateful server: one transport and one server object per session. */
const v1: Serve = async (request, response, body) => {
  const id = request.headers['mcp-session-id'];
  let transport = typeof id === 'string' ? sessions.get(id) : undefined;
  const parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
  if (!transport) {
    if (id !== undefined || request.method !== 'POST') return void response.writeHead(404).end();
    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
    });
    created.onclose = () => created.sessionId && sessions.delete(created.sessionId);
    const server = new McpServerV1({ name: 'sdk-v1', version: '1.0.0' });
    server.registerTool('noop', {}, noop);
    await server.connect(created);
    transport = created;
  }
  await transport.handleRequest(request, response, parsed);
};

/** The v2 SDK's web-standard handler, wrapped for node:http. */
function v2(): Serve {
  const handler = createMcpHandler(
    () => {
      const server = new McpServer({ name: 'sdk-v2', version: '2.0.0' });
      server.registerTool('noop', {}, noop);
      return server;
    },
    { legacy: 'reject' },
  );
  return fetchRoute((request) => handler.fetch(request));
}

const serve = kind === 'v1' ? v1 : v2();
const server = createServer((request, response) => {
  void (async () => {
    if (request.url === '/mark') {
      // The next tool call is the "first" again (the start-up figure of the next run).
      firstCallAt = null;
      return void response.writeHead(204).end();
    }
    if (request.url === '/stats') {
      const active = kind === 'v1' ? sessions.size : 0;
      const stats = {
        pid: process.pid,
        sessions: { active, opened: initializes, closed: deletes },
        calls: { total: calls, errors: 0 },
        firstCallAt,
        methods,
      };
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    }
    if (request.method === 'DELETE') deletes += 1;
    const body = await readBody(request);
    if (body.length > 0) count(JSON.parse(body.toString('utf8')));
    await serve(request, response, body);
  })().catch((error: unknown) => {
    if (!response.headersSent) response.writeHead(500);
    response.end(String(error));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object')
    console.log(`listening on http://127.0.0.1:${address.port}/mcp`);
});
process.on('SIGTERM', () => process.exit(0));
