import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { DemoToolContext } from './demo-tools.js';
import { JsonRpcCode, readJsonBody, sendJsonRpcError } from './http-replies.js';
import type { SessionRegistry } from './session-registry.js';
import { createSessionServer } from './session-server.js';

const isInitialize = (body: unknown): boolean =>
  Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);

/**
 * `/mcp`: stateful Streamable HTTP, one McpServer and transport per `mcp-session-id`. `preread`: the body,
 * when the era routing read it first (undefined when it was not JSON).
 */
export function createStreamableHttpRoute(context: DemoToolContext, registry: SessionRegistry) {
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    preread?: { readonly body: unknown },
  ): Promise<void> => {
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      res.setHeader('allow', 'GET, POST, DELETE');
      sendJsonRpcError(res, 405, JsonRpcCode.badRequest, 'Method not allowed.');
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = registry.find('streamable-http', sessionId);
      if (!session) {
        sendJsonRpcError(res, 404, JsonRpcCode.sessionNotFound, 'Session not found');
        return;
      }
      if (req.method === 'GET') res.once('close', registry.stats.streamOpened());
      await session.transport.handleRequest(req, res, preread?.body);
      return;
    }
    if (req.method !== 'POST') {
      sendJsonRpcError(res, 400, JsonRpcCode.badRequest, 'Bad Request: Mcp-Session-Id header is required');
      return;
    }
    const body = preread ? preread.body : await readJsonBody(req);
    if (body === undefined) {
      sendJsonRpcError(res, 400, JsonRpcCode.parseError, 'Parse error: Invalid JSON');
      return;
    }
    if (!isInitialize(body)) {
      sendJsonRpcError(res, 400, JsonRpcCode.badRequest, 'Bad Request: No valid session ID provided');
      return;
    }
    await openSession(context, registry, req, res, body);
  };
}

async function openSession(
  context: DemoToolContext,
  registry: SessionRegistry,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const { server, calls } = createSessionServer(context);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    enableJsonResponse: !context.options.sseResponses,
    onsessioninitialized: (id) => {
      registry.add({ kind: 'streamable-http', id, server, calls, transport });
      registry.markOpened(id);
    },
  });
  // Set before connect(): the server chains its own onclose after this one.
  transport.onclose = () => {
    if (transport.sessionId) registry.remove(transport.sessionId);
  };
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
  // An initialize that failed validation leaves a transport no one can reach.
  if (!transport.sessionId) await server.close();
}
