import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Dispatcher } from 'undici';
import { createAgent, createLeanFetch } from './lean-fetch.js';
import type { Target } from './target.js';

/** One initialized MCP session. */
export interface OpenSession {
  readonly client: Client;
  /** The stdio server process of this session, when there is one. */
  readonly pid: number | null;
  /** Ends the session on the server (HTTP DELETE where the transport has it), then closes. */
  close(): Promise<void>;
}

export interface SessionFactoryOptions {
  /** Per-call timeout, ms (read at each use: it changes live); also bounds initialize. */
  readonly timeoutMs: () => number;
  /** Where a stdio server's stderr lines go (never the terminal). */
  readonly onServerLog?: (line: string) => void;
  /** A session whose transport failed on its own (stream lost, process exited). */
  readonly onTransportError?: (error: Error) => void;
}

export interface SessionFactory {
  open(): Promise<OpenSession>;
  /** Closes the keep-alive pool. */
  destroy(): Promise<void>;
}

const CLIENT_INFO = { name: 'mcp-load-explorer', version: '0.1.0' };

export function createSessionFactory(target: Target, options: SessionFactoryOptions): SessionFactory {
  const agent: Dispatcher | undefined = target.transport === 'stdio' ? undefined : createAgent();
  const timeout = options.timeoutMs;

  async function open(): Promise<OpenSession> {
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    if (target.transport === 'stdio') {
      const transport = new StdioClientTransport({
        command: target.command,
        args: [...target.args],
        env: { ...(process.env as Record<string, string>), ...target.env },
        stderr: 'pipe',
      });
      const stderr = transport.stderr;
      if (stderr && options.onServerLog) {
        const log = options.onServerLog;
        createInterface({ input: stderr as unknown as NodeJS.ReadableStream }).on('line', (line) =>
          log(line),
        );
      }
      transport.onerror = (error) => options.onTransportError?.(error);
      await client.connect(transport, { timeout: timeout() });
      return { client, pid: transport.pid, close: () => client.close() };
    }
    const fetch = createLeanFetch({ agent: agent!, requestTimeoutMs: () => timeout() + 5000 });
    const url = new URL(target.url);
    const requestInit: RequestInit = { headers: { ...target.headers } };
    if (target.transport === 'sse') {
      const transport = new SSEClientTransport(url, { fetch, requestInit });
      await client.connect(transport, { timeout: timeout() });
      return { client, pid: null, close: () => client.close() };
    }
    const transport = new StreamableHTTPClientTransport(url, {
      fetch,
      requestInit,
      reconnectionOptions: {
        initialReconnectionDelay: 1000,
        maxReconnectionDelay: 10_000,
        reconnectionDelayGrowFactor: 2,
        maxRetries: 2,
      },
    });
    try {
      await client.connect(transport, { timeout: timeout() });
    } catch (error) {
      await closeQuietly(transport, client);
      throw error;
    }
    return {
      client,
      pid: null,
      close: async () => {
        try {
          await transport.terminateSession();
        } finally {
          await client.close();
        }
      },
    };
  }

  return {
    open,
    destroy: async () => {
      if (!agent) return;
      // close() waits for requests in flight, which a hung server never answers: then tear them down.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 2000)));
      const outcome = await Promise.race([agent.close().catch(() => undefined), late]);
      clearTimeout(timer);
      if (outcome === 'late') await agent.destroy().catch(() => undefined);
    },
  };
}

async function closeQuietly(transport: StreamableHTTPClientTransport, client: Client): Promise<void> {
  if (transport.sessionId) await transport.terminateSession().catch(() => undefined);
  await client.close().catch(() => undefined);
}
