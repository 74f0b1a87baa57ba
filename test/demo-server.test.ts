import assert from 'node:assert/strict';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { after, afterEach, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { DemoStats } from '../source/demo-server/demo-stats.js';
import { startDemoHttpServer, type DemoHttpServer } from '../source/demo-server/http-server.js';
import type { DemoServerOptionsInput } from '../source/demo-server/options.js';
import { eventually, textOf } from './support/demo-clients.js';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Closed after each test, newest first, even when it fails: a legacy SSE client left open reconnects forever. */
const held: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of held.splice(0).reverse()) await thing.close();
});

async function startServer(options: DemoServerOptionsInput): Promise<DemoHttpServer> {
  const server = await startDemoHttpServer({ port: 0, ...options });
  held.push(server);
  return server;
}

async function connectStreamable(server: DemoHttpServer) {
  const transport = new StreamableHTTPClientTransport(new URL(server.url));
  const client = new Client({ name: 'demo-server-test', version: '1' });
  held.push(client);
  await client.connect(transport);
  return { client, transport };
}

async function connectSse(server: DemoHttpServer): Promise<Client> {
  const client = new Client({ name: 'demo-server-test', version: '1' });
  held.push(client);
  await client.connect(new SSEClientTransport(new URL('/sse', server.url)));
  return client;
}

async function serverStats(server: DemoHttpServer): Promise<DemoStats> {
  const response = await fetch(new URL('/stats', server.url));
  assert.equal(response.status, 200);
  return (await response.json()) as DemoStats;
}

async function callWork(client: Client, nonce: string) {
  const result = (await client.callTool({ name: 'work', arguments: { nonce } })) as CallToolResult;
  if (result.isError) return { result, nonce: undefined };
  return { result, nonce: (JSON.parse(textOf(result)) as { nonce: string | null }).nonce };
}

describe('demo server over Streamable HTTP', () => {
  let server: DemoHttpServer;
  before(async () => {
    server = await startDemoHttpServer({ port: 0, bottleneck: 'none' });
  });
  after(() => server.close());

  it('counts sessions as the server holds them, and closes them on DELETE', async () => {
    const sessions = await Promise.all([1, 2, 3].map(() => connectStreamable(server)));
    assert.deepEqual((await serverStats(server)).sessions, { active: 3, opened: 3, closed: 0 });
    for (const { client, transport } of sessions) {
      await transport.terminateSession();
      await client.close();
    }
    assert.deepEqual((await serverStats(server)).sessions, { active: 0, opened: 3, closed: 3 });
  });

  it('lists its tools with JSON input schemas and counts calls per tool', async () => {
    const { client, transport } = await connectStreamable(server);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fast', 'sleep', 'slow', 'stats', 'work']);
    const sleep = tools.find((tool) => tool.name === 'sleep');
    assert.deepEqual(sleep?.inputSchema.required, ['ms']);
    assert.equal((sleep?.inputSchema.properties?.ms as { type?: string }).type, 'integer');

    const before = (await serverStats(server)).calls.byTool.sleep ?? 0;
    const started = performance.now();
    await client.callTool({ name: 'sleep', arguments: { ms: 50 } });
    assert.ok(performance.now() - started >= 50, 'sleep{ms:50} answered in under 50 ms');

    const invalid = (await client.callTool({ name: 'sleep', arguments: { ms: -1 } })) as CallToolResult;
    assert.equal(invalid.isError, true);

    const seen = JSON.parse(textOf(await client.callTool({ name: 'stats', arguments: {} }))) as DemoStats;
    assert.equal(seen.pid, process.pid);
    assert.equal(seen.transport, 'http');
    assert.equal(seen.calls.byTool.sleep, before + 1);
    assert.equal((await serverStats(server)).calls.byTool.stats, 1);

    const { result } = await callWork(client, 'n-1');
    assert.deepEqual(result.structuredContent, { nonce: 'n-1', bottleneck: 'none' });
    await transport.terminateSession();
    await client.close();
  });

  it('answers an unknown session with 404, a session-less non-initialize with 400, a foreign Host or Origin with 403', async () => {
    for (const method of ['POST', 'GET', 'DELETE']) {
      const response = await fetch(server.url, {
        method,
        headers: { ...MCP_HEADERS, 'mcp-session-id': 'no-such-session' },
        body: method === 'POST' ? JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) : undefined,
      });
      assert.equal(response.status, 404, method);
      assert.equal(((await response.json()) as { error: { code: number } }).error.code, -32001);
    }
    const noSession = await fetch(server.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(noSession.status, 400);

    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL('/stats', server.url);
      request(url, { headers: { host: `evil.example:${server.port}` } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 403);

    // DNS rebinding from a browser: a foreign Origin is refused, a loopback one accepted.
    const fromOrigin = (origin: string) =>
      fetch(new URL('/stats', server.url), { headers: { origin } }).then((response) => response.status);
    assert.equal(await fromOrigin('http://evil.example'), 403);
    assert.equal(await fromOrigin('null'), 403);
    assert.equal(await fromOrigin(`http://localhost:${server.port}`), 200);
  });

  it('binds 127.0.0.1 unless --host says otherwise', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:/);
  });

  it('answers with plain JSON by default', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify(INITIALIZE),
    });
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const id = response.headers.get('mcp-session-id') ?? '';
    await response.text();
    const closed = await fetch(server.url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
    assert.equal(closed.status, 200);
  });
});

