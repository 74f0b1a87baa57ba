import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerDemoTools, type DemoToolContext, type SessionCalls } from './demo-tools.js';

/** One McpServer per session, all sharing the server-wide bottleneck and stats. */
export function createSessionServer(context: DemoToolContext): { server: McpServer; calls: SessionCalls } {
  const server = new McpServer(
    { name: 'mcp-load-explorer-demo', version: '0.1.0' },
    {
      instructions: `Demo server of mcp-load-explorer; the \`work\` tool's bottleneck is ${context.options.bottleneck}.`,
    },
  );
  const calls = registerDemoTools(
    (name, config, run) =>
      void server.registerTool(name, config, (args: Record<string, unknown>, extra) =>
        run(args, { signal: extra.signal, sessionId: extra.sessionId }),
      ),
    context,
  );
  return { server, calls };
}
