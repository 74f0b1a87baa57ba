/**
 * A stdio MCP server that misbehaves on its stderr, one process per session:
 * `node --import tsx test/support/hostile-stdio-server.ts MODE COUNTS_FILE`. It appends `start` and
 * `call` lines to COUNTS_FILE, so that a test checks what the servers saw.
 *  - `stderr-flood`: 200 lines a second of 600 characters on stderr, from before it answers initialize
 *  - `stderr-no-newline`: stderr without a newline, as fast as it is read
 */
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const [mode, countsFile] = process.argv.slice(2);
const count = (what: string): void => {
  if (countsFile) appendFileSync(countsFile, `${what}\n`);
};
count('start');

if (mode === 'stderr-flood') {
  let line = 0;
  setInterval(() => process.stderr.write(`starting up ${line++} ${'x'.repeat(600)}\n`), 5);
  await new Promise((resolve) => setTimeout(resolve, 1000));
} else if (mode === 'stderr-no-newline') {
  const chunk = 'y'.repeat(256 * 1024);
  const more = (): void => {
    if (process.stderr.write(chunk)) setImmediate(more);
    else process.stderr.once('drain', more);
  };
  more();
}

const server = new McpServer({ name: `hostile-stdio-${mode}`, version: '1.0.0' });
server.registerTool('fast', { description: 'answers at once' }, () => {
  count('call');
  return { content: [{ type: 'text' as const, text: 'ok' }] };
});
await server.connect(new StdioServerTransport());
