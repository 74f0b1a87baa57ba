import {
  Client,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  type McpSubscription,
} from '@modelcontextprotocol/client';
import type { LeanStreamableHttpTransport } from './streamable-http-transport.js';
import { MODERN_CAPABILITIES, type ProtocolRevision } from './protocol-era.js';

/** Tool-call result fields the virtual user reads. */
export interface ToolResult {
  readonly content?: unknown;
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
}

/** How a 2026-07-28 client is made: what it declares and what it does on the server's requests. */
export interface ModernClientOptions {
  readonly clientInfo: { readonly name: string; readonly version: string };
  /** A Multi Round-Trip Request asked for input: it is answered declined (elicitation) or empty (roots). */
  readonly onInputRequest?: (method: string) => void;
}

/** HTTP failures as the v2 SDK's own transport throws them, so that its `auto` probe reads them alike. */
export function modernHttpError(status: number, message: string, body: string): Error {
  return new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, message, {
    status,
    statusText: '',
    text: body,
  });
}

/** The SDK's own error for a `server/discover` probe not answered in time (`classifyProbeOutcome`). */
export function probeTimeoutError(timeoutMs: number): Error {
  return new SdkError(
    SdkErrorCode.RequestTimeout,
    `Version negotiation probe timed out after ${timeoutMs}ms`,
    {
      timeout: timeoutMs,
    },
  );
}

/**
 * A v2 SDK `Client` for one concurrent client of the 2026 era (or for the one `auto` probe of a run).
 * It carries the per-request `_meta` itself; the lean transport adds the headers and moves the bytes.
 */
export function createModernClient(
  negotiation: 'auto' | ProtocolRevision,
  options: ModernClientOptions,
): Client {
  const client = new Client(
    { ...options.clientInfo },
    {
      capabilities: { ...MODERN_CAPABILITIES },
      versionNegotiation: { mode: negotiation === 'auto' ? 'auto' : { pin: negotiation } },
    },
  );
  client.setRequestHandler('elicitation/create', () => {
    options.onInputRequest?.('elicitation/create');
    return { action: 'decline' as const };
  });
  client.setRequestHandler('roots/list', () => {
    options.onInputRequest?.('roots/list');
    return { roots: [] };
  });
  return client;
}

/** Opens the held `subscriptions/listen` stream; failures go to `onError`, never to the caller. */
export async function holdListenStream(
  client: Client,
  onError: (error: Error) => void,
): Promise<McpSubscription | null> {
  try {
    return await client.listen({ toolsListChanged: true });
  } catch (error) {
    onError(new Error(`subscriptions/listen: ${(error as Error).message}`));
    return null;
  }
}

/** The transport's view the session needs once connected. */
export type ModernTransport = Pick<LeanStreamableHttpTransport, 'close'>;
