import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Dispatcher } from 'undici';
import type { SessionRef } from './end-sessions.js';
import { ServerExitedError } from './error-kind.js';
import { markServerErrors } from './server-errors.js';
import { readStderrLines } from './stderr-lines.js';
import { createAgent, createLeanFetch, createStreamConnection } from './lean-fetch.js';
import { GroupStdioTransport } from './stdio-transport.js';
import type { LeanTransportOptions } from './lean-transport-options.js';
import { LazyJsonSchemaValidator } from './lazy-json-schema-validator.js';
import { LeanStreamableHttpTransport } from './streamable-http-transport.js';
import type { Target } from './target.js';
import type { ToolResult } from './modern-session.js';
import { clientQueries } from './client-queries.js';
import { closeQuietly, legacySession, terminate } from './legacy-session.js';
import {
  isModernRevision,
  LEGACY_REVISION,
  type ProtocolChoice,
  type ProtocolRevision,
} from './protocol-era.js';

/**
 * One connected client: a 2025-era session (initialize, maybe a session id) or a 2026-era client
 * (discover, per-request `_meta`). The virtual user drives both alike.
 */
export interface OpenSession {
  /** The stdio server process of this session, when there is one. */
  readonly pid: number | null;
  /** The revision this client speaks with the server. */
  readonly protocolVersion: string;
  /** True when the server issued a session id (it holds state for this client). */
  readonly stateful: boolean;
  callTool(name: string, args: Readonly<Record<string, unknown>>, timeoutMs: number): Promise<ToolResult>;
  listTools(cursor?: string): Promise<{ tools: ToolInfo[]; nextCursor?: string | undefined }>;
  serverVersion(): { name: string; version: string } | undefined;
  /** Ends the session on the server (HTTP DELETE where there is one) and the long-lived stream, then closes. */
  close(): Promise<void>;
  /** Closes the client side only (the server already forgot the session). */
  release(): Promise<void>;
  /** Streamable HTTP: the lean transport under this client (tests and diagnostics read it). */
  readonly transport?: LeanStreamableHttpTransport;
  /** The bound the server broke (see limits.ts) that closed this session's transport; null if none. */
  failure(): Error | null;
}

/** A tool as `tools/list` gives it. */
export interface ToolInfo {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema: Record<string, unknown>;
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
  /**
   * Streamable HTTP: the revision to speak, or `auto` to probe with `server/discover` (the run's preflight
   * does it once and pins the result for its clients). stdio and HTTP+SSE speak 2025-11-25.
   * @default '2025-11-25'
   */
  readonly protocol?: ProtocolChoice;
  /** An event stream was resumed with `Last-Event-ID`. */
  readonly onResume?: () => void;
  /** A 2026-07-28 Multi Round-Trip Request asked for input (answered declined or empty). */
  readonly onInputRequest?: (method: string) => void;
}

