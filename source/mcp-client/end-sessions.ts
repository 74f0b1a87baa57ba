import { request } from './undici-parts.js';
import type { Target } from './target.js';

/** A session as the server named it, enough to end it from anywhere. */
export interface SessionRef {
  readonly id: string;
  readonly protocolVersion?: string;
}

export interface EndedSessions {
  /** Ended with DELETE, or already gone (404). */
  readonly ended: number;
  readonly failed: number;
  /** Why the last one that failed did. */
  readonly lastError: string | null;
}

/** DELETEs sent at once. */
const PARALLEL = 16;

/**
 * Ends Streamable HTTP sessions by id (DELETE with `mcp-session-id`), a few at a time, each bounded by
 * `timeoutMs`: for the sessions of a worker that crashed, whose own transports are gone.
 */
export async function endSessions(
  target: Target,
  sessions: readonly SessionRef[],
  timeoutMs: number,
): Promise<EndedSessions> {
  if (target.transport !== 'streamable-http' || sessions.length === 0) {
    return {
      ended: 0,
      failed: sessions.length,
      lastError: sessions.length ? 'no DELETE in this transport' : null,
    };
  }
  const queue = [...sessions];
  let ended = 0;
  let lastError: string | null = null;
  const next = async (): Promise<void> => {
    for (let session = queue.pop(); session; session = queue.pop()) {
      const headers: Record<string, string> = { ...target.headers, 'mcp-session-id': session.id };
      if (session.protocolVersion) headers['mcp-protocol-version'] = session.protocolVersion;
      try {
        const answer = await request(target.url, {
          method: 'DELETE',
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await answer.body.dump();
        if (answer.statusCode < 300 || answer.statusCode === 404) ended += 1;
        else lastError = `HTTP ${answer.statusCode}`;
      } catch (error) {
        lastError = (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, next));
  return { ended, failed: sessions.length - ended, lastError };
}
