import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { clientQueries } from './client-queries.js';
import type { ToolResult } from './modern-session.js';
import type { OpenSession } from './open-session.js';
import { LEGACY_REVISION } from './protocol-era.js';
import type { LeanStreamableHttpTransport } from './streamable-http-transport.js';

/** The 1.x SDK `Client` of a 2025-era session behind the session interface. */
export function legacySession(
  client: Client,
  pid: number | null,
  stateful: boolean,
  close: () => Promise<void>,
): OpenSession {
  return {
    pid,
    protocolVersion: LEGACY_REVISION,
    stateful,
    callTool: (name, args, timeoutMs) =>
      client.callTool({ name, arguments: { ...args } }, undefined, {
        timeout: timeoutMs,
      }) as Promise<ToolResult>,
    ...clientQueries(client),
    close,
    failure: () => null,
  };
}

/** Out of descriptors or ports: others free theirs as sessions end, so the DELETE is worth retrying. */
const LIMIT_CODES = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL']);
const LIMIT_RETRIES = 5;
const LIMIT_RETRY_MS = 500;

/** Ends the session on the server, retrying while the generator is out of descriptors or ports. */
export async function terminate(transport: LeanStreamableHttpTransport): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transport.terminateSession();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= LIMIT_RETRIES || typeof code !== 'string' || !LIMIT_CODES.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, LIMIT_RETRY_MS * attempt));
    }
  }
}
