import type { Dispatcher } from 'undici';
import { createAgent } from '../../source/mcp-client/lean-fetch.js';
import { modernHttpError } from '../../source/mcp-client/modern-session.js';
import { StreamConnections } from '../../source/mcp-client/stream-connections.js';
import { LeanStreamableHttpTransport } from '../../source/mcp-client/streamable-http-transport.js';

/**
 * The lean transport as it carries the v2 SDK's `Client` (the reference the lean clients are held to):
 * its own keep-alive pool, no GET stream, HTTP failures as the SDK's. Destroy `agent` when done.
 */
export function sdkTransport(
  url: string,
  timeoutMs: number,
): { transport: LeanStreamableHttpTransport; agent: Dispatcher } {
  const agent = createAgent(timeoutMs);
  const transport = new LeanStreamableHttpTransport({
    url: new URL(url),
    dispatcher: agent,
    streams: new StreamConnections(new URL(url).origin, () => timeoutMs),
    headers: {},
    getStream: false,
    requestTimeoutMs: () => timeoutMs + 1000,
    track: () => () => undefined,
    httpError: modernHttpError,
  });
  return { transport, agent };
}
