import type { OpenSession, ToolInfo } from './open-session.js';

/** What both SDK `Client`s (1.x for 2025-era sessions, 2.x for 2026-07-28) offer the session interface. */
interface SdkClient {
  listTools(params?: { cursor: string }): Promise<{ tools: ToolInfo[]; nextCursor?: string | undefined }>;
  getServerVersion(): { name: string; version: string } | undefined;
  close(): Promise<void>;
}

/** The session's tool listing, server version and client-side close, on either SDK's `Client`. */
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
