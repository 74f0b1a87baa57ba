import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isRpcError, type RpcError } from './rpc-error.js';

/**
 * The `data` of a JSON-RPC error answer the server sent, wrapped: the clients raise their own local errors
 * with the same codes (ConnectionClosed -32000, RequestTimeout -32001), so the code alone cannot tell
 * a server's error from a lost connection or a call timed out here.
 */
export class ServerSentData {
  constructor(readonly data: unknown) {}
}

/** An error answer the server sent (an `RpcError` or the SDK's `McpError` from a marking transport). */
export function isServerSent(error: unknown): error is RpcError {
  return isRpcError(error) && error.data instanceof ServerSentData;
}

/** `message` with its error's `data` wrapped in ServerSentData when it is an error answer; else as it is. */
export function markServerError(message: unknown): unknown {
  if (typeof message !== 'object' || message === null || !('error' in message) || !('id' in message)) {
    return message;
  }
  const error = (message as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return message;
  const data = (error as { data?: unknown }).data;
  return { ...message, error: { ...error, data: new ServerSentData(data) } };
}

/**
 * Wraps whatever `onmessage` the SDK's Client sets on `transport` (before it connects), so that every
 * error answer reaches it marked as the server's. The accessor turns the object's properties into a
 * dictionary (about 1.6 KB more, and slower to read): the lean HTTP transport marks its answers itself.
 */
export function markServerErrors(transport: Transport): void {
  let handler: Transport['onmessage'];
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => handler,
    set: (next: Transport['onmessage']) => {
      handler = next && ((message, extra) => next(markServerError(message) as typeof message, extra));
    },
  });
}
