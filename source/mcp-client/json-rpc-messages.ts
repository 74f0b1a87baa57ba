import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RPC_CODES } from './rpc-error.js';

export const isRequest = (message: JSONRPCMessage): boolean => 'method' in message && 'id' in message;

/** The shape of a JSON-RPC 2.0 message, checked by hand: the SDK's Protocol checks it again by schema. */
function isMessage(value: unknown): value is JSONRPCMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return false;
  if (typeof message.method === 'string') return true;
  return (
    (typeof message.id === 'string' || typeof message.id === 'number') &&
    ('result' in message || 'error' in message)
  );
}

/** Parses a JSON-RPC message or batch; anything else is a protocol error, as with the SDK's transport. */
export function parseMessages(text: string): JSONRPCMessage[] {
  const data: unknown = JSON.parse(text);
  const list: unknown[] = Array.isArray(data) ? data : [data];
  for (const item of list) {
    // Whole: whoever shows it redacts, strips and cuts it (a cut first could leave half a secret behind).
    if (!isMessage(item)) throw new Error(`invalid JSON-RPC message: ${text}`);
  }
  return list as JSONRPCMessage[];
}

/** The request a `notifications/cancelled` cancels, if `message` is one. */
export const cancelledId = (message: JSONRPCMessage): unknown =>
  'method' in message && message.method === 'notifications/cancelled'
    ? (message.params as { requestId?: unknown } | undefined)?.requestId
    : undefined;

/** What the lean clients answer a request from the server: ping gets an empty result, anything else -32601. */
export function serverRequestAnswer(request: {
  readonly id?: unknown;
  readonly method?: unknown;
}): JSONRPCMessage {
  const answer =
    request.method === 'ping'
      ? { jsonrpc: '2.0', id: request.id, result: {} }
      : {
          jsonrpc: '2.0',
          id: request.id,
          error: { code: RPC_CODES.MethodNotFound, message: 'Method not found' },
        };
  return answer as JSONRPCMessage;
}
