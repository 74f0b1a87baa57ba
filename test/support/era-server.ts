/**
 * An MCP server for the protocol-era tests, in its own process (`node --import tsx era-server.ts POSTURE`):
 * - `modern`: `@modelcontextprotocol/server` 2.x, `createMcpHandler(factory, { legacy: 'reject' })`;
 * - `dual`: the same with its default stateless fallback for 2025-era clients;
 * - `v1`: the 1.x SDK's stateful Streamable HTTP server (one session per client).
 * It counts what it saw (requests by HTTP method and by JSON-RPC method, tools/call by era and retries carrying
 * input) and serves the counts at GET /counts. Tools: `echo {text}`; on v2, `confirm` asks for input first.
 * Prints `listening on URL` when ready.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer as McpServerV1 } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpHandler, inputRequired, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { fetchRoute } from '../../source/demo-server/v2-route.js';

const posture = process.argv[2] ?? 'modern';
const http: Record<string, number> = {};
const rpc: Record<string, number> = {};
const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function countMessages(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const { method, params } = message as { method?: unknown; params?: Record<string, unknown> };
    if (typeof method === 'string') bump(rpc, method);
    if (method === 'tools/call') {
      // By era: a 2026-07-28 request names its revision in `_meta`; a retry carries the input asked for.
      const meta = params?._meta as Record<string, unknown> | undefined;
      const revision = meta?.['io.modelcontextprotocol/protocolVersion'];
      bump(rpc, `tools/call ${typeof revision === 'string' ? revision : '2025'}`);
      if (params?.inputResponses !== undefined) bump(rpc, 'tools/call with input');
    }
  }
  return parsed;
}

const echo = async ({ text }: { text: string }) => ({ content: [{ type: 'text' as const, text }] });

/** The v2 SDK's web-standard handler, wrapped for node:http. */
function v2Handler(): (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<void> {
  const factory = () => {
    const server = new McpServer({ name: `era-${posture}`, version: '2.0.0' });
    server.registerTool('echo', { inputSchema: { text: z.string() } }, echo);
    // A Multi Round-Trip Request (2026-07-28): asks the client first, answers once the call comes back with it.
    server.registerTool('confirm', { inputSchema: {} }, async (_args, ctx) => {
      if (ctx.mcpReq.inputResponses?.['confirm'] === undefined) {
        const requestedSchema = z.object({ ok: z.boolean() });
        return inputRequired({
          inputRequests: { confirm: inputRequired.elicit({ message: 'Go on?', requestedSchema }) },
        });
      }
      return { content: [{ type: 'text' as const, text: 'answered' }] };
    });
    return server;
  };
  const handler = createMcpHandler(factory, posture === 'modern' ? { legacy: 'reject' } : {});
  return fetchRoute((request) => handler.fetch(request));
}

/** The 1.x SDK's stateful server: one transport per session. */
function v1Handler(): (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<void> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  return async (request, response, body) => {
    const id = request.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    const parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
    if (!transport) {
      if (id !== undefined || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
      });
      created.onclose = () => created.sessionId && sessions.delete(created.sessionId);
      const server = new McpServerV1({ name: 'era-v1', version: '1.0.0' });
      server.registerTool('echo', { inputSchema: { text: z.string() } }, echo);
      await server.connect(created);
      transport = created;
    }
    await transport.handleRequest(request, response, parsed);
  };
}

const serve = posture === 'v1' ? v1Handler() : v2Handler();
const server = createServer((request, response) => {
  void (async () => {
    if (request.url === '/counts') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ http, rpc }));
      return;
    }
    bump(http, request.method ?? '?');
    const body = await readBody(request);
    countMessages(body);
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
