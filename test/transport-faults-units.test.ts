import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { backoffMs } from '../source/engine/virtual-user.js';
import { classifyError } from '../source/mcp-client/error-kind.js';
import { LimitError, MAX_ANSWER_BYTES, MAX_STDERR_LINE_CHARS } from '../source/mcp-client/limits.js';
import { ServerSentData } from '../source/mcp-client/server-errors.js';
import { SseParser } from '../source/mcp-client/sse-parser.js';
import { readStderrLines } from '../source/mcp-client/stderr-lines.js';

test('a JSON-RPC error the server sent keeps the session under jsonrpc-<code>; the SDK’s own codes do not', () => {
  const sent = (code: number): McpError =>
    new McpError(code, 'application error', new ServerSentData(undefined));
  assert.deepEqual(classifyError(sent(-32000)), {
    kind: 'jsonrpc-32000',
    message: 'MCP error -32000: application error',
    sessionLost: false,
  });
  assert.equal(classifyError(sent(-32001)).kind, 'jsonrpc-32001');
  assert.equal(classifyError(sent(7)).kind, 'jsonrpc+7');
  assert.equal(classifyError(new McpError(ErrorCode.RequestTimeout, 'Request timed out')).kind, 'timeout');
  const closed = classifyError(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'));
  assert.deepEqual([closed.kind, closed.sessionLost], ['session-lost', true]);
});

test('back-off: 0.5–1.5 s after the first failure, doubling, at most 30 s', () => {
  assert.equal(
    backoffMs(1, () => 0),
    500,
  );
  assert.equal(
    backoffMs(1, () => 0.75),
    1250,
  );
  assert.equal(
    backoffMs(2, () => 0),
    1000,
  );
  assert.equal(
    backoffMs(3, () => 0.5),
    4000,
  );
  assert.equal(
    backoffMs(50, () => 0),
    15_000,
  );
  assert.equal(
    backoffMs(50, () => 0.999),
    30_000,
  );
});

test('SSE: a line with no end past the bound throws answer-too-large, holding no more than the bound', () => {
  const parser = new SseParser(() => undefined, undefined, 1024);
  parser.push(Buffer.from('data: '));
  assert.throws(
    () => {
      for (let i = 0; i < 100; i += 1) parser.push(Buffer.alloc(100, 'x'));
    },
    (error: unknown) => error instanceof LimitError && error.kind === 'answer-too-large',
  );
  assert.equal(MAX_ANSWER_BYTES, 16 * 1024 * 1024);
});

test('stderr: a line with no newline is cut at the bound; lines and the last one are kept', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  const tail = readStderrLines(stream, (line) => lines.push(line));
  stream.write('first\r\nsecond\n');
  for (let i = 0; i < 100; i += 1) stream.write('z'.repeat(1000));
  stream.end('\nlast words');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(lines.slice(0, 2), ['first', 'second']);
  assert.equal(
    lines[2],
    `${'z'.repeat(MAX_STDERR_LINE_CHARS)} … (${100_000 - MAX_STDERR_LINE_CHARS} characters cut)`,
  );
  assert.equal(tail.lastLine(), 'last words');
});
