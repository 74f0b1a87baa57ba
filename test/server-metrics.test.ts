import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Counter, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { ServerSampler } from '../source/metrics/process-stats.js';
import { Exposition } from '../source/observability/exposition.js';
import { ServerMetricsScraper } from '../source/observability/server-metrics.js';
import { startInstrumented, type InstrumentedServer } from './support/instrumented.js';

const servers: InstrumentedServer[] = [];
after(() => Promise.all(servers.map((server) => server.stop())));

test('an OpenMetrics exposition from prom-client: counters found with or without _total, histogram sums', async () => {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  new Counter({ name: 'jobs', help: 'jobs', registers: [registry], labelNames: ['queue'] })
    .labels('a')
    .inc(3);
  const gc = new Histogram({ name: 'pause_seconds', help: 'p', registers: [registry], labelNames: ['kind'] });
  gc.observe({ kind: 'minor' }, 0.25);
  gc.observe({ kind: 'major' }, 0.5);
  const exposition = new Exposition(await registry.metrics());
  assert.equal(exposition.sum('jobs'), 3);
  assert.equal(exposition.sum('jobs_total'), 3);
  assert.equal(exposition.histogramSum('pause_seconds'), 0.75);
  assert.equal(exposition.sum('absent'), null);
  assert.equal(exposition.histogramSum('absent'), null);
});

test('a GC histogram declared before any collection reads 0 seconds, not unknown', async () => {
  const registry = new Registry();
  new Histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'gc',
    registers: [registry],
    labelNames: ['kind'],
  });
  const exposition = new Exposition(await registry.metrics());
  assert.equal(exposition.histogramSum('nodejs_gc_duration_seconds'), 0);
});

test('--server-metrics reads the same CPU and RSS as /proc for the same process, with its loop delay and GC', async () => {
  // A steady 40% of a core, served as OpenMetrics.
  const server = await startInstrumented(['--burn', '40', '--openmetrics']);
  servers.push(server);
  const scraper = new ServerMetricsScraper({
    urls: [server.metricsUrl],
    follow: ['demo_pool_in_use'],
    intervalMs: 1500,
  });
  const sampler = new ServerSampler();
  await scraper.start();
  sampler.sample([server.pid]);
  try {
    // The same window for both: from the first scrape to the second.
    while (scraper.rounds < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    const local = sampler.sample([server.pid])!;
    const remote = scraper.latest()!;
    assert.equal(remote.source, 'metrics');
    assert.ok(local.cpuPercent > 3, `the server burns CPU: ${local.cpuPercent}%`);
    assert.ok(
      Math.abs(remote.cpuPercent - local.cpuPercent) < 10,
      `CPU from metrics ${remote.cpuPercent}% vs /proc ${local.cpuPercent}%`,
    );
    assert.ok(
      Math.abs(remote.rssBytes - local.rssBytes) / local.rssBytes < 0.1,
      `RSS from metrics ${remote.rssBytes} vs /proc ${local.rssBytes}`,
    );
    assert.ok((remote.eventLoopDelayP99Ms ?? 0) > 0, 'the event-loop delay p99 is read');
    assert.notEqual(remote.gcMsPerS ?? null, null, 'GC pause time is read');
    assert.deepEqual(remote.series?.['demo_pool_in_use']?.value, 0);
  } finally {
    await scraper.stop();
  }
});

test('a replica that does not answer is left out and told once', async () => {
  const server = await startInstrumented();
  servers.push(server);
  const said: string[] = [];
  const scraper = new ServerMetricsScraper({
    urls: [server.metricsUrl, 'http://user:secret@127.0.0.1:9/metrics?token=t'],
    log: (_level, message) => said.push(message),
  });
  await scraper.start();
  await scraper.stop();
  assert.equal(scraper.latest()?.processes, 1);
  assert.equal(said.length, 1);
  assert.match(said[0]!, /^--server-metrics http:\/\/127\.0\.0\.1:9\/metrics: .*left out/);
  assert.doesNotMatch(said[0]!, /secret|token/);
});
