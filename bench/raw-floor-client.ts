// The floors for sdk-cost: the least a Node client spends on the same load, with no MCP library and
// (`--http raw`, the default) no HTTP library either, or (`--http undici`) undici's dispatcher alone, as the
// explorer uses it: an Agent pool for the POSTs and a Client per client for its GET stream. Raw: node:net
// sockets, HTTP/1.1 keep-alive, one connection per client for its POSTs and one for its GET stream. Each
// frames the answers, parses the JSON-RPC answer out of the event stream and checks its id, and does
// nothing else: no timeouts, no limits, no resuming, no validation, no histograms. It is a yardstick, not
// a client: it serves the v1 SDK server the bench starts and nothing else. Run: node --import tsx
// --import ./bench/boot-cpu.mjs bench/raw-floor-client.ts --url URL [--http raw|undici] [--sessions 50]
// [--tool noop] [--duration-s 20] [--session-calls MIN-MAX]. Prints one JSON line in plain-sdk-client's shape.
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import type { Dispatcher } from 'undici';
import { Agent, Client } from '../source/mcp-client/undici-parts.js';
import type { PlainClientResult } from './plain-sdk-client.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    sessions: { type: 'string', default: '50' },
    tool: { type: 'string', default: 'noop' },
    'duration-s': { type: 'string', default: '20' },
    'session-calls': { type: 'string' },
    http: { type: 'string', default: 'raw' },
  },
});
if (values.http !== 'raw' && values.http !== 'undici')
  throw new Error(`--http ${values.http}: raw or undici`);
const url = new URL(values.url ?? '');
if (url.hostname !== '127.0.0.1') throw new Error(`--url ${url}: the bench only targets 127.0.0.1`);
const [minCalls, maxCalls] = (values['session-calls'] ?? '0-0').split('-').map(Number) as [number, number];
const sessionLength = (): number => minCalls + Math.floor(Math.random() * (maxCalls - minCalls + 1));
const durationMs = Number(values['duration-s']) * 1000;
const VERSION = '2025-11-25';

/** One HTTP answer, framed: the session id header if any, and the body (chunks joined). */
interface Answer {
  readonly sessionId: string | null;
  readonly body: string;
}

/** Where a client's requests go: a connection, or (undici) a pool. */
interface Link {
  request(method: string, sessionId: string | null, body?: string): Promise<Answer>;
  close(): void;
}

/** Frames HTTP/1.1 answers off one keep-alive socket, in order (no pipelining: one request at a time). */
class Connection implements Link {
  private buffer = '';
  private waiting: { resolve(answer: Answer): void; reject(error: Error): void } | null = null;
  private readonly socket: Socket;

  constructor() {
    this.socket = connect(Number(url.port), url.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (data: Buffer) => {
      this.buffer += data.toString('latin1');
      this.drain();
    });
    // A server that goes away fails the request waiting (and so the run), instead of hanging it.
    const gone = (): void => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(new Error('the server closed the connection'));
    };
    this.socket.on('error', gone);
    this.socket.on('close', gone);
  }

  request(method: string, sessionId: string | null, body = ''): Promise<Answer> {
    const length = Buffer.byteLength(body);
    const head =
      `${method} ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\naccept: application/json, text/event-stream\r\n` +
      `content-type: application/json\r\nmcp-protocol-version: ${VERSION}\r\ncontent-length: ${length}\r\n` +
      (sessionId ? `mcp-session-id: ${sessionId}\r\n` : '');
    this.socket.write(`${head}\r\n${body}`);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    while (this.waiting) {
      const answer = this.frame();
      if (!answer) return;
      const waiting = this.waiting;
      this.waiting = null;
      waiting.resolve(answer);
    }
  }

  /** The next whole answer in the buffer, taken out of it; null until it is all there. */
  private frame(): Answer | null {
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return null;
    const head = this.buffer.slice(0, headEnd).toLowerCase();
    const session = /\r\nmcp-session-id: *([^\r]+)/.exec(head);
    let at = headEnd + 4;
    let body = '';
    if (head.includes('\r\ntransfer-encoding: chunked')) {
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return null;
        const size = parseInt(this.buffer.slice(at, lineEnd), 16);
        if (this.buffer.length < lineEnd + 2 + size + 2) return null;
        body += this.buffer.slice(lineEnd + 2, lineEnd + 2 + size);
        at = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
    } else {
      const length = /\r\ncontent-length: *(\d+)/.exec(head);
      at += length ? Number(length[1]) : 0;
      if (this.buffer.length < at) return null;
      body = this.buffer.slice(headEnd + 4, at);
    }
    this.buffer = this.buffer.slice(at);
    return { sessionId: session?.[1] ?? null, body: Buffer.from(body, 'latin1').toString('utf8') };
  }
}

