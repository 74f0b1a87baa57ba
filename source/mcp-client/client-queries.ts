import type { OpenSession, ToolInfo } from './open-session.js';

/**
 * What the clients offer the session interface: the lean one and the 1.x SDK's (2025-era sessions), the
 * 2.x SDK's (2026-07-28).
 */
interface SdkClient {
  listTools(params?: { cursor: string }): Promise<{ tools: ToolInfo[]; nextCursor?: string | undefined }>;
  getServerVersion(): { name: string; version: string } | undefined;
  close(): Promise<void>;
}

/** The session's tool listing, server version and client-side close, on any of the clients. */
export function clientQueries(
  client: SdkClient,
): Pick<OpenSession, 'listTools' | 'serverVersion' | 'release'> {
  return {
    listTools: async (cursor) => {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      return { tools: page.tools, nextCursor: page.nextCursor };
    },
    serverVersion: () => client.getServerVersion(),
    release: () => client.close(),
  };
}
