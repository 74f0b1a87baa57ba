// A real MCP server that talks: the demo server's Streamable HTTP route and tools, and for each request one
// numbered line on stdout and one on stderr (with a colour escape), as a chatty Node service logs.
// node --import tsx test/support/chatty-server.ts PORT
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createWorkHandler } from '../../source/demo-server/bottleneck.js';
import { DemoStatsRecorder } from '../../source/demo-server/demo-stats.js';
import { DemoServerOptionsSchema } from '../../source/demo-server/options.js';
import { SessionRegistry } from '../../source/demo-server/session-registry.js';
import { scriptArgs } from './processes.js';
import { createStreamableHttpRoute } from '../../source/demo-server/streamable-http-route.js';

/** What the server prints for request `n`: `chatty out n METHOD` on stdout, `chatty err n …` on stderr. */
export const CHATTY_OUT = /^chatty out (\d+) /;
export const CHATTY_ERR = /^chatty err (\d+) /;

/** The command that runs this server on `port`, for `--spawn`. */
export const chattyCommand = (port: number): string =>
  [process.execPath, ...scriptArgs('test/support/chatty-server.ts'), String(port)].join(' ');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2]);
  const options = DemoServerOptionsSchema.parse({ bottleneck: 'cpu', cpuMs: 1 });
  const stats = new DemoStatsRecorder('http', options.bottleneck);
  const sessions = new SessionRegistry(stats);
  const mcp = createStreamableHttpRoute({ options, stats, work: createWorkHandler(options) }, sessions);
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    process.stdout.write(`chatty out ${requests} ${req.method} received MCP request\n`);
    process.stderr.write(`chatty err ${requests} \x1b[31mwarn\x1b[0m slow ${req.method}\n`);
    mcp(req, res).catch(() => res.end());
  });
  server.listen(port, '127.0.0.1', () => console.log(`chatty listening on http://127.0.0.1:${port}/mcp`));
  process.on('SIGTERM', () => {
    void sessions.closeAll().finally(() => {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    });
  });
}
