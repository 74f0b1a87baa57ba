import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { SessionCalls } from './demo-tools.js';
import type { DemoStatsRecorder } from './demo-stats.js';

interface SessionBase {
  readonly id: string;
  readonly server: McpServer;
  readonly calls: SessionCalls;
}

/** An HTTP session the server holds, routed by its id. */
export type DemoSession =
  | (SessionBase & { readonly kind: 'streamable-http'; readonly transport: StreamableHTTPServerTransport })
  | (SessionBase & { readonly kind: 'sse'; readonly transport: SSEServerTransport });

/**
 * Routes requests to the sessions of one HTTP server and keeps the session counters honest: a session
 * counts as opened once its initialize completes, and as closed at most once.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, DemoSession>();
  private readonly opened = new Set<string>();

  constructor(readonly stats: DemoStatsRecorder) {}

  /** Makes a session routable (a legacy SSE session is, before its initialize). */
  add(session: DemoSession): void {
    this.sessions.set(session.id, session);
  }

  markOpened(id: string): void {
    if (!this.sessions.has(id) || this.opened.has(id)) return;
    this.opened.add(id);
    this.stats.sessionOpened();
  }

  remove(id: string): void {
    if (!this.sessions.delete(id)) return;
    if (this.opened.delete(id)) this.stats.sessionClosed();
  }

  find<K extends DemoSession['kind']>(kind: K, id: string): Extract<DemoSession, { kind: K }> | undefined {
    const session = this.sessions.get(id);
    return session?.kind === kind ? (session as Extract<DemoSession, { kind: K }>) : undefined;
  }

  /** Closes every session; each transport's onclose removes it from the registry. */
  async closeAll(): Promise<void> {
    const sessions = [...this.sessions.values()];
    await Promise.allSettled(sessions.map((session) => session.server.close()));
    for (const session of sessions) this.remove(session.id);
  }
}
