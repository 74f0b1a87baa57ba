import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { classifyError } from '../source/mcp-client/error-kind.js';
import { createSessionFactory, type SessionFactory } from '../source/mcp-client/open-session.js';
import { freePort, waitFor } from './support/processes.js';
import { startDemo } from './support/servers.js';

// V8's own check: an object whose properties became a dictionary costs more memory per session and is
// slower to read on every call (redefining a field as an accessor on the instance does it).
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8's native syntax parses only in new code
const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (
  o: object,
) => boolean;

function factoryFor(url: string, options: { getStream?: boolean; timeoutMs?: number } = {}): SessionFactory {
  return createSessionFactory(
    { transport: 'streamable-http', url, headers: { 'X-Test': 'yes' }, getStream: options.getStream ?? true },
    { timeoutMs: () => options.timeoutMs ?? 5000 },
  );
}

/** What a tools/call gets from the test server. */
type CallAnswer = 'ok' | 'sse' | '503' | 'html' | 'silent';

/**
 * A small MCP server over real HTTP that can misbehave on tools/call; it records every request
 * (method, session header, protocol version header, extra header) so that tests check what it saw.
 */
async function startTestServer(answer: CallAnswer): Promise<{
  url: string;
  seen: { method: string; session?: string; version?: string; extra?: string }[];
  /** Unanswered calls whose connection the client closed. */
  dropped(): number;
  stop(): Promise<void>;
}> {
  let dropped = 0;
  const seen: { method: string; session?: string; version?: string; extra?: string }[] = [];
  const held: ServerResponse[] = [];
  const reply = (res: ServerResponse, id: unknown, result: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-1' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id, result }));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        session: req.headers['mcp-session-id'] as string | undefined,
        version: req.headers['mcp-protocol-version'] as string | undefined,
        extra: req.headers['x-test'] as string | undefined,
      });
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': open\n\n');
        held.push(res);
        return;
      }
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      const message = JSON.parse(body) as { id?: unknown; method: string };
      if (message.id === undefined) return void res.writeHead(202).end();
      if (message.method === 'initialize') {
        return reply(res, message.id, {
          protocolVersion: '2025-06-18',
          capabilities: { tools: {} },
          serverInfo: { name: 'test', version: '1' },
        });
      }
      if (answer === 'ok') return reply(res, message.id, { content: [{ type: 'text', text: 'done' }] });
      if (answer === '503') return void res.writeHead(503).end('overloaded, retry later');
      if (answer === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>');
      if (answer === 'silent') {
        res.on('close', () => (dropped += 1));
        return void held.push(res);
      }
      // An SSE answer, written in pieces that split the event and a multi-byte character.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'héllo ✓' }] } })}\n\n`;
      const bytes = Buffer.from(event);
      res.write(bytes.subarray(0, 20));
      setTimeout(() => res.write(bytes.subarray(20, bytes.length - 6)), 5);
      setTimeout(() => res.end(bytes.subarray(bytes.length - 6)), 10);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    dropped: () => dropped,
    stop: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ReturnType<typeof classifyError>> {
  try {
    await promise;
  } catch (error) {
    return classifyError(error);
  }
  throw new Error('expected the call to fail');
}

test('demo server, JSON and SSE answers: calls work, the session is ended on the server (DELETE)', async () => {
  for (const args of [
    ['--bottleneck', 'none'],
    ['--bottleneck', 'none', '--sse-responses'],
  ]) {
    const demo = await startDemo(args);
    const factory = factoryFor(demo.url);
    try {
      const session = await factory.open();
      const result = await session.callTool('fast', {}, 30_000);
      assert.equal(result.isError, undefined, JSON.stringify(result));
      assert.ok(hasFastProperties(session.transport!), 'the transport keeps fast properties');
      assert.equal((await demo.stats()).sessions.active, 1);
      assert.equal((await demo.stats()).calls.byTool['fast'], 1);
      await session.close();
      await waitFor(async () => (await demo.stats()).sessions.active === 0, 5000, 'the session to end');
      assert.equal((await demo.stats()).sessions.closed, 1);
    } finally {
      await factory.destroy();
      await demo.stop();
    }
  }
});

test('a session the server forgot answers 404: session-lost', async () => {
  const demo = await startDemo(['--bottleneck', 'none']);
  const factory = factoryFor(demo.url);
  try {
    const session = await factory.open();
    const id = session.transport!.sessionId!;
    const ended = await fetch(demo.url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
    assert.equal(ended.status, 200);
    const failure = await failureOf(session.callTool('fast', {}, 30_000));
    assert.equal(failure.kind, 'session-lost');
    assert.ok(failure.sessionLost);
    const closeFailure = await failureOf(session.close());
    assert.equal(closeFailure.kind, 'session-lost', 'the DELETE of a forgotten session is a 404 too');
  } finally {
    await factory.destroy();
    await demo.stop();
  }
});

test('nothing listening: connect-refused', async () => {
  const factory = factoryFor(`http://127.0.0.1:${await freePort()}/mcp`);
  try {
    assert.equal((await failureOf(factory.open())).kind, 'connect-refused');
  } finally {
    await factory.destroy();
  }
});

test('headers, the GET stream and SSE answers as the server sees them; --no-get-stream opens none', async () => {
  for (const getStream of [true, false]) {
    const server = await startTestServer('sse');
    const factory = factoryFor(server.url, { getStream });
    try {
      const session = await factory.open();
      const result = await session.callTool('anything', {}, 30_000);
      assert.deepEqual(result.content, [{ type: 'text', text: 'héllo ✓' }]);
      await session.close();
      const methods = server.seen.map((request) => request.method).sort();
      // initialize, initialized and the call are POSTs; the GET races the call, so order is not checked.
      const expected = getStream
        ? ['DELETE', 'GET', 'POST', 'POST', 'POST']
        : ['DELETE', 'POST', 'POST', 'POST'];
      assert.deepEqual(methods, expected);
      assert.ok(
        server.seen.every((request) => request.extra === 'yes'),
        'the extra header on every request',
      );
      assert.equal(server.seen[0]!.session, undefined, 'initialize has no session yet');
      for (const request of server.seen.slice(1)) {
        assert.equal(request.session, 'session-1');
        assert.equal(request.version, '2025-06-18');
      }
    } finally {
      await factory.destroy();
      await server.stop();
    }
  }
});

test('a server that errs or lies: http-503 with its text, protocol on a wrong content type', async () => {
  for (const [answer, kind, message] of [
    ['503', 'http-503', /overloaded, retry later/],
    ['html', 'protocol', /Unexpected content type: text\/html/],
  ] as const) {
    const server = await startTestServer(answer);
    const factory = factoryFor(server.url);
    try {
      const session = await factory.open();
      const failure = await failureOf(session.callTool('anything', {}, 30_000));
      assert.equal(failure.kind, kind);
      assert.match(failure.message, message);
      await session.close();
    } finally {
      await factory.destroy();
      await server.stop();
    }
  }
});

test('a server that never answers: timeout, and the overdue request is aborted', async () => {
  const server = await startTestServer('silent');
  const factory = factoryFor(server.url, { timeoutMs: 300 });
  try {
    const session = await factory.open();
    const failure = await failureOf(session.callTool('anything', {}, 300));
    assert.equal(failure.kind, 'timeout');
    assert.equal(failure.sessionLost, false);
    assert.equal(server.dropped(), 0, 'the SDK timed the call out; the request is still open');
    // The sweep runs once a second with a 5 s grace; here it is called as if that time had passed.
    session.transport!.abortOverdue(Date.now() + 60_000);
    await waitFor(() => server.dropped() === 1, 5000, 'the overdue request to be aborted');
    await session.close();
    assert.ok(server.seen.some((request) => request.method === 'DELETE'));
  } finally {
    await factory.destroy();
    await server.stop();
  }
});
