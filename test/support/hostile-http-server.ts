/**
 * A small Streamable HTTP MCP server that misbehaves on purpose, run as its own process:
 * `node --import tsx test/support/hostile-http-server.ts MODE`. Initialize, tools/list and DELETE are
 * honest; tools/call (or the GET stream) does what MODE says. It prints `listening on URL`, and answers
 * `GET /stats` with its own counts, so that a test checks what the server saw.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export type HostileMode =
  | 'ok'
  | 'jsonrpc-32000'
  | 'jsonrpc-32001'
  | 'html'
  | 'not-mcp'
  | 'cut'
  | 'endless-line'
  | 'huge-json'
  | 'endless-get'
  | 'resume-404'
  | 'bad-result'
  | 'asks'
  | 'stream'
  | 'stream-kept';

/** What the server saw. */
export interface HostileStats {
  readonly initializes: number;
  /** Sessions initialized and not DELETEd. */
  readonly open: number;
  readonly deletes: number;
  readonly calls: number;
  readonly getStreams: number;
  /** GETs with `Last-Event-ID` (resuming a call's stream); `resume-404` forgets the session on each. */
  readonly resumes: number;
  /** Bytes written by the endless and huge answers. */
  readonly hostileBytes: number;
  /** `asks`: the client's answers to the server's requests, as `METHOD result` or `METHOD error CODE`. */
  readonly answers: Readonly<Record<string, number>>;
  /** TCP connections accepted. */
  readonly connections: number;
  /** `stream`: GET streams the server ended itself (on its session's DELETE). */
  readonly streamsEnded: number;
  /** GET streams the client closed before the server ended them. */
  readonly streamsDropped: number;
}

const mode = (process.argv[2] ?? 'ok') as HostileMode;
const sessions = new Set<string>();
const stats = {
  initializes: 0,
  deletes: 0,
  calls: 0,
  getStreams: 0,
  resumes: 0,
  hostileBytes: 0,
  connections: 0,
  streamsEnded: 0,
  streamsDropped: 0,
};
/** `stream` and `stream-kept`: each session's open GET stream. */
const openStreams = new Map<string, ServerResponse>();
const answers: Record<string, number> = {};
/** `asks`: the server's requests by id, to name the client's answers. */
const asked = new Map<string, string>();
const CHUNK = Buffer.alloc(64 * 1024, 'x');
const HUGE_BYTES = 100 * 1024 * 1024;

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes `CHUNK` as fast as the client reads, until `limit` bytes or the client goes. */
function pour(res: ServerResponse, limit = Number.POSITIVE_INFINITY): void {
  let sent = 0;
  const more = (): void => {
    while (sent < limit && !res.destroyed) {
      const chunk = limit - sent < CHUNK.length ? CHUNK.subarray(0, limit - sent) : CHUNK;
      sent += chunk.length;
      stats.hostileBytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    if (sent >= limit) res.end();
  };
  more();
}

/** Comment lines, never an event. */
function keepAlives(res: ServerResponse): void {
  const line = Buffer.from(`: ${'k'.repeat(1000)}\n`);
  const more = (): void => {
    while (!res.destroyed) {
      stats.hostileBytes += line.length;
      if (!res.write(line)) return void res.once('drain', more);
    }
  };
  more();
}

function call(id: unknown, res: ServerResponse): void {
  stats.calls += 1;
  switch (mode) {
    case 'jsonrpc-32000':
    case 'jsonrpc-32001': {
      const code = mode === 'jsonrpc-32000' ? -32000 : -32001;
      return json(res, 200, { jsonrpc: '2.0', id, error: { code, message: `application error ${code}` } });
    }
    case 'html':
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><body>Welcome to nginx!</body></html>');
    case 'not-mcp':
      return json(res, 200, { status: 'ok', message: 'this is not JSON-RPC' });
    case 'cut':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"jsonrpc":"2.0","id":');
      return void setTimeout(() => res.socket?.destroy(), 20);
    case 'endless-line':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: ');
      return pour(res);
    case 'resume-404':
      // Ends the call's stream before the answer, with an event id to resume from (SEP-1699).
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return void res.end('id: call-1\nretry: 50\ndata: \n\n');
    case 'bad-result':
      // A result the SDK's schema refuses: content must be a list.
      return json(res, 200, { jsonrpc: '2.0', id, result: { content: 'ok' } });
    case 'asks': {
      // Before the answer, on the call's own stream: a ping and a request the client did not offer.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const n = stats.calls;
      const ask = (method: string, params: unknown): string => {
        asked.set(`${method}-${n}`, method);
        return `data: ${JSON.stringify({ jsonrpc: '2.0', id: `${method}-${n}`, method, params })}\n\n`;
      };
      const result = { content: [{ type: 'text', text: 'ok' }] };
      return void res.end(
        ask('ping', {}) +
          ask('sampling/createMessage', { messages: [], maxTokens: 1 }) +
          `data: ${JSON.stringify({ jsonrpc: '2.0', id, result })}\n\n`,
      );
    }
    case 'huge-json':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES) });
      return pour(res, HUGE_BYTES);
    default:
      return json(res, 200, { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'ok' }] } });
  }
}

