import { LeanModernClient } from './lean-modern-client.js';
import { leanModernHttpError } from './modern-errors.js';
import type { ModernDiscovery } from './modern-shapes.js';
import { clientQueries } from './client-queries.js';
import type { OpenSession, SessionFactoryOptions } from './open-session.js';
import { MODERN_CAPABILITIES } from './protocol-era.js';
import type { LeanStreamableHttpTransport } from './streamable-http-transport.js';

/**
 * A 2026-07-28 client on the lean client (lean-modern-client.ts), on the transport whose `server/discover`
 * found the revision: it holds `subscriptions/listen` unless told not to, as the SDK-driven client did.
 */
export async function openLeanModern(
  transport: LeanStreamableHttpTransport,
  discovery: ModernDiscovery,
  clientInfo: { readonly name: string; readonly version: string },
  options: SessionFactoryOptions,
  hold: boolean,
): Promise<OpenSession> {
  transport.useHttpError(leanModernHttpError);
  const client = new LeanModernClient({
    clientInfo,
    capabilities: MODERN_CAPABILITIES,
    discovery,
    timeoutMs: options.timeoutMs,
    onInputRequest: options.onInputRequest,
  });
  client.attach(transport);
  if (hold) {
    await client.listen().catch((error: unknown) => {
      options.onTransportError?.(new Error(`subscriptions/listen: ${(error as Error).message}`));
    });
  }
  return {
    pid: null,
    protocolVersion: discovery.version,
    stateful: false,
    failure: () => transport.failure,
    callTool: (name, args, timeoutMs) => client.callTool(name, args, timeoutMs),
    ...clientQueries(client),
    close: () => client.close(),
    transport,
  };
}
