import { setTimeout as delay } from 'node:timers/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { WorkHandler } from './bottleneck.js';
import { PoolFullError } from './connection-pool.js';
import type { DemoStatsRecorder } from './demo-stats.js';
import { BottleneckSchema, type DemoServerOptions } from './options.js';

/** What the tools of one session share with the rest of the server. */
export interface DemoToolContext {
  readonly options: DemoServerOptions;
  readonly stats: DemoStatsRecorder;
  readonly work: WorkHandler;
}

/** Calls answered by one session; each session counts its own. */
export interface SessionCalls {
  count: number;
}

const STDIO_SESSION_ID = 'stdio';

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

/** Registers `fast`, `slow`, `sleep`, `work` and `stats` on a session's server; returns its call counter. */
export function registerDemoTools(server: McpServer, context: DemoToolContext): SessionCalls {
  const { options, stats } = context;
  const session: SessionCalls = { count: 0 };

  const counted =
    <A extends unknown[]>(tool: string, run: (...args: A) => Promise<CallToolResult>) =>
    async (...args: A): Promise<CallToolResult> => {
      let failed = true;
      try {
        const result = await run(...args);
        failed = result.isError === true;
        return result;
      } finally {
        session.count += 1;
        stats.callFinished(tool, failed);
      }
    };

  server.registerTool(
    'fast',
    { description: `In-memory answer after ${options.fastMs} ms.`, inputSchema: {} },
    counted('fast', async (_args, extra) => {
      await delay(options.fastMs, undefined, { signal: extra.signal });
      return text('ok');
    }),
  );

  server.registerTool(
    'slow',
    {
      description: `Simulated downstream API: answers after a uniform random ${options.slowMinMs}–${options.slowMaxMs} ms.`,
      inputSchema: {},
    },
    counted('slow', async (_args, extra) => {
      const ms = options.slowMinMs + Math.random() * (options.slowMaxMs - options.slowMinMs);
      await delay(Math.round(ms), undefined, { signal: extra.signal });
      return text(`ok after ${Math.round(ms)} ms`);
    }),
  );

  server.registerTool(
    'sleep',
    {
      description: 'Answers after exactly `ms` milliseconds (a fixed-latency tool).',
      inputSchema: { ms: z.number().int().min(0).max(60_000).describe('How long to wait, ms.') },
    },
    counted('sleep', async ({ ms }, extra) => {
      await delay(ms, undefined, { signal: extra.signal });
      return text(`slept ${ms} ms`);
    }),
  );

  server.registerTool(
    'work',
    {
      description: `The application's main endpoint; what it costs is the server's bottleneck (${options.bottleneck}).`,
      inputSchema: { nonce: z.string().max(1000).optional().describe('Echoed back, unless state leaks.') },
      outputSchema: { nonce: z.string().nullable(), bottleneck: BottleneckSchema },
    },
    counted('work', async ({ nonce }, extra) => {
      const sessionId = extra.sessionId ?? STDIO_SESSION_ID;
      try {
        const seen = await context.work({ sessionId, nonce, signal: extra.signal });
        const answer = { nonce: seen, bottleneck: options.bottleneck };
        return { ...text(JSON.stringify(answer)), structuredContent: answer };
      } catch (error) {
        if (error instanceof PoolFullError) return { ...text(error.message), isError: true };
        throw error;
      }
    }),
  );

  server.registerTool(
    'stats',
    { description: 'What this server saw: sessions, calls by tool, errors, RSS.', inputSchema: {} },
    counted('stats', async () => text(JSON.stringify(stats.snapshot()))),
  );

  return session;
}