function post(req: IncomingMessage, res: ServerResponse, body: string): void {
  const message = JSON.parse(body) as { id?: unknown; method?: string };
  const session = req.headers['mcp-session-id'];
  if (message.method === 'initialize') {
    stats.initializes += 1;
    const id = randomUUID();
    sessions.add(id);
    const result = {
      protocolVersion: '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: `hostile-${mode}`, version: '1.0.0' },
    };
    return json(res, 200, { jsonrpc: '2.0', id: message.id, result }, { 'mcp-session-id': id });
  }
  if (typeof session !== 'string' || !sessions.has(session)) {
    return json(res, 404, {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32001, message: 'Session not found' },
    });
  }
  if (message.id === undefined) return void res.writeHead(202).end();
  if (message.method === undefined) {
    // The client's answer to one of our requests.
    const answer = message as { id: string; result?: unknown; error?: { code: number } };
    const key = `${asked.get(answer.id) ?? 'unknown'} ${answer.error ? `error ${answer.error.code}` : `result ${JSON.stringify(answer.result)}`}`;
    answers[key] = (answers[key] ?? 0) + 1;
    return void res.writeHead(202).end();
  }
  if (message.method === 'tools/list') {
    const tools = [{ name: 'fast', description: 'answers at once', inputSchema: { type: 'object' } }];
    return json(res, 200, { jsonrpc: '2.0', id: message.id, result: { tools } });
  }
  if (message.method === 'tools/call') return call(message.id, res);
  return json(res, 200, { jsonrpc: '2.0', id: message.id, result: {} });
}

const server = createServer((req, res) => {
  if (req.url === '/stats') return json(res, 200, { ...stats, answers, open: sessions.size });
  const session = req.headers['mcp-session-id'];
  if (req.method === 'DELETE') {
    stats.deletes += 1;
    const known = typeof session === 'string' && sessions.delete(session);
    // `stream` ends the session's GET stream with it, as the SDKs do; `stream-kept` never does.
    const stream = typeof session === 'string' ? openStreams.get(session) : undefined;
    if (stream && mode === 'stream') {
      stats.streamsEnded += 1;
      stream.end();
    }
    return void res.writeHead(known ? 200 : 404).end();
  }
  if (req.method === 'GET' && req.headers['last-event-id'] !== undefined) {
    // The server restarted while the stream was away: the session is gone.
    stats.resumes += 1;
    if (typeof session === 'string') sessions.delete(session);
    return json(res, 404, {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32001, message: 'Session not found' },
    });
  }
  if (req.method === 'GET' && (mode === 'stream' || mode === 'stream-kept')) {
    if (typeof session !== 'string' || !sessions.has(session)) return void res.writeHead(404).end();
    stats.getStreams += 1;
    openStreams.set(session, res);
    res.on('close', () => {
      openStreams.delete(session);
      if (!res.writableEnded) stats.streamsDropped += 1;
    });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    return void res.write(': open\n\n');
  }
  if (req.method === 'GET') {
    if (mode !== 'endless-get') return void res.writeHead(405).end();
    stats.getStreams += 1;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    return keepAlives(res);
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => post(req, res, body));
});
server.on('connection', () => (stats.connections += 1));
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`listening on http://127.0.0.1:${port}/mcp`);
});
process.on('SIGTERM', () => process.exit(0));
