import type { ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Dispatcher } from 'undici';
import type { SessionRef } from './end-sessions.js';
import { ServerExitedError } from './error-kind.js';
import { markServerErrors } from './server-errors.js';
import { readStderrLines } from './stderr-lines.js';
import { createAgent, createLeanFetch, createStreamConnection } from './lean-fetch.js';
import { LeanStreamableHttpTransport } from './streamable-http-transport.js';
import type { Target } from './target.js';

/** One initialized MCP session. */
export interface OpenSession {
  readonly client: Client;
  /** The stdio server process of this session, when there is one. */
  readonly pid: number | null;
  /** Ends the session on the server (HTTP DELETE where the transport has it), then closes. */
  close(): Promise<void>;
  /** The bound the server broke (see limits.ts) that closed this session's transport; null if none. */
  failure(): Error | null;
}

export interface SessionFactoryOptions {
  /** Per-call timeout, ms (read at each use: it changes live); also bounds initialize. */
  readonly timeoutMs: () => number;
  /** Where a stdio server's stderr lines go (never the terminal). */
  readonly onServerLog?: (line: string) => void;
  /** A session whose transport failed on its own (stream lost, process exited). */
  readonly onTransportError?: (error: Error) => void;
  /**
   * Streamable HTTP: a session the server opened (`open`), and the same session released (after its
   * DELETE, if any), so that another thread can end the sessions of a worker that crashed.
   */
  readonly onSessionChange?: (session: SessionRef, open: boolean) => void;
}

export interface SessionFactory {
  open(): Promise<OpenSession>;
  /**
   * Closes the keep-alive pool. `lateInitialize`: first give an initialize given up on its last second,
   * so that a session it makes is ended with DELETE (a run's end; not a preflight that failed).
   * @default true
   */
  destroy(lateInitialize?: boolean): Promise<void>;
}

const CLIENT_INFO = { name: 'mcp-load-explorer', version: '0.1.0' };
/**
 * A request the SDK has timed out is abandoned this long after (the SDK's own timer still decides, so the
 * call counts as `timeout`): a hung server then holds about two sockets per session, not a growing pile.
 */
const ABANDON_GRACE_MS = 1000;
/** How often requests past their deadline are looked for, ms. */
const SWEEP_MS = 1000;

export function createSessionFactory(target: Target, options: SessionFactoryOptions): SessionFactory {
  const agent: Dispatcher | undefined =
    target.transport === 'stdio' ? undefined : createAgent(options.timeoutMs());
  const timeout = options.timeoutMs;
  // One validator for every client: the SDK would build an Ajv instance per session (~100 KB each).
  const jsonSchemaValidator = new AjvJsonSchemaValidator();
  // One sweep for every open transport instead of a timer and an abort signal per call.
  const transports = new Set<LeanStreamableHttpTransport>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const transport of transports) transport.abortOverdue(now);
  }, SWEEP_MS);
  sweep.unref();
  const track = (transport: LeanStreamableHttpTransport): (() => void) => {
    transports.add(transport);
    return () => transports.delete(transport);
  };

  async function open(): Promise<OpenSession> {
    const client = new Client(CLIENT_INFO, { capabilities: {}, jsonSchemaValidator });
    if (target.transport === 'stdio') {
      const transport = new StdioClientTransport({
        command: target.command,
        args: [...target.args],
        env: { ...(process.env as Record<string, string>), ...target.env },
        stderr: 'pipe',
      });
      const stderr = readStderrLines(
        transport.stderr as unknown as NodeJS.ReadableStream,
        options.onServerLog,
      );
      let exit: string | null = null;
      const start = transport.start.bind(transport);
      transport.start = async () => {
        await start();
        // The SDK keeps the child to itself; its exit code is what a user needs when it ends at once.
        const child = (transport as unknown as { _process?: ChildProcess })._process;
        child?.once('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `code ${code}`));
      };
      markServerErrors(transport);
      transport.onerror = (error) => options.onTransportError?.(error);
      try {
        await client.connect(transport, { timeout: timeout() });
      } catch (error) {
        await client.close().catch(() => undefined);
        if (exit === null) throw error;
        const said = stderr.lastLine();
        throw new ServerExitedError(
          `the server exited with ${exit} before it answered initialize${said ? `; its last stderr line: ${said}` : ''}`,
        );
      }
      return { client, pid: transport.pid, close: () => client.close(), failure: () => null };
    }
    const url = new URL(target.url);
    if (target.transport === 'sse') {
      const fetch = createLeanFetch({ agent: agent!, requestTimeoutMs: () => timeout() + ABANDON_GRACE_MS });
      const requestInit: RequestInit = { headers: { ...target.headers } };
      const transport = new SSEClientTransport(url, { fetch, requestInit });
      markServerErrors(transport);
      try {
        await client.connect(transport, { timeout: timeout() });
      } catch (error) {
        // A refused stream is retried by its EventSource for ever unless the transport is closed.
        await client.close().catch(() => undefined);
        throw error;
      }
      return { client, pid: null, close: () => client.close(), failure: () => null };
    }
    const transport = new LeanStreamableHttpTransport({
      url,
      dispatcher: agent!,
      streamDispatcher: () => createStreamConnection(url.origin, timeout()),
      headers: target.headers,
      getStream: target.getStream ?? true,
      requestTimeoutMs: () => timeout() + ABANDON_GRACE_MS,
      track,
    });
    markServerErrors(transport);
    try {
      await client.connect(transport, { timeout: timeout() });
    } catch (error) {
      await closeQuietly(transport, client);
      throw error;
    }
    const change = options.onSessionChange;
    if (change && transport.sessionId) {
      const ref = { id: transport.sessionId, protocolVersion: transport.negotiatedProtocolVersion };
      change(ref, true);
      const closed = transport.onclose;
      transport.onclose = () => {
        change(ref, false);
        closed?.();
      };
    }
    return {
      client,
      pid: null,
      failure: () => transport.failure,
      close: async () => {
        try {
          await terminate(transport);
        } finally {
          await client.close();
        }
      },
    };
  }

  return {
    open,
    destroy: async (lateInitialize = true) => {
      // An initialize given up on waits its last second for a late answer (whose session is then ended
      // with DELETE); past that, whatever is left is aborted: a server that never answers would
      // otherwise hold its socket, and the process, open.
      const until = lateInitialize ? Date.now() + ABANDON_GRACE_MS + SWEEP_MS : 0;
      while (transports.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      clearInterval(sweep);
      for (const transport of transports) transport.abortAll(new Error('request timed out'));
      if (!agent) return;
      // close() waits for requests in flight, which a hung server never answers: then tear them down.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 1000)));
      const outcome = await Promise.race([agent.close().catch(() => undefined), late]);
      clearTimeout(timer);
      if (outcome === 'late') await agent.destroy().catch(() => undefined);
    },
  };
}

/** Out of descriptors or ports: others free theirs as sessions end, so the DELETE is worth retrying. */
const LIMIT_CODES = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL']);
const LIMIT_RETRIES = 5;
const LIMIT_RETRY_MS = 500;

/** Ends the session on the server, retrying while the generator is out of descriptors or ports. */
async function terminate(transport: LeanStreamableHttpTransport): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transport.terminateSession();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= LIMIT_RETRIES || typeof code !== 'string' || !LIMIT_CODES.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, LIMIT_RETRY_MS * attempt));
    }
  }
}

async function closeQuietly(transport: LeanStreamableHttpTransport, client: Client): Promise<void> {
  if (transport.sessionId) await terminate(transport).catch(() => undefined);
  await client.close().catch(() => undefined);
}