describe('demo server bottlenecks', () => {
  it('pool: callers beyond C plus the queue get a tool error', async () => {
    // 1.5 s a call: under load the 8 calls took over 500 ms to arrive (one after a release: 4 turned away).
    const server = await startServer({ bottleneck: 'pool', poolSize: 2, poolQueue: 1, poolMs: 1500 });
    const { client } = await connectStreamable(server);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => callWork(client, `p${i}`)));
    const full = results.filter(({ result }) => result.isError === true);
    assert.equal(full.length, 5, 'C=2 hold, 1 waits, 5 are turned away');
    assert.equal(textOf(full[0]?.result), 'connection pool full (C=2, queue=1)');
    results.forEach(({ result, nonce }, i) => assert.equal(nonce, result.isError ? undefined : `p${i}`));
    assert.equal((await serverStats(server)).calls.errors, 5);
  });

  it('state-leak: concurrent sessions see each other’s nonce; with none, never', async () => {
    for (const bottleneck of ['state-leak', 'none'] as const) {
      const server = await startServer({ bottleneck });
      const clients = await Promise.all(Array.from({ length: 8 }, () => connectSse(server)));
      assert.equal((await serverStats(server)).sessions.active, 8, 'legacy SSE sessions are counted');
      const calls = await Promise.all(clients.map((client, i) => callWork(client, `nonce-${i}`)));
      const wrong = calls.filter(({ nonce }, i) => nonce !== `nonce-${i}`).length;
      if (bottleneck === 'state-leak') assert.ok(wrong >= 1, 'no session saw a foreign nonce');
      else assert.equal(wrong, 0);
      await Promise.all(clients.map((client) => client.close()));
      await eventually(async () => assert.equal((await serverStats(server)).sessions.active, 0));
    }
  });

  it('event-loop blocks one call in N; cpu burns cpuMs per call; memory grows RSS', async () => {
    const blocking = (
      await connectStreamable(await startServer({ bottleneck: 'event-loop', blockEvery: 2, blockMs: 300 }))
    ).client;
    const latencies: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const started = performance.now();
      await callWork(blocking, `e${i}`);
      latencies.push(performance.now() - started);
    }
    // 300 ms: a call that is not blocked took over 120 ms once with four test files at a time.
    assert.deepEqual(
      latencies.map((ms) => ms >= 300),
      [false, true, false, true],
      latencies.map((ms) => ms.toFixed(0)).join(', '),
    );

    const cpu = (await connectStreamable(await startServer({ bottleneck: 'cpu', cpuMs: 40 }))).client;
    const started = performance.now();
    assert.equal((await callWork(cpu, 'c')).nonce, 'c');
    assert.ok(performance.now() - started >= 40);

    const memoryServer = await startServer({ bottleneck: 'memory', leakKb: 4096 });
    const memory = (await connectStreamable(memoryServer)).client;
    const rssBefore = (await serverStats(memoryServer)).rssBytes;
    for (let i = 0; i < 10; i += 1) await callWork(memory, `m${i}`);
    const grown = (await serverStats(memoryServer)).rssBytes - rssBefore;
    assert.ok(grown > 20 * 1024 * 1024, `RSS grew only ${grown} bytes for 40 MB retained`);
  });

  it('sseResponses answers POSTs with SSE streams', async () => {
    const server = await startServer({ bottleneck: 'none', sseResponses: true });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify(INITIALIZE),
    });
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    await response.body?.cancel();
    const { client } = await connectStreamable(server);
    assert.equal(textOf(await client.callTool({ name: 'fast', arguments: {} })), 'ok');
  });
});
