import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Gauge, Registry } from 'prom-client';
import { ReportSchema } from '../source/report/report-schema.js';
import { freePort, runCli } from './support/processes.js';
import { startDemo } from './support/servers.js';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Debian's prometheus, on loopback, scraping every second; its data in a temporary folder. */
async function startPrometheus(targets: Record<string, number>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'mle-prometheus-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const jobs = Object.entries(targets).map(
    ([job, port]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
  );
  await writeFile(
    join(folder, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs.join('')}`,
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(folder, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(folder, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once(
    'error',
    (error) => (stderr += `${error.message} (is Debian's prometheus installed? .ci/run installs it)`),
  );
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => (await fetch(`${url}/-/ready`).catch(() => null))?.ok === true,
    () => stderr,
  );
  return url;
}

async function until(check: () => Promise<boolean>, why: () => string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One instant query: the sum of the result's values, or null when it is empty. */
async function query(prometheus: string, promql: string): Promise<number | null> {
  const response = await fetch(`${prometheus}/api/v1/query?${new URLSearchParams({ query: promql })}`);
  const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
  const values = body.data.result.map((entry) => Number(entry.value[1]));
  return values.length ? values.reduce((sum, value) => sum + value, 0) : null;
}

/** A blackbox-exporter-like probe: `probe_duration_seconds` of a probe far from the server (250 ms). */
async function startProbeExporter(): Promise<number> {
  const registry = new Registry();
  new Gauge({ name: 'probe_duration_seconds', help: 'probe', registers: [registry], labelNames: ['module'] })
    .labels('mcp_initialize')
    .set(0.25);
  const server: Server = createServer((_request, response) => {
    void registry.metrics().then((text) => response.end(text));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return port;
}

test('a real Prometheus scrapes --metrics-port during a run, and its probe history is the canary', async () => {
  const [metricsPort, probePort] = [await freePort(), await startProbeExporter()];
  const prometheus = await startPrometheus({ 'mcp-load': metricsPort, blackbox: probePort });
  await until(
    async () => (await query(prometheus, 'probe_duration_seconds')) !== null,
    () => 'no probe sample',
  );
  const demo = await startDemo();
  cleanups.push(() => demo.stop());
  const folder = await mkdtemp(join(tmpdir(), 'mle-prometheus-run-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const reportFile = join(folder, 'run.json');
  const run = runCli(
    [
      ...[
        '--url',
        demo.url,
        '--mix',
        'fast:1',
        '--steps',
        '1',
        '--hold',
        '5',
        '--warmup',
        '0',
        '--think',
        '0-50',
      ],
      ...[
        '--jitter',
        '0',
        '--workers',
        '0',
        '--headless',
        '--report',
        reportFile,
        '--metrics-port',
        String(metricsPort),
      ],
      ...['--probe-query', 'probe_duration_seconds{job="blackbox"}', '--probe-prometheus', prometheus],
    ],
    { timeoutMs: 60_000 },
  );
  // While the run goes on, Prometheus holds its series.
  await until(
    async () => ((await query(prometheus, 'sum(mcp_load_tool_calls_total)')) ?? 0) > 0,
    () => 'Prometheus holds no mcp_load_tool_calls_total',
  );
  const result = await run;
  assert.equal(result.code, 0, result.stderr);
  const report = ReportSchema.parse(JSON.parse(await readFile(reportFile, 'utf8')));
  const stored = (await query(
    prometheus,
    'max_over_time(mcp_load_tool_call_duration_seconds_count{tool="fast"}[1m])',
  ))!;
  const served = (await demo.stats()).calls.byTool['fast'] ?? 0;
  assert.ok(
    stored > 0 && stored <= report.totals.calls && stored <= served,
    `${stored} of ${report.totals.calls}, server ${served}`,
  );
  assert.equal(await query(prometheus, 'max_over_time(mcp_load_concurrency[1m])'), 1);
  assert.notEqual(await query(prometheus, 'max_over_time(mcp_load_sessions{state="active"}[1m])'), null);
  assert.notEqual(await query(prometheus, 'max_over_time(mcp_load_generator_saturated[1m])'), null);
  // The canary: the run's N=1 initialize beside the probe's 250 ms, read back from Prometheus.
  const canary = report.canary!;
  assert.ok(canary.probe, canary.verdict);
  assert.match(
    canary.source,
    /^Prometheus http:\/\/127\.0\.0\.1:\d+\/: probe_duration_seconds\{job="blackbox"\}/,
  );
  assert.equal(canary.probe?.p50, 250);
  assert.ok(canary.run && canary.run.p50 < 125, JSON.stringify(canary.run));
  assert.equal(canary.flagged, true);
  assert.match(canary.verdict, /probe is likely farther from the server/);
  assert.match(result.stdout, /canary \(Prometheus/);
});
