// A small MCP server (the SDK's own, Streamable HTTP, a server object per session) with one bottleneck,
// for the diagnosis tests: `node --import tsx test/support/case-server.ts cpu|blocking|pool|leak`.
// Tools: `fast` (next to nothing) and `work` (the bottleneck). GET /stats gives the calls it answered.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

type Mode = 'cpu' | 'blocking' | 'pool' | 'leak';
const mode = process.argv[2] as Mode;
if (!['cpu', 'blocking', 'pool', 'leak'].includes(mode)) throw new Error(`unknown mode ${mode}`);

let calls = 0;
const retained: Buffer[] = [];
let free = 1;
const waiters: (() => void)[] = [];

const spin = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const yieldLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** CPU work in 1 ms slices: the CPU saturates, yet the loop never stalls for long. */
async function burn(ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 1) {
    spin(1);
    await yieldLoop();
  }
}

const work: Record<Mode, () => Promise<void>> = {
  cpu: () => burn(10),
  // 60 ms of synchronous work: every other call on this server waits behind it.
  blocking: async () => spin(60),
  // One connection held 50 ms; callers queue for it.
  pool: async () => {
    if (free === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    else free -= 1;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = waiters.shift();
    if (next) next();
    else free += 1;
  },
  // 512 KB kept for good on each call.
  leak: async () => void retained.push(Buffer.alloc(512 * 1024, 1)),
};

function build(): McpServer {
  const server = new McpServer({ name: `case-${mode}`, version: '1.0.0' });
  const answer = { content: [{ type: 'text' as const, text: 'ok' }] };
  server.registerTool('fast', { description: 'next to nothing' }, async () => {
    if (mode === 'cpu') await burn(2);
    calls += 1;
    return answer;
  });
  server.registerTool('work', { description: `the ${mode} bottleneck` }, async () => {
    await work[mode]();
    calls += 1;
    return answer;
  });
  return server;
}

const transports = new Map<string, StreamableHTTPServerTransport>();
const http = createServer((request, response) => {
  void (async () => {
    if (request.url === '/stats') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ calls }));
      return;
    }
    const id = request.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? transports.get(id) : undefined;
    if (!transport) {
      if (request.method !== 'POST' || typeof id === 'string') {
        response.writeHead(404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sessionId) => void transports.set(sessionId, created),
      });
      created.onclose = () => void (created.sessionId && transports.delete(created.sessionId));
      await build().connect(created);
      transport = created;
    }
    await transport.handleRequest(request, response);
  })().catch((error: unknown) => {
    if (!response.headersSent) response.writeHead(500).end(String(error));
  });
});
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (address && typeof address === 'object')
    console.log(`listening on http://127.0.0.1:${address.port}/mcp`);
});
process.on('SIGTERM', () => process.exit(0));
