import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyError, limitHint } from '../source/mcp-client/error-kind.js';
import {
  createHistogram,
  fromSparse,
  percentilesOf,
  recordMs,
  toSparse,
} from '../source/metrics/histogram.js';
import { SseParser, type SseEvent } from '../source/mcp-client/sse-parser.js';

function parse(chunks: readonly (string | Buffer)[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return events;
}

test('SSE: events split anywhere across chunks, CRLF, comments, multi-line data and ids', () => {
  const text =
    ': keep-alive\r\nid: 7\r\nevent: message\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata:x\n\nevent: ping\ndata: y\n\n';
  const whole = parse([text]);
  assert.deepEqual(whole, [
    { event: 'message', data: '{"a":\n1}', id: '7' },
    { event: 'message', data: 'x', id: undefined },
    { event: 'ping', data: 'y', id: undefined },
  ]);
  for (let at = 1; at < text.length; at += 1) {
    assert.deepEqual(parse([text.slice(0, at), text.slice(at)]), whole, `split at ${at}`);
  }
});

test('SSE: a UTF-8 character split between chunks is decoded whole; a priming event without data is skipped', () => {
  const bytes = Buffer.from('id: 1\n\ndata: {"text":"héllo ✓"}\n\n');
  const split = bytes.indexOf(0x9c); // inside the 3-byte ✓
  const events = parse([bytes.subarray(0, split), bytes.subarray(split)]);
  assert.deepEqual(events, [{ event: 'message', data: '{"text":"héllo ✓"}', id: undefined }]);
});

test('percentilesOf in one pass gives the same figures as the histogram library', () => {
  const histogram = createHistogram();
  let seed = 42;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) ** 3;
  for (let index = 0; index < 20_000; index += 1) recordMs(histogram, random() * 5000);
  const figures = percentilesOf(histogram)!;
  const us = (percentile: number): number => Math.round(histogram.getValueAtPercentile(percentile)) / 1000;
  assert.equal(figures.count, 20_000);
  assert.equal(figures.p50, us(50));
  assert.equal(figures.p90, us(90));
  assert.equal(figures.p95, us(95));
  assert.equal(figures.p99, us(99));
  assert.equal(figures.p999, us(99.9));
  assert.equal(figures.max, us(100));
  assert.equal(figures.mean, Math.round(histogram.mean) / 1000);
  assert.equal(percentilesOf(createHistogram()), null);
});

test('a histogram survives the sparse form workers post to the controller', () => {
  const histogram = createHistogram();
  for (const ms of [0.002, 1, 1, 7.5, 250, 31_000]) recordMs(histogram, ms);
  const sparse = toSparse(histogram)!;
  assert.equal(sparse.indexes.length, 5, 'one entry per non-empty bucket');
  assert.deepEqual(percentilesOf(fromSparse(sparse)), percentilesOf(histogram));
  assert.equal(toSparse(createHistogram()), null);
  assert.equal(fromSparse(null).totalCount, 0);
});

test('running out of file descriptors or local ports is the generator’s limit, with what to do', () => {
  const fd = classifyError(Object.assign(new Error('connect EMFILE 127.0.0.1:3001'), { code: 'EMFILE' }));
  assert.equal(fd.kind, 'generator-fd-limit');
  assert.match(fd.message, /^connect EMFILE 127\.0\.0\.1:3001: the generator ran out of file descriptors/);
  assert.match(fd.message, /ulimit -n/);
  assert.match(fd.message, /--no-get-stream/);
  const port = classifyError(
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' }),
    }),
  );
  assert.equal(port.kind, 'generator-port-limit');
  assert.match(port.message, /local ports/);
  assert.equal(limitHint('connect-refused'), null);
  assert.equal(
    classifyError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })).message,
    'refused',
  );
});
