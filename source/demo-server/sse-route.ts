import type { IncomingMessage, ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { DemoToolContext } from './demo-tools.js';
import { JsonRpcCode, sendJsonRpcError } from './http-replies.js';
import type { SessionRegistry } from './session-registry.js';
import { createSessionServer } from './session-server.js';

/** Where legacy clients POST their messages, learnt from the stream's `endpoint` event. */
export const SSE_MESSAGES_PATH = '/messages';

/** `GET /sse`: opens a legacy HTTP+SSE session that lives as long as the stream. */
export function createSseStreamRoute(context: DemoToolContext, registry: SessionRegistry) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { server, calls } = createSessionServer(context);
    const transport = new SSEServerTransport(SSE_MESSAGES_PATH, res);
    const id = transport.sessionId;
    transport.onclose = () => registry.remove(id);
    server.server.oninitialized = () => registry.markOpened(id);
    registry.add({ kind: 'sse', id, server, calls, transport });
    await server.connect(transport);
  };
}

/** `POST /messages?sessionId=…`: one client message of a legacy session. */
export function createSseMessageRoute(registry: SessionRegistry) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const session = registry.find('sse', url.searchParams.get('sessionId') ?? '');
    if (!session) {
      sendJsonRpcError(res, 404, JsonRpcCode.sessionNotFound, 'Session not found');
      return;
    }
    await session.transport.handlePostMessage(req, res);
  };
}
