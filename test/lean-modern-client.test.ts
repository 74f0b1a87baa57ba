import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { classifyError } from '../source/mcp-client/error-kind.js';
import { createModernClient } from '../source/mcp-client/modern-session.js';
import { createSessionFactory } from '../source/mcp-client/open-session.js';
import { serveForFile } from './support/local-server.js';
import { sdkTransport } from './support/sdk-reference.js';

// The lean 2026-07-28 client (source/mcp-client/lean-modern-client.ts) stands in for the v2 SDK's `Client`:
// on every answer a server may give a tools/call, honest or lying, it must end as the SDK does (the same
// result, or an error of the same kind and words) after the same requests on the server.

type Answer = (response: ServerResponse, id: unknown, params: Record<string, unknown>) => void;
type Shape = Record<string, unknown>;

const send = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};
const result =
  (value: unknown): Answer =>
  (response, id) =>
    send(response, 200, { jsonrpc: '2.0', id, result: value });
const complete = (value: Shape): Answer => result({ resultType: 'complete', ...value });
const rpcError =
  (code: number): Answer =>
  (response, id) =>
    send(response, 200, { jsonrpc: '2.0', id, error: { code, message: `refused (${code})` } });
/** Asks for `asks` (and/or `state`) until the call comes back with input, then answers. */
const askThen =
  (asks: unknown, state?: string): Answer =>
  (response, id, params) => {
    const answered =
      params.inputResponses !== undefined || (state !== undefined && params.requestState === state);
    if (answered) return complete({ content: [{ type: 'text', text: 'answered' }] })(response, id, params);
    const ask = { resultType: 'input_required', ...(asks === undefined ? {} : { inputRequests: asks }) };
    result(state === undefined ? ask : { ...ask, requestState: state })(response, id, params);
  };

const text = { type: 'text', text: 'hi' };
const elicit = {
  method: 'elicitation/create',
  params: {
    message: 'Go on?',
    requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
  },
};

const CASES: readonly { name: string; answer: Answer }[] = [
  { name: 'text', answer: complete({ content: [text] }) },
  { name: 'error result', answer: complete({ content: [text], isError: true }) },
  { name: 'structured', answer: complete({ content: [text], structuredContent: { a: 1 } }) },
  { name: 'server info in _meta', answer: complete({ content: [], _meta: { 'x/y': 1 } }) },
  { name: 'image', answer: complete({ content: [{ type: 'image', data: 'aGk=', mimeType: 'image/png' }] }) },
  { name: 'no content', answer: complete({}) },
  { name: 'content not a list', answer: complete({ content: 'x' }) },
  { name: 'text without text', answer: complete({ content: [{ type: 'text' }] }) },
  { name: 'unknown block', answer: complete({ content: [{ type: 'video' }] }) },
  { name: 'isError not boolean', answer: complete({ content: [], isError: 'yes' }) },
  { name: '_meta not an object', answer: complete({ content: [], _meta: 5 }) },
  { name: 'no resultType', answer: result({ content: [text] }) },
  { name: 'resultType a number', answer: result({ resultType: 5, content: [text] }) },
  { name: 'resultType unknown', answer: result({ resultType: 'later', content: [text] }) },
  { name: 'result null', answer: result(null) },
  { name: 'input_required, nothing asked', answer: result({ resultType: 'input_required' }) },
  { name: 'elicitation, declined, then answered', answer: askThen({ confirm: elicit }) },
  {
    name: 'a malformed elicitation',
    answer: askThen({ e: { method: 'elicitation/create', params: { requestedSchema: 5 } } }),
  },
  { name: 'roots, then answered', answer: askThen({ r: { method: 'roots/list' } }) },
  { name: 'state only, then answered', answer: askThen(undefined, 'opaque-state') },
  { name: 'sampling asked', answer: askThen({ s: { method: 'sampling/createMessage', params: {} } }) },
  { name: 'an unknown ask', answer: askThen({ u: { method: 'foo/bar' } }) },
  { name: 'an ask without a method', answer: askThen({ u: 5 }) },
  { name: 'asks for ever', answer: result({ resultType: 'input_required', inputRequests: { c: elicit } }) },
  { name: 'invalid params', answer: rpcError(-32602) },
  { name: 'unsupported version', answer: rpcError(-32022) },
  { name: 'header mismatch', answer: rpcError(-32020) },
  { name: 'HTTP 500', answer: (response) => send(response, 500, 'busy') },
];

/** Answers the SDK's transport drops (not a JSON-RPC result object), so that its call times out. */
const DROPPED = new Set(['_meta not an object', 'result null']);

const PLAIN_DISCOVER: Shape = {
  resultType: 'complete',
  supportedVersions: ['2026-07-28'],
  capabilities: { tools: {} },
  _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'parity', version: '1' } },
};
/** The server's answer to `server/discover`. */
let discover: Shape = PLAIN_DISCOVER;
let answer: Answer = complete({ content: [text] });
/** What the server saw: requests by method, and calls that came back with input. */
let seen: Record<string, number> = {};
const bump = (key: string): void => void (seen[key] = (seen[key] ?? 0) + 1);

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    const message = JSON.parse(body) as { id?: unknown; method?: string; params?: Shape };
    const params = message.params ?? {};
    bump(message.method ?? 'answer');
    if (message.id === undefined) return void response.writeHead(202).end();
    if (message.method === 'server/discover') return result(discover)(response, message.id, params);
    if (message.method === 'tools/list') {
      const tools = [{ name: 't', inputSchema: { type: 'object' } }];
      return complete({ ttlMs: 0, cacheScope: 'private', tools })(response, message.id, params);
    }
    if (params.inputResponses !== undefined) bump('tools/call with input');
    if (params.requestState !== undefined) bump('tools/call with state');
    answer(response, message.id, params);
  });
});
const serverUrl = serveForFile(server);

