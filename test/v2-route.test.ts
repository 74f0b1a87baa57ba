import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { test } from 'node:test';
import { fetchRoute } from '../source/demo-server/v2-route.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test("a fetch-shaped route's request signal aborts when the client goes, after garbage collection too", async () => {
  // As the 2.x SDK's listen router: it keeps only the request's signal, and a stream that never ends.
  let signal: AbortSignal | undefined;
  const route = fetchRoute((request) => {
    signal = request.signal;
    return Promise.resolve(
      new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array([58, 10])) })),
    );
  });
  const server = createServer((req, res) => void route(req, res, undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const client = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/mcp' });
    client.end();
    await new Promise<void>((resolve) =>
      client.once('response', (response) => response.once('data', () => resolve())),
    );
    for (let round = 0; round < 3; round += 1) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(signal && !signal.aborted);
    const aborted = new Promise<void>((resolve) => signal!.addEventListener('abort', () => resolve()));
    client.destroy();
    await Promise.race([
      aborted,
      new Promise((_, reject) => setTimeout(() => reject(new Error('never aborted')), 2000)),
    ]);
    assert.equal(signal.aborted, true);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
