import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { runCli } from './support/processes.js';
import { startDemo } from './support/servers.js';

const cleanups: (() => Promise<unknown>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

interface OtlpMetric {
  name: string;
  histogram?: {
    dataPoints: { attributes: { key: string; value: { stringValue?: string } }[]; count: string | number }[];
  };
  gauge?: { dataPoints: { asDouble?: number; asInt?: string | number }[] };
}
interface OtlpBody {
  resourceMetrics: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeMetrics: { metrics: OtlpMetric[] }[];
  }[];
}

/** A small OTLP/HTTP receiver: keeps every JSON export request posted to /v1/metrics. */
async function startReceiver(): Promise<{ url: string; bodies: OtlpBody[]; types: string[] }> {
  const bodies: OtlpBody[] = [];
  const types: string[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/metrics') {
        types.push(request.headers['content-type'] ?? '');
        bodies.push(JSON.parse(text) as OtlpBody);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`, bodies, types };
}

test('--otlp-endpoint pushes the tool-call histogram per tool and the run gauges with OTLP/HTTP', async () => {
  const receiver = await startReceiver();
  // `slow` answers in 20–60 ms, not 0.5–5 s: in a 3 s level each tool gets many calls, so neither can be
  // missing from the export by chance (with the defaults, 2 sessions made as few as 4 calls, 1 of them fast).
  const demo = await startDemo(['--bottleneck', 'none', '--slow-min-ms', '20', '--slow-max-ms', '60']);
  cleanups.push(() => demo.stop());
  const folder = await mkdtemp(join(tmpdir(), 'mle-otlp-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const report = join(folder, 'run.json');
  const result = await runCli(
    [
      ...['--url', demo.url, '--mix', 'fast:2,slow:1', '--steps', '2', '--hold', '3', '--warmup', '0'],
      ...['--think', '0-50', '--jitter', '0', '--workers', '0', '--headless', '--report', report],
      ...['--otlp-endpoint', receiver.url],
    ],
    { timeoutMs: 60_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const { totals } = ReportSchema.parse(JSON.parse(await readFile(report, 'utf8')));
  assert.ok(receiver.bodies.length > 0, 'the receiver got an export');
  assert.match(receiver.types[0]!, /application\/json/);
  // Cumulative: the last export holds every call of the run.
  const last = receiver.bodies[receiver.bodies.length - 1]!;
  const resource = last.resourceMetrics[0]!;
  assert.ok(resource.resource.attributes.some((entry) => entry.value.stringValue === 'mcp-load-explorer'));
  const metrics = new Map(
    resource.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.name, metric]),
  );
  const points = metrics.get('mcp_load.tool_call.duration')!.histogram!.dataPoints;
  const byTool: Record<string, number> = Object.fromEntries(
    points.map((point): [string, number] => [
      point.attributes.find((entry) => entry.key === 'tool')!.value.stringValue ?? '',
      Number(point.count),
    ]),
  );
  assert.deepEqual(Object.keys(byTool).sort(), ['fast', 'slow']);
  assert.equal(byTool['fast']! + byTool['slow']!, totals.calls);
  const served = (await demo.stats()).calls.byTool;
  assert.ok(
    byTool['fast']! <= (served['fast'] ?? 0) && byTool['slow']! <= (served['slow'] ?? 0),
    JSON.stringify(served),
  );
  for (const name of [
    'mcp_load.sessions',
    'mcp_load.concurrency',
    'mcp_load.generator.saturated',
    'mcp_load.level',
  ])
    assert.ok(metrics.get(name)?.gauge, `${name} is exported`);
});