export interface SessionFactory {
  /** `revision`: this client's own (the protocol mix's pick); else the factory's `protocol`. */
  open(revision?: ProtocolRevision): Promise<OpenSession>;
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
  const jsonSchemaValidator = new LazyJsonSchemaValidator();
  // One sweep for every open transport instead of a timer and an abort signal per call.
  const transports = new Set<LeanStreamableHttpTransport>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const transport of transports) transport.abortOverdue(now);
  }, SWEEP_MS);
  sweep.unref();
  // stdio server processes not yet ended: destroy() ends what the sessions' own close did not reach.
  const stdioServers = new Set<GroupStdioTransport>();
  const track = (transport: LeanStreamableHttpTransport): (() => void) => {
    transports.add(transport);
    return () => transports.delete(transport);
  };

  async function open(revision?: ProtocolRevision): Promise<OpenSession> {
    const protocol = revision ?? options.protocol ?? LEGACY_REVISION;
    if (target.transport === 'streamable-http' && protocol !== LEGACY_REVISION) return openModern(protocol);
    const client = new Client(CLIENT_INFO, { capabilities: {}, jsonSchemaValidator });
    if (target.transport === 'stdio') {
      const transport = new GroupStdioTransport({
        command: target.command,
        args: target.args,
        env: { ...process.env, ...target.env },
      });
      const stderr = readStderrLines(transport.stderr, options.onServerLog);
      markServerErrors(transport);
      transport.onerror = (error) => options.onTransportError?.(error);
      stdioServers.add(transport);
      const forget = (): void => void stdioServers.delete(transport);
      try {
        await client.connect(transport, { timeout: timeout() });
      } catch (error) {
        await transport.close().finally(forget);
        const exit = transport.exitStatus;
        if (exit === null) throw error;
        const said = stderr.lastLine();
        throw new ServerExitedError(
          `the server exited with ${exit} before it answered initialize${said ? `; its last stderr line: ${said}` : ''}`,
        );
      }
      // A stdio session is its server process: it holds the session's state as a session id would.
      return legacySession(client, transport.pid, true, () => client.close().finally(forget));
    }
    const url = new URL(target.url);
    if (target.transport === 'sse') {
      // Loaded on first use, with its EventSource and OAuth helpers: most runs speak Streamable HTTP.
      const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
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
      return legacySession(client, null, true, () => client.close());
    }
    const transport = leanTransport(url);
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
    const session = legacySession(client, null, transport.stateful, async () => {
      try {
        await terminate(transport);
      } finally {
        await client.close();
      }
    });
    return {
      ...session,
      protocolVersion: transport.negotiatedProtocolVersion ?? LEGACY_REVISION,
      transport,
      // The bound a server broke, or the 404 that lost the session, closed the transport: that, not
      // "connection closed", is the news.
      failure: () => transport.failure ?? transport.lost,
    };
  }

  function leanTransport(
    url: URL,
    httpError?: LeanTransportOptions['httpError'],
  ): LeanStreamableHttpTransport {
    return new LeanStreamableHttpTransport({
      url,
      dispatcher: agent!,
      streamDispatcher: () => createStreamConnection(url.origin, timeout()),
      headers: (target as { headers: Readonly<Record<string, string>> }).headers,
      getStream: (target as { getStream?: boolean }).getStream ?? true,
      requestTimeoutMs: () => timeout() + ABANDON_GRACE_MS,
      track,
      onResume: options.onResume,
      httpError,
    });
  }

  /** A 2026-era client (or, with `auto`, whatever the probe finds) on the lean transport. */
  async function openModern(protocol: 'auto' | ProtocolRevision): Promise<OpenSession> {
    // Loaded on first use: a run of 2025-era clients never loads the v2 package in its workers.
    const { createModernClient, holdListenStream, modernHttpError } = await import('./modern-session.js');
    const url = new URL((target as { url: string }).url);
    const transport = leanTransport(url, modernHttpError);
    const client = createModernClient(protocol, {
      clientInfo: CLIENT_INFO,
      onInputRequest: options.onInputRequest,
    });
    try {
      await client.connect(transport, { timeout: timeout() });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
    const version = client.getNegotiatedProtocolVersion() ?? LEGACY_REVISION;
    const modern = isModernRevision(version);
    const hold = modern && ((target as { getStream?: boolean }).getStream ?? true);
    const listen = hold ? await holdListenStream(client, (error) => options.onTransportError?.(error)) : null;
    const close = async (): Promise<void> => {
      await listen?.close().catch(() => undefined);
      try {
        if (transport.stateful) await terminate(transport);
      } finally {
        await client.close();
      }
    };
    return {
      pid: null,
      protocolVersion: version,
      stateful: transport.stateful,
      failure: () => transport.failure,
      callTool: (name, args, timeoutMs) =>
        client.callTool({ name, arguments: { ...args } }, { timeout: timeoutMs }),
      ...clientQueries(client),
      close,
      transport,
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
      await Promise.all([...stdioServers].map((transport) => transport.close()));
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
