import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How the proxy answers: `pass` forwards everything; the others answer tool calls themselves (429, 503,
 * a reset connection, a page that is not MCP); `hang` accepts every request and never answers;
 * `late-initialize` passes initialize on at once (the server makes the session) but holds its answer back
 * for `lateMs`.
 */
export type FaultMode = 'pass' | 'http-429' | 'http-503' | 'reset' | 'not-mcp' | 'hang' | 'late-initialize';

export interface FaultProxy {
  readonly url: string;
  mode: FaultMode;
  /** How long `late-initialize` holds an answer back, ms. @default 1500 */
  lateMs: number;
  /** Sockets open right now, and the most seen at once. */
  sockets(): { readonly open: number; readonly peak: number };
  /** Requests being held without an answer (mode `hang`). */
  hanging(): number;
  /** Held requests the client gave up on (closed before an answer), in all. */
  abandoned(): number;
  /** Tool calls answered with a fault, per mode. */
  readonly faults: Record<string, number>;
  /** Every request as `METHOD authorization-header` (`(none)` without one), in order. */
  readonly seen: string[];
  close(): Promise<void>;
}

/** A raw node:http server in front of a real MCP server that misbehaves on demand. */
export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const open = new Set<Socket>();
  const held = new Set<ServerResponse>();
  const faults: Record<string, number> = {};
  let peak = 0;
  let abandoned = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer, lateMs = 0): void => {
    const onward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (answer) => {
        answer.pause();
        setTimeout(() => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        }, lateMs);
      },
    );
    onward.on('error', () => outgoing.destroy());
    outgoing.on('close', () => onward.destroy());
    onward.end(body);
  };

  const proxy: FaultProxy = {
    url: '',
    mode: 'pass',
    lateMs: 1500,
    sockets: () => ({ open: open.size, peak }),
    hanging: () => held.size,
    abandoned: () => abandoned,
    faults,
    seen: [],
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((incoming, outgoing) => {
    proxy.seen.push(`${incoming.method} ${incoming.headers.authorization ?? '(none)'}`);
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const mode = proxy.mode;
      if (mode === 'hang') {
        held.add(outgoing);
        outgoing.on('close', () => {
          held.delete(outgoing);
          abandoned += 1;
        });
        return;
      }
      if (mode === 'late-initialize' && body.toString().includes('"method":"initialize"')) {
        faults[mode] = (faults[mode] ?? 0) + 1;
        return forward(incoming, outgoing, body, proxy.lateMs);
      }
      if (mode === 'pass' || mode === 'late-initialize' || !body.toString().includes('"tools/call"'))
        return forward(incoming, outgoing, body);
      faults[mode] = (faults[mode] ?? 0) + 1;
      if (mode === 'reset') {
        incoming.socket.resetAndDestroy();
      } else if (mode === 'not-mcp') {
        outgoing.writeHead(200, { 'content-type': 'text/html' });
        outgoing.end('<html><body>Welcome to nginx!</body></html>');
      } else {
        const status = mode === 'http-429' ? 429 : 503;
        outgoing.writeHead(status, { 'content-type': 'text/plain', 'retry-after': '1' });
        outgoing.end(status === 429 ? 'Too Many Requests' : 'Service Unavailable');
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    peak = Math.max(peak, open.size);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(proxy, { url: `http://127.0.0.1:${port}${upstream.pathname}` });
}
