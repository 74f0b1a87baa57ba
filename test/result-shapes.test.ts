import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CallToolResultSchema,
  InitializeResultSchema,
  LATEST_PROTOCOL_VERSION,
  ListToolsResultSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import { LEAN_PROTOCOL_VERSION, LEAN_SUPPORTED_VERSIONS } from '../source/mcp-client/lean-client.js';
import {
  callToolResultProblem,
  initializeResultProblem,
  listToolsResultProblem,
} from '../source/mcp-client/result-shapes.js';

// The lean client checks results by hand instead of loading the 1.x SDK's schemas: it must accept and
// refuse exactly what the SDK's `Client` would, on honest results and on lying ones.

const text = { type: 'text', text: 'hi' };
const CALL_RESULTS: readonly unknown[] = [
  { content: [text] },
  {},
  { content: [], isError: true },
  { content: [text], structuredContent: { a: 1 } },
  { content: [{ type: 'image', data: 'aGk=', mimeType: 'image/png' }] },
  { content: [{ type: 'audio', data: 'aGk=', mimeType: 'audio/wav' }] },
  { content: [{ type: 'resource_link', uri: 'file:///a', name: 'a' }] },
  { content: [{ type: 'resource', resource: { uri: 'file:///a', text: 'x' } }] },
  { content: [{ type: 'resource', resource: { uri: 'file:///a', blob: 'aGk=' } }] },
  { content: [text], extra: 'kept', _meta: { note: 1 } },
  null,
  'a string',
  [],
  { content: 'not a list' },
  { content: [{ type: 'text' }] },
  { content: [{ type: 'text', text: 5 }] },
  { content: [{ type: 'video', url: 'x' }] },
  { content: [{ type: 'image', data: '%%%not base64', mimeType: 'image/png' }] },
  { content: [{ type: 'image', data: 'aGk=' }] },
  { content: [{ type: 'resource_link', uri: 'file:///a' }] },
  { content: [{ type: 'resource', resource: { uri: 'file:///a' } }] },
  { content: [{ type: 'resource', resource: { text: 'x' } }] },
  { content: [text], structuredContent: [1, 2] },
  { content: [text], structuredContent: 'x' },
  { content: [text], isError: 'yes' },
  { content: [null] },
];

const INITIALIZE_RESULTS: readonly unknown[] = [
  { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's', version: '1' } },
  {
    protocolVersion: '2025-06-18',
    capabilities: { tools: {} },
    serverInfo: { name: 's', version: '1' },
    instructions: 'x',
  },
  { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's' } },
  { protocolVersion: 20251125, capabilities: {}, serverInfo: { name: 's', version: '1' } },
  { protocolVersion: '2025-11-25', serverInfo: { name: 's', version: '1' } },
  {
    protocolVersion: '2025-11-25',
    capabilities: {},
    serverInfo: { name: 's', version: '1' },
    instructions: 3,
  },
  { protocolVersion: '2025-11-25', capabilities: {} },
  null,
];

const schema = (type = 'object') => ({ type, properties: { a: { type: 'string' } }, required: ['a'] });
const LIST_RESULTS: readonly unknown[] = [
  { tools: [] },
  { tools: [{ name: 'a', inputSchema: schema() }], nextCursor: 'c' },
  {
    tools: [
      { name: 'a', description: 'd', title: 't', inputSchema: { type: 'object' }, outputSchema: schema() },
    ],
  },
  { tools: [{ name: 'a', inputSchema: schema('array') }] },
  { tools: [{ name: 'a' }] },
  { tools: [{ inputSchema: schema() }] },
  { tools: [{ name: 'a', inputSchema: schema(), outputSchema: { type: 'string' } }] },
  { tools: [{ name: 'a', inputSchema: { type: 'object', required: [1] } }] },
  { tools: [{ name: 'a', inputSchema: { type: 'object', properties: [] } }] },
  { tools: [{ name: 'a', inputSchema: schema(), description: 4 }] },
  { tools: [], nextCursor: 7 },
  { tools: 'none' },
  {},
];

function sameVerdicts(
  name: string,
  results: readonly unknown[],
  sdk: { safeParse(value: unknown): { success: boolean } },
  problem: (result: unknown) => string | null,
): void {
  let refused = 0;
  for (const result of results) {
    const sdkAccepts = sdk.safeParse(result).success;
    const verdict = problem(result);
    assert.equal(verdict === null, sdkAccepts, `${name} ${JSON.stringify(result)}: ${verdict ?? 'accepted'}`);
    if (!sdkAccepts) refused += 1;
  }
  assert.ok(refused > 0 && refused < results.length, `${name}: the cases include good and bad results`);
}

test('tools/call results: the hand checks accept and refuse what the SDK schema does', () => {
  sameVerdicts('tools/call', CALL_RESULTS, CallToolResultSchema, callToolResultProblem);
});

test('initialize results: the hand checks accept and refuse what the SDK schema does', () => {
  sameVerdicts('initialize', INITIALIZE_RESULTS, InitializeResultSchema, initializeResultProblem);
});

test('tools/list results: the hand checks accept and refuse what the SDK schema does', () => {
  sameVerdicts('tools/list', LIST_RESULTS, ListToolsResultSchema, listToolsResultProblem);
});

test('the lean client speaks the revisions the 1.x SDK does', () => {
  assert.equal(LEAN_PROTOCOL_VERSION, LATEST_PROTOCOL_VERSION);
  assert.deepEqual([...LEAN_SUPPORTED_VERSIONS], SUPPORTED_PROTOCOL_VERSIONS);
});
