import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';

/**
 * An in-process HTTP server for a whole test file: listening on a free loopback port before its tests,
 * closed (its connections too) after them. Returns its `/mcp` URL, known once the tests run.
 */
export function serveForFile(server: Server): () => string {
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return () => url;
}
