// A real MCP server instrumented as a Node service is in production: the demo server's Streamable HTTP
// route and tools, plus prom-client's default metrics and a connection-pool gauge at GET /metrics.
// node --import tsx test/support/instrumented-server.ts [--bottleneck cpu|pool] [--cpu-ms N] [--burn PERCENT]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { collectDefaultMetrics, Gauge, Registry, type RegistryContentType } from 'prom-client';
import { createWorkHandler, type WorkHandler } from '../../source/demo-server/bottleneck.js';
import { ConnectionPool } from '../../source/demo-server/connection-pool.js';
import { DemoStatsRecorder } from '../../source/demo-server/demo-stats.js';
import { sendJson } from '../../source/demo-server/http-replies.js';
import { DemoServerOptionsSchema } from '../../source/demo-server/options.js';
import { SessionRegistry } from '../../source/demo-server/session-registry.js';
import { createStreamableHttpRoute } from '../../source/demo-server/streamable-http-route.js';

const { values } = parseArgs({
  options: {
    bottleneck: { type: 'string', default: 'cpu' },
    'cpu-ms': { type: 'string', default: '20' },
    'pool-size': { type: 'string', default: '2' },
    'pool-ms': { type: 'string', default: '100' },
    burn: { type: 'string', default: '0' },
    openmetrics: { type: 'boolean', default: false },
  },
});
const options = DemoServerOptionsSchema.parse({
  bottleneck: values.bottleneck,
  cpuMs: Number(values['cpu-ms']),
  poolSize: Number(values['pool-size']),
  poolMs: Number(values['pool-ms']),
  poolQueue: 10_000,
});

const registry = new Registry<RegistryContentType>();
if (values.openmetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
const inUse = new Gauge({ name: 'demo_pool_in_use', help: 'Pool connections in use', registers: [registry] });
const waiting = new Gauge({
  name: 'demo_pool_waiting',
  help: 'Calls waiting for a connection',
  registers: [registry],
});

/** The `pool` bottleneck with its own gauges: the same pool a service would instrument. */
function instrumentedPool(): WorkHandler {
  const pool = new ConnectionPool(options.poolSize, options.poolQueue);
  return async ({ nonce, signal }) => {
    waiting.inc();
    let granted = false;
    try {
      await pool.use(async () => {
        granted = true;
        waiting.dec();
        inUse.inc();
        try {
          await delay(options.poolMs, undefined, { signal });
        } finally {
          inUse.dec();
        }
      }, signal);
    } finally {
      if (!granted) waiting.dec();
    }
    return nonce ?? null;
  };
}

const stats = new DemoStatsRecorder('http', options.bottleneck);
const work = options.bottleneck === 'pool' ? instrumentedPool() : createWorkHandler(options);
const sessions = new SessionRegistry(stats);
const mcp = createStreamableHttpRoute({ options, stats, work }, sessions);

// A steady background load, for comparing CPU figures: PERCENT of each 20 ms spent spinning.
const burn = Number(values.burn);
if (burn > 0)
  setInterval(() => {
    const until = performance.now() + (20 * burn) / 100;
    while (performance.now() < until);
  }, 20);

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/metrics') {
    void registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
    return;
  }
  if (path === '/stats') return sendJson(res, 200, stats.snapshot());
  if (path === '/mcp') {
    mcp(req, res).catch(() => res.end());
    return;
  }
  res.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}/mcp metrics http://127.0.0.1:${port}/metrics`);
});
process.on('SIGTERM', () => {
  void sessions.closeAll().finally(() => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
});
