import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatProtocolMix, pickRevision, ProtocolMixSchema } from '../source/config/protocol-mix.js';
import { checkProtocolMix } from '../source/engine/refused-revision.js';
import * as v2 from '@modelcontextprotocol/client';
import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { classifyError } from '../source/mcp-client/error-kind.js';
import { modernHttpError } from '../source/mcp-client/modern-session.js';
import { modernRequestHeaders, PROTOCOL_VERSION_META_KEY } from '../source/mcp-client/protocol-era.js';
import { DEFAULT_RETRY_MS, ResumePoint } from '../source/mcp-client/sse-resumption.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigSchema } from '../source/config/schema.js';
import { flagsToConfig } from '../source/run/flags.js';

const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };

test('2026-07-28 headers come from the message; a 2025-era message gets none', () => {
  assert.deepEqual(
    modernRequestHeaders({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', _meta: meta },
    }),
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
  );
  const odd = modernRequestHeaders({ id: 2, method: 'tools/call', params: { name: 'é tool', _meta: meta } });
  assert.equal(odd?.['mcp-name'], `=?base64?${Buffer.from('é tool').toString('base64')}?=`);
  assert.equal(modernRequestHeaders({ id: 3, method: 'tools/call', params: { name: 'echo' } }), null);
  assert.equal(modernRequestHeaders({ method: 'notifications/cancelled', params: { _meta: meta } }), null);
});

test('errors of the v2 SDK and of the new revision get their own kinds', () => {
  assert.equal(
    classifyError(new ProtocolError(-32022, 'Unsupported protocol version')).kind,
    'unsupported-protocol-version',
  );
  assert.equal(classifyError(new ProtocolError(-32020, 'mismatch')).kind, 'header-mismatch');
  assert.equal(classifyError(new ProtocolError(-32603, 'boom')).kind, 'jsonrpc-32603');
  assert.equal(
    classifyError(new StreamableHTTPError(-1, 'Unexpected content type: text/html')).kind,
    'protocol',
  );
  assert.equal(classifyError(new SdkError(SdkErrorCode.RequestTimeout, 'late')).kind, 'timeout');
  assert.equal(classifyError(new SdkError(SdkErrorCode.ConnectionClosed, 'gone')).kind, 'session-lost');
  assert.equal(classifyError(modernHttpError(503, 'busy', 'busy')).kind, 'http-503');
  assert.equal(classifyError(modernHttpError(404, 'gone', '')).kind, 'session-lost');
  assert.equal(classifyError(new SdkError(SdkErrorCode.EraNegotiationFailed, 'no')).kind, 'era-negotiation');
  assert.equal(PROTOCOL_VERSION_META_KEY, v2.PROTOCOL_VERSION_META_KEY);
});

test("a stream resumes after the server's retry delay, or the default, and never past the deadline", () => {
  const point = new ResumePoint();
  assert.equal(point.delayBefore(Number.POSITIVE_INFINITY), null, 'no event id: nothing to resume from');
  point.lastEventId = 'event-1';
  assert.equal(point.delayBefore(Number.POSITIVE_INFINITY), DEFAULT_RETRY_MS);
  point.retryMs = 500;
  assert.equal(point.delayBefore(1_000 + 600, 1_000), 500);
  assert.equal(point.delayBefore(1_000 + 400, 1_000), null);
  assert.deepEqual(point.headers({ accept: 'text/event-stream' }), {
    accept: 'text/event-stream',
    'last-event-id': 'event-1',
  });
});

test('--no-listen-stream and --no-get-stream both turn the long-lived stream off', () => {
  assert.equal(flagsToConfig({ listenStream: false }, [], ['--no-listen-stream'])['getStream'], false);
  assert.equal(flagsToConfig({ getStream: false }, [], ['--no-get-stream'])['getStream'], false);
  assert.equal(flagsToConfig({}, [], [])['getStream'], undefined);
});

test('--protocol: a revision or auto; 2026-07-28 only over Streamable HTTP', () => {
  assert.equal(ConfigSchema.parse({}).protocol, 'auto');
  const wrong = ConfigSchema.safeParse({ protocol: '2027' });
  assert.match(wrong.error?.issues[0]?.message ?? '', /expected auto, 2025-11-25 or 2026-07-28/);
  const stdio = ConfigSchema.safeParse({ protocol: '2026-07-28', command: ['node', 'server.js'] });
  assert.match(stdio.error?.issues[0]?.message ?? '', /2026-07-28 needs Streamable HTTP/);
});

test('--protocol-mix: parsed like the tool mix, picked by weight, a live change weighs only checked revisions', () => {
  const mix = ProtocolMixSchema.parse('2025-11-25:70, 2026-07-28:30');
  assert.deepEqual(mix, [
    { revision: '2025-11-25', weight: 70 },
    { revision: '2026-07-28', weight: 30 },
  ]);
  assert.equal(formatProtocolMix(mix), '2025-11-25:70,2026-07-28:30');
  assert.equal(
    pickRevision(mix, () => 0.69),
    '2025-11-25',
  );
  assert.equal(
    pickRevision(mix, () => 0.71),
    '2026-07-28',
  );
  // A weight of 0 is never picked.
  assert.equal(
    pickRevision(ProtocolMixSchema.parse('2025-11-25:0,2026-07-28:1'), () => 0),
    '2026-07-28',
  );
  assert.equal(ProtocolMixSchema.safeParse('2025-11-25:0').success, false, 'one weight above 0');
  assert.equal(ProtocolMixSchema.safeParse('2024-11-05:1').success, false, 'a revision this tool speaks');
  assert.equal(ProtocolMixSchema.safeParse('2025-11-25:1,2025-11-25:2').success, false, 'named twice');
  assert.doesNotThrow(() => checkProtocolMix(mix, ['2025-11-25', '2026-07-28']));
  assert.throws(
    () => checkProtocolMix(mix, ['2025-11-25']),
    /--protocol-mix: 2026-07-28 was not checked against the server at the start/,
  );
});
