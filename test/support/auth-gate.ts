import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the gate saw: each request's Authorization header (`(none)` without one) and its answer. */
export interface AuthGate {
  readonly url: string;
  readonly seen: { readonly authorization: string; readonly status: number }[];
  close(): Promise<void>;
}

/**
 * A real HTTP server in front of a real MCP server that wants `Authorization: Bearer <token>`: no header
 * gets 401 with a `Bearer` challenge, a wrong token 401 with `error="invalid_token"`, the right one passes.
 */
export async function startAuthGate(upstreamUrl: string, token: string): Promise<AuthGate> {
  const upstream = new URL(upstreamUrl);
  const seen: AuthGate['seen'] = [];
  const server = createServer((incoming, outgoing) => {
    const authorization = incoming.headers.authorization;
    if (authorization !== `Bearer ${token}`) {
      const challenge = authorization
        ? 'Bearer realm="mcp", error="invalid_token", error_description="The access token expired"'
        : 'Bearer realm="mcp", resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource"';
      seen.push({ authorization: authorization ?? '(none)', status: 401 });
      incoming.resume();
      outgoing.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
      outgoing.end('{"error":"unauthorized"}');
      return;
    }
    seen.push({ authorization, status: 0 });
    const onward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    onward.on('error', () => outgoing.destroy());
    incoming.pipe(onward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
