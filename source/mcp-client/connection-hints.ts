import { GENERATOR_LIMIT_KINDS } from './error-kind.js';
import { request } from './undici-parts.js';
import { serverTextOf, type Target } from './target.js';

type HttpTarget = Extract<Target, { transport: 'streamable-http' | 'sse' }>;

/** How long the auth probe may take, ms: it runs only after a failed start, to say what to do. */
const PROBE_MS = 3000;
/** The most of a `WWW-Authenticate` value shown: it is the server's text. */
const CHALLENGE_CHARS = 160;

/** What the server asked for when it refused us: the scheme and its parameters, cleaned for one line. */
export interface AuthChallenge {
  readonly status: number;
  /** e.g. `Bearer realm="mcp", error="invalid_token"`; null when the server sent none. */
  readonly challenge: string | null;
}

/** Asks the server once more, only for its `WWW-Authenticate` answer to an initialize. */
export async function probeAuth(target: HttpTarget): Promise<AuthChallenge | null> {
  try {
    const answer = await request(target.url, {
      method: target.transport === 'sse' ? 'GET' : 'POST',
      headers: {
        ...target.headers,
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
      },
      body:
        target.transport === 'sse'
          ? undefined
          : JSON.stringify({
              jsonrpc: '2.0',
              id: 0,
              method: 'initialize',
              params: {
                protocolVersion: '2025-11-25',
                capabilities: {},
                clientInfo: { name: 'mcp-load-explorer', version: '0' },
              },
            }),
      headersTimeout: PROBE_MS,
      bodyTimeout: PROBE_MS,
      signal: AbortSignal.timeout(PROBE_MS),
    });
    await answer.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const header = answer.headers['www-authenticate'];
    const challenge = Array.isArray(header) ? header.join(', ') : header;
    // The server's text: redacted, stripped of control sequences, then cut, as all of it is.
    return {
      status: answer.statusCode,
      challenge: challenge ? serverTextOf(target).clean(challenge, CHALLENGE_CHARS) : null,
    };
  } catch {
    return null;
  }
}

const AUTH_HEADERS = /^(authorization|x-api-key|api-key|x-auth-token|cookie)$/i;

/**
 * The likely fix for a failed start against an HTTP server, from the URL, the failure's kind and, for a
 * 401 or 403, the server's own challenge. Null when there is nothing more specific than "check --url".
 */
export async function connectionHint(target: HttpTarget, kind: string): Promise<string | null> {
  const url = new URL(target.url);
  const path = url.pathname.replace(/\/+$/, '');
  if (target.transport === 'streamable-http' && /\/sse$/i.test(path) && kind !== 'connect-refused')
    return `${url.pathname} looks like a legacy HTTP+SSE endpoint: add --sse (or use the server's Streamable HTTP path, often /mcp)`;
  if (kind === 'http-401' || kind === 'http-403') {
    const probe = await probeAuth(target);
    const sent = Object.keys(target.headers).some((name) => AUTH_HEADERS.test(name));
    const asked = probe?.challenge ? ` (WWW-Authenticate: ${probe.challenge})` : '';
    if (!sent)
      return `the server wants credentials${asked} and none were sent: pass the token with --header-env Authorization=VAR (the value "Bearer <token>" in $VAR keeps it out of argv)`;
    if (kind === 'http-403')
      return `the server refused the credentials sent${asked}: the token lacks a scope or role it needs; check it, and the header given with --header/--header-env`;
    return `the server rejected the credentials sent${asked}: the token is wrong or expired; check the value of the header given with --header/--header-env`;
  }
  // The server answered, but not as MCP: at the root, the path is the likely fault whatever the kind.
  if (path === '' && !kind.startsWith('connect-') && !GENERATOR_LIMIT_KINDS.has(kind) && kind !== 'timeout')
    return `the URL has no path, and most MCP servers serve Streamable HTTP at /mcp: try --url ${url.origin}/mcp`;
  return null;
}