/** How a call ended: its result, or its error's kind, words and class. */
interface Outcome {
  readonly ok?: unknown;
  readonly server?: unknown;
  readonly kind?: string;
  readonly message?: string;
  readonly errorClass?: string;
}
const TIMEOUT_MS = 2000;
const outcome = (error: unknown): Outcome => {
  const { kind, message } = classifyError(error);
  return { kind, message, errorClass: (error as Error).constructor.name };
};
const read = (value: unknown): unknown => {
  const { content, structuredContent, isError } = value as Shape;
  return { content, structuredContent, isError };
};

/** The tool's 2026-07-28 client as a run makes it (no listen stream: the cases are about calls). */
async function ours(): Promise<Outcome> {
  const factory = createSessionFactory(
    { transport: 'streamable-http', url: serverUrl(), headers: {}, getStream: false, protocol: '2026-07-28' },
    { timeoutMs: () => TIMEOUT_MS, protocol: '2026-07-28' },
  );
  try {
    const session = await factory.open();
    try {
      const ok = read(await session.callTool('t', {}, TIMEOUT_MS));
      return { ok, server: session.serverVersion() };
    } catch (error) {
      return outcome(error);
    } finally {
      await session.close();
    }
  } finally {
    await factory.destroy(false);
  }
}

/** The reference: the v2 SDK's `Client`, pinned to 2026-07-28, on the lean transport as runs used it. */
async function sdk(): Promise<Outcome> {
  const { transport, agent } = sdkTransport(serverUrl(), TIMEOUT_MS);
  const client = createModernClient('2026-07-28', {
    clientInfo: { name: 'mcp-load-explorer', version: '0.1.0' },
  });
  try {
    await client.connect(transport, { timeout: TIMEOUT_MS });
    const ok = read(await client.callTool({ name: 't', arguments: {} }, { timeout: TIMEOUT_MS }));
    return { ok, server: client.getServerVersion() };
  } catch (error) {
    return outcome(error);
  } finally {
    await client.close().catch(() => undefined);
    await agent.destroy();
  }
}

describe('the lean 2026-07-28 client against the v2 SDK, answer by answer', () => {
  for (const { name, answer: given } of CASES) {
    test(name, async () => {
      answer = given;
      seen = {};
      const reference = await sdk();
      const sdkSaw = seen;
      seen = {};
      const got = await ours();
      assert.deepEqual(seen, sdkSaw, 'the server saw the same requests');
      const { errorClass, ...rest } = got;
      const { errorClass: sdkClass, ...sdkRest } = reference;
      if (DROPPED.has(name)) {
        // The SDK drops an answer whose result is not an object and waits out the call; the lean client
        // names the lie at once.
        assert.equal(reference.kind, 'timeout');
        assert.equal(got.kind, 'protocol');
      } else if (reference.message?.endsWith(': [')) {
        // The SDK's message is its schema's issue list, of which a report keeps the first line ("[").
        assert.equal(got.kind, reference.kind);
        assert.ok(got.message?.startsWith(reference.message.slice(0, -1)), got.message);
      } else assert.deepEqual(rest, sdkRest);
      // Errors are the lean client's own (the SDK's class names differ): the v2 package did not decide.
      if (errorClass !== undefined) assert.match(errorClass, /^Modern/, `${errorClass} (SDK: ${sdkClass})`);
    });
  }
});

// Where the lean client takes the discover answer, the SDK must have gone on with 2026-07-28 too.
const DISCOVERS: readonly { name: string; result: Shape }[] = [
  { name: 'no resultType, no _meta', result: { supportedVersions: ['2026-07-28'], capabilities: {} } },
  {
    name: 'every plain capability and instructions',
    result: {
      ...PLAIN_DISCOVER,
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: false },
        resources: { subscribe: true, listChanged: true },
        logging: {},
        completions: {},
      },
      instructions: 'be kind',
      ttlMs: 5,
      cacheScope: 'public',
    },
  },
  {
    name: 'several revisions and a titled server',
    result: {
      ...PLAIN_DISCOVER,
      supportedVersions: ['2025-11-25', '2026-07-28', '2027-01-01'],
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'p', version: '2', title: 'P' }, 'x/y': 1 },
    },
  },
];

describe('discover answers the lean client takes are answers the SDK takes', () => {
  for (const { name, result: given } of DISCOVERS) {
    test(name, async () => {
      discover = given;
      answer = complete({ content: [text] });
      try {
        const reference = await sdk();
        const got = await ours();
        assert.ok(reference.ok, JSON.stringify(reference));
        assert.deepEqual(got, reference);
      } finally {
        discover = PLAIN_DISCOVER;
      }
    });
  }
});