const OPTIONS = { keepAliveTimeout: 30_000, bodyTimeout: 0, headersTimeout: 0, pipelining: 1 } as const;
const pool = values.http === 'undici' ? new Agent({ ...OPTIONS, connections: null }) : null;

/** The same on undici's dispatcher, with a callback handler (no Readable body), as the explorer does. */
class UndiciLink implements Link {
  constructor(private readonly dispatcher: Dispatcher) {}

  request(method: string, sessionId: string | null, body = ''): Promise<Answer> {
    const headers: Record<string, string> = {
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      'mcp-protocol-version': VERSION,
    };
    if (sessionId) headers['mcp-session-id'] = sessionId;
    return new Promise((resolve, reject) => {
      let session: string | null = null;
      const chunks: Buffer[] = [];
      const options = { origin: url.origin, path: url.pathname, method, headers, body: body || null };
      this.dispatcher.dispatch(options, {
        onConnect: () => undefined,
        onHeaders: (_code: number, raw: Buffer[]) => {
          for (let index = 0; index < raw.length; index += 2)
            if (raw[index]!.toString('latin1').toLowerCase() === 'mcp-session-id')
              session = raw[index + 1]!.toString('latin1');
          return true;
        },
        onData: (chunk: Buffer) => chunks.push(chunk) > 0,
        onComplete: () => resolve({ sessionId: session, body: Buffer.concat(chunks).toString('utf8') }),
        onError: reject,
      });
    });
  }

  close(): void {
    if (this.dispatcher !== pool) void this.dispatcher.close();
  }
}

const postLink = (): Link => (pool ? new UndiciLink(pool) : new Connection());
const streamLink = (): Link => (pool ? new UndiciLink(new Client(url.origin, OPTIONS)) : new Connection());

/** The JSON-RPC answer with `id` in a JSON or event-stream body. */
function answerOf(body: string, id: number): unknown {
  const text = body.startsWith('{') ? body : body.slice(body.indexOf('data: ') + 6, body.indexOf('\n\n'));
  const message = JSON.parse(text) as { id?: unknown; result?: unknown; error?: unknown };
  if (message.id !== id || message.error !== undefined) throw new Error(`bad answer: ${text.slice(0, 200)}`);
  return message.result;
}

let stopping = false;
let calls = 0;
let errors = 0;

/**
 * One client: a session (initialize, initialized, GET stream), calls, DELETE, and again until the end.
 * Its GET stream's connection serves the next session's stream once the server ended the last one (as
 * the explorer hands it on), so a session costs its four exchanges and no TCP connect.
 */
async function user(): Promise<void> {
  const posts = postLink();
  const stream = streamLink();
  let streamEnded: Promise<Answer> | null = null;
  let id = 0;
  while (!stopping) {
    const initialize = {
      jsonrpc: '2.0',
      id: ++id,
      method: 'initialize',
      params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'raw-floor', version: '0' } },
    };
    const opened = await posts.request('POST', null, JSON.stringify(initialize));
    answerOf(opened.body, id);
    const sessionId = opened.sessionId;
    await posts.request('POST', sessionId, '{"jsonrpc":"2.0","method":"notifications/initialized"}');
    if (streamEnded) await streamEnded;
    streamEnded = stream.request('GET', sessionId);
    let left = sessionLength();
    while (!stopping) {
      const call = {
        jsonrpc: '2.0',
        id: ++id,
        method: 'tools/call',
        params: { name: values.tool, arguments: {} },
      };
      try {
        answerOf((await posts.request('POST', sessionId, JSON.stringify(call))).body, id);
        calls += 1;
      } catch {
        errors += 1;
      }
      if (left > 0 && --left === 0) break;
    }
    await posts.request('DELETE', sessionId);
  }
  posts.close();
  if (streamEnded) await streamEnded.catch(() => undefined);
  stream.close();
}

const start = process.cpuUsage();
const startedAt = Date.now();
const users = Array.from({ length: Number(values.sessions) }, () => user());
setTimeout(() => (stopping = true), durationMs);
await Promise.all(users);
await pool?.close();
const used = process.cpuUsage(start);
const cpuMicros = used.user + used.system;
const result: PlainClientResult = {
  calls,
  errors,
  cpuMicros,
  wallMs: Date.now() - startedAt,
  microsPerCall: cpuMicros / Math.max(1, calls),
  bootCpuMicros: (globalThis as { bootCpuMicros?: number }).bootCpuMicros ?? null,
};
console.log(JSON.stringify(result));
