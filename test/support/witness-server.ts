/**
 * A Streamable HTTP MCP server that writes what it sees, one line each, to a log file: `open <id>`,
 * `call <tool>`, `delete <id>`, `signal <name>`. Tests read the file to know what the server saw, in order,
 * even after it was stopped. Run it with `node --import tsx test/support/witness-server.ts --port P
 * --log FILE [--die-after MS]` (`--die-after`: exit with code 7 after MS, as a crashing server would).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const { values } = parseArgs({
  options: { port: { type: 'string' }, log: { type: 'string' }, 'die-after': { type: 'string' } },
});
const logFile = values.log!;
const log = (line: string): void => appendFileSync(logFile, `${line}\n`);

const transports = new Map<string, StreamableHTTPServerTransport>();

function sessionServer(): McpServer {
  const server = new McpServer({ name: 'witness', version: '1.0.0' });
  server.registerTool('fast', { inputSchema: {} }, () => {
    log('call fast');
    return { content: [{ type: 'text', text: 'ok' }] };
  });
  server.registerTool('sleep', { inputSchema: { ms: z.number() } }, async ({ ms }) => {
    log('call sleep');
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { content: [{ type: 'text', text: `slept ${ms} ms` }] };
  });
  return server;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

const http = createServer((req, res) => {
  void (async () => {
    const id = req.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const transport = transports.get(id);
      if (!transport) {
        res.writeHead(404).end();
        return;
      }
      if (req.method === 'DELETE') log(`delete ${id}`);
      await transport.handleRequest(req, res, req.method === 'POST' ? await readBody(req) : undefined);
      return;
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: true,
      onsessioninitialized: (opened) => {
        transports.set(opened, transport);
        log(`open ${opened}`);
      },
    });
    await sessionServer().connect(transport);
    await transport.handleRequest(req, res, await readBody(req));
  })();
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    log(`signal ${signal}`);
    process.exit(0);
  });
}
if (values['die-after']) {
  setTimeout(() => {
    console.error('witness: fatal error: simulated crash');
    process.exit(7);
  }, Number(values['die-after']));
}
http.listen(Number(values.port), '127.0.0.1', () => console.log(`witness listening on ${values.port}`));
