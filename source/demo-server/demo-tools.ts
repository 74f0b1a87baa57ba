import { setTimeout as delay } from 'node:timers/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z, type ZodRawShape } from 'zod';
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

/** The protocol era a session's server speaks: its calls are counted under it in `/stats`. */
export type DemoEra = '2025-11-25' | 'stateless' | '2026-07-28';

/** What a tool's handler gets from either SDK's server: its cancel signal and the session, if any. */
export interface DemoCall {
  readonly signal: AbortSignal;
  readonly sessionId?: string | undefined;
}

/**
 * Registers one tool on a server of either SDK (1.x `McpServer` for the 2025 era, 2.x for 2026-07-28 and
 * the stateless posture): both take a name, a zod shape and a handler; only their handler context differs.
 */
export type RegisterDemoTool = (
  name: string,
  config: { description: string; inputSchema: ZodRawShape; outputSchema?: ZodRawShape },
  run: (args: Record<string, unknown>, call: DemoCall) => Promise<CallToolResult>,
) => void;

/** Calls answered by one session; each session counts its own. */
export interface SessionCalls {
  count: number;
}

const STDIO_SESSION_ID = 'stdio';

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

/** Registers `fast`, `slow`, `sleep`, `work` and `stats` on a session's server; returns its call counter. */
export function registerDemoTools(
  register: RegisterDemoTool,
  context: DemoToolContext,
  era: DemoEra = '2025-11-25',
): SessionCalls {
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
        stats.callFinished(tool, failed, era);
      }
    };

  register(
    'fast',
    { description: `In-memory answer after ${options.fastMs} ms.`, inputSchema: {} },
    counted('fast', async (_args: Record<string, unknown>, extra: DemoCall) => {
      await delay(options.fastMs, undefined, { signal: extra.signal });
      return text('ok');
    }),
  );

  register(
    'slow',
    {
      description: `Simulated downstream API: answers after a uniform random ${options.slowMinMs}–${options.slowMaxMs} ms.`,
      inputSchema: {},
    },
    counted('slow', async (_args: Record<string, unknown>, extra: DemoCall) => {
      const ms = options.slowMinMs + Math.random() * (options.slowMaxMs - options.slowMinMs);
      await delay(Math.round(ms), undefined, { signal: extra.signal });
      return text(`ok after ${Math.round(ms)} ms`);
    }),
  );

  register(
    'sleep',
    {
      description: 'Answers after exactly `ms` milliseconds (a fixed-latency tool).',
      inputSchema: { ms: z.number().int().min(0).max(60_000).describe('How long to wait, ms.') },
    },
    counted('sleep', async (args: Record<string, unknown>, extra: DemoCall) => {
      const ms = args.ms as number;
      await delay(ms, undefined, { signal: extra.signal });
      return text(`slept ${ms} ms`);
    }),
  );

  register(
    'work',
    {
      description: `The application's main endpoint; what it costs is the server's bottleneck (${options.bottleneck}).`,
      inputSchema: { nonce: z.string().max(1000).optional().describe('Echoed back, unless state leaks.') },
      outputSchema: { nonce: z.string().nullable(), bottleneck: BottleneckSchema },
    },
    counted('work', async (args: Record<string, unknown>, extra: DemoCall) => {
      const nonce = args.nonce as string | undefined;
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

  register(
    'stats',
    { description: 'What this server saw: sessions, calls by tool, errors, RSS.', inputSchema: {} },
    counted('stats', async () => text(JSON.stringify(stats.snapshot()))),
  );

  return session;
}
