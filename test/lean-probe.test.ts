import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { probeRequest } from '../source/mcp-client/lean-probe.js';
import { createModernClient } from '../source/mcp-client/modern-session.js';
import { createSessionFactory } from '../source/mcp-client/open-session.js';
import { serveForFile } from './support/local-server.js';
import { sdkTransport } from './support/sdk-reference.js';
import { MODERN_CAPABILITIES } from '../source/mcp-client/protocol-era.js';

/** How the test server answers `server/discover` (its id given); every other request is a 2025 server's. */
type Discover = (response: ServerResponse, id: unknown) => void;

const json = (status: number, body: unknown, type = 'application/json'): Discover => {
  return (response, id) => {
    response.writeHead(status, { 'content-type': type });
    response.end(typeof body === 'string' ? body : JSON.stringify({ ...(body as object), id }));
  };
};
const rpcError = (code: number, data?: unknown) => ({
  jsonrpc: '2.0',
  error: { code, message: 'no', ...(data === undefined ? {} : { data }) },
});
const result = (value: unknown) => ({ jsonrpc: '2.0', result: value });

/** What the server saw of one client: its discover probes, and the capabilities its initialize declared. */
interface Seen {
  discover: number;
  initializeCapabilities: Record<string, unknown> | null;
  discoverBody: Record<string, unknown> | null;
}

let answer: Discover = json(404, '');
let seen: Seen = { discover: 0, initializeCapabilities: null, discoverBody: null };
const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let text = '';
  request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  request.on('end', () => {
    if (request.method !== 'POST') return json(405, '')(response, null);
    const message = JSON.parse(text) as {
      id?: number | string;
      method?: string;
      params?: Record<string, unknown>;
    };
    if (message.method === 'server/discover') {
      seen.discover += 1;
      seen.discoverBody = message;
      // The hanging case answers nothing: the probe times out.
      return answer(response, message.id);
    }
    if (message.id === undefined) return json(202, '')(response, null);
    if (message.method === 'initialize') {
      seen.initializeCapabilities = (message.params?.capabilities ?? {}) as Record<string, unknown>;
      response.setHeader('mcp-session-id', 'probe-test');
      return json(200, {
        jsonrpc: '2.0',
        id: message.id,
        result: {
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 't', version: '1' },
        },
      })(response, message.id);
    }
    json(200, { jsonrpc: '2.0', result: {} })(response, message.id);
  });
});
const serverUrl = serveForFile(server);

/** What a client made of the probe: the 2025 handshake by the lean client, by the v2 SDK, or an error. */
type Verdict = 'lean 2025' | 'sdk 2025' | `error: ${string}`;

function verdict(error?: unknown): Verdict {
  if (error !== undefined) return `error: ${(error as Error).message}`;
  const capabilities = seen.initializeCapabilities;
  assert.ok(capabilities, 'a 2025 handshake was made');
  return Object.keys(capabilities).length === 0 ? 'lean 2025' : 'sdk 2025';
}

/** The tool's `--protocol auto` as it is: the lean probe, then the lean client or the SDK. */
async function ours(timeoutMs: number): Promise<Verdict> {
  const factory = createSessionFactory(
    { transport: 'streamable-http', url: serverUrl(), headers: {}, getStream: false, protocol: 'auto' },
    { timeoutMs: () => timeoutMs, protocol: 'auto' },
  );
  try {
    const session = await factory.open();
    await session.close();
    return verdict();
  } catch (error) {
    return verdict(error);
  } finally {
    await factory.destroy(false);
  }
}

/** The reference: the v2 SDK's own negotiation on the lean transport, as every `auto` run made it before. */
async function sdkAlone(timeoutMs: number): Promise<Verdict> {
  const { transport, agent } = sdkTransport(serverUrl(), timeoutMs);
  const client = createModernClient('auto', { clientInfo: { name: 'mcp-load-explorer', version: '0.1.0' } });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    return verdict();
  } catch (error) {
    return verdict(error);
  } finally {
    await client.close().catch(() => undefined);
    await agent.destroy();
  }
}

const cases: readonly { name: string; answer: Discover; lean: boolean }[] = [
  { name: 'HTTP 400 with Method not found', answer: json(400, rpcError(-32601)), lean: true },
  { name: 'HTTP 404, no body', answer: json(404, ''), lean: true },
  { name: 'HTTP 405, text', answer: json(405, 'Method Not Allowed', 'text/plain'), lean: true },
  { name: 'Method not found answered 200', answer: json(200, rpcError(-32601)), lean: true },
  { name: 'a result without supportedVersions', answer: json(200, result({})), lean: true },
  {
    name: 'a result listing 2025 only',
    answer: json(200, result({ supportedVersions: ['2025-11-25'] })),
    lean: true,
  },
  {
    name: 'HTTP 400, unsupported version, 2025 only',
    answer: json(400, rpcError(-32022, { supported: ['2025-11-25'], requested: '2026-07-28' })),
    lean: true,
  },
  { name: 'an HTML page answered 200', answer: json(200, '<html></html>', 'text/html'), lean: true },
  // Not clear without the SDK's schemas: handed over with the answer replayed (one probe on the server).
  {
    name: 'a result naming 2026-07-28 but malformed',
    answer: json(200, result({ supportedVersions: ['2026-07-28'] })),
    lean: false,
  },
  {
    name: 'HTTP 400, unsupported version, offering 2026-07-28',
    answer: json(400, rpcError(-32022, { supported: ['2026-07-28'], requested: '2026-07-28' })),
    lean: false,
  },
  { name: 'HTTP 401', answer: json(401, ''), lean: false },
  { name: 'HTTP 403', answer: json(403, ''), lean: false },
  { name: 'HTTP 503', answer: json(503, 'busy', 'text/plain'), lean: false },
  { name: 'no answer (timeout)', answer: () => undefined, lean: false },
];

describe('--protocol auto: the lean server/discover probe', () => {
  test('sends the probe the v2 SDK sends', async () => {
    answer = json(404, '');
    seen = { discover: 0, initializeCapabilities: null, discoverBody: null };
    await sdkAlone(2000);
    const sdk = seen.discoverBody;
    seen = { discover: 0, initializeCapabilities: null, discoverBody: null };
    await ours(2000);
    const clientInfo = { name: 'mcp-load-explorer', version: '0.1.0' };
    assert.deepEqual({ ...seen.discoverBody, id: 0 }, probeRequest(clientInfo, MODERN_CAPABILITIES));
    assert.deepEqual({ ...seen.discoverBody, id: 0 }, { ...sdk, id: 0 });
  });

  for (const { name, answer: discover, lean } of cases) {
    test(`${name}: ${lean ? 'the lean client, as the SDK would fall back' : 'the SDK decides, on the probes it would make'}`, async () => {
      answer = discover;
      const timeoutMs = 600;
      seen = { discover: 0, initializeCapabilities: null, discoverBody: null };
      const reference = await sdkAlone(timeoutMs);
      const probes = seen.discover;
      seen = { discover: 0, initializeCapabilities: null, discoverBody: null };
      const got = await ours(timeoutMs);
      // One probe (a second where the SDK retries with the revision a refusal offered), as before.
      assert.equal(seen.discover, probes, 'the server saw the probes the SDK alone made');
      if (lean) {
        assert.equal(reference, 'sdk 2025');
        assert.equal(got, 'lean 2025');
      } else {
        // The SDK's own verdict and words: its 2025 handshake, or its error.
        assert.equal(got, reference);
      }
    });
  }
});
