/**
 * The error shapes of the 1.x SDK, without loading it: its `types.js` builds every zod schema of the
 * protocol when imported (~0.2 s of CPU in each worker thread), and a 2025-era Streamable HTTP session
 * here needs none of them (lean-client.ts). Errors raised by the SDK's own `Client` (stdio, HTTP+SSE)
 * have the same shape, so one check serves both.
 */

/** JSON-RPC codes the client raises or answers with (the SDK's `ErrorCode` values). */
export const RPC_CODES = {
  ConnectionClosed: -32000,
  RequestTimeout: -32001,
  MethodNotFound: -32601,
  InternalError: -32603,
} as const;

/** A JSON-RPC error, as the SDK's `McpError`: same name, same message form, `code` and `data`. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`MCP error ${code}: ${message}`);
    this.name = 'McpError';
  }
}

/** Our `RpcError` or the 1.x SDK's `McpError` (the 2.x SDK's errors are named otherwise). */
export function isRpcError(error: unknown): error is RpcError {
  return (
    error instanceof Error &&
    error.name === 'McpError' &&
    typeof (error as { code?: unknown }).code === 'number'
  );
}

/** An HTTP failure, as the 1.x SDK's `StreamableHTTPError`: the status (or -1) as `code`. */
export class HttpStatusError extends Error {
  /**
   * `detail`: the message without its prefix; `body`: the answer's body, where one was read (a POST's).
   */
  constructor(
    readonly code: number,
    readonly detail: string,
    readonly body?: string,
  ) {
    super(`Streamable HTTP error: ${detail}`);
  }
}

/** A JSON-RPC error answer's code and message; a missing code is InternalError, a missing message said so. */
export function errorAnswerFields(error: { code?: unknown; message?: unknown }): {
  code: number;
  text: string;
} {
  return {
    code: typeof error?.code === 'number' ? error.code : RPC_CODES.InternalError,
    text: typeof error?.message === 'string' ? error.message : 'error without a message',
  };
}
