/**
 * A stdio MCP server that will not go: it ignores SIGTERM, SIGINT and SIGHUP and does not exit when its
 * stdin closes. Run behind a wrapper (`sh -c '…; echo'`), only a signal to its whole process group ends
 * it. Its arguments are ignored: tests pass a marker to find its processes by command line.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);
setInterval(() => undefined, 60_000);
process.stdin.on('error', () => undefined);

const server = new McpServer({ name: 'stubborn', version: '1.0.0' });
server.registerTool('fast', { inputSchema: {} }, () => ({ content: [{ type: 'text', text: 'ok' }] }));
await server.connect(new StdioServerTransport());
