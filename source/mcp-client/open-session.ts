import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Dispatcher } from 'undici';
import type { SessionRef } from './end-sessions.js';
import { createAgent } from './lean-fetch.js';
import { StreamConnections } from './stream-connections.js';
import { LeanClient } from './lean-client.js';
import { clearlyLegacy, PrimedTransport, probe, probeRequest } from './lean-probe.js';
import { openLeanModern } from './lean-modern-session.js';
import { clearlyModern } from './modern-shapes.js';
import type { LeanTransportOptions } from './lean-transport-options.js';
import { LeanStreamableHttpTransport } from './streamable-http-transport.js';
import type { Target } from './target.js';
import type { ToolResult } from './modern-session.js';
import type { SdkSessions } from './sdk-session.js';
import { clientQueries } from './client-queries.js';
import { terminate } from './legacy-session.js';
import {
  isModernRevision,
  LEGACY_REVISION,
  MODERN_CAPABILITIES,
  MODERN_REVISION,
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
  /** The GET streams' connections, handed from each session that ends to the next: made with the first. */
  let streams: StreamConnections | null = null;
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

  // stdio and HTTP+SSE sessions: the 1.x SDK's Client, loaded on the first such session.
  let sdkSessions: Promise<SdkSessions> | null = null;
  const sdk = (): Promise<SdkSessions> =>
    (sdkSessions ??= import('./sdk-session.js').then(({ createSdkSessions }) =>
      createSdkSessions(target, options, CLIENT_INFO, agent, () => timeout() + ABANDON_GRACE_MS),
    ));

  async function open(revision?: ProtocolRevision): Promise<OpenSession> {
    const protocol = revision ?? options.protocol ?? LEGACY_REVISION;
    if (target.transport !== 'streamable-http') return (await sdk()).open();
    if (protocol === LEGACY_REVISION) return openLegacy(leanTransport(new URL(target.url)));
    return openProbed(protocol);
  }

  /** A 2025-era session with the lean client, on `transport` (fresh, or the one a probe used). */
  async function openLegacy(transport: LeanStreamableHttpTransport): Promise<OpenSession> {
    const client = new LeanClient(CLIENT_INFO, timeout);
    try {
      await client.connect(transport, timeout());
    } catch (error) {
      if (transport.sessionId) await terminate(transport).catch(() => undefined);
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
      pid: null,
      protocolVersion: transport.negotiatedProtocolVersion ?? LEGACY_REVISION,
      stateful: transport.stateful,
      callTool: (name, args, timeoutMs) => client.callTool(name, args, timeoutMs),
      ...clientQueries(client),
      close: async () => {
        try {
          await terminate(transport);
        } finally {
          await client.close();
        }
      },
      transport,
      // The bound a server broke, or the 404 that lost the session, closed the transport: that, not
      // "connection closed", is the news.
      failure: () => transport.failure ?? transport.lost,
    };
  }

  function transportOptions(url: URL, httpError?: LeanTransportOptions['httpError']): LeanTransportOptions {
    return {
      url,
      dispatcher: agent!,
      streams: (streams ??= new StreamConnections(url.origin, timeout)),
      headers: (target as { headers: Readonly<Record<string, string>> }).headers,
      getStream: (target as { getStream?: boolean }).getStream ?? true,
      requestTimeoutMs: () => timeout() + ABANDON_GRACE_MS,
      track,
      onResume: options.onResume,
      httpError,
    };
  }

  function leanTransport(
    url: URL,
    httpError?: LeanTransportOptions['httpError'],
  ): LeanStreamableHttpTransport {
    return new LeanStreamableHttpTransport(transportOptions(url, httpError));
  }

  /**
   * `auto` or a pinned 2026-era revision: the `server/discover` probe on the lean transport (lean-probe.ts),
   * as the v2 SDK's `Client` sends it. A 2025-era server (`auto`) gets the lean 2025 client, and a discover
   * result the SDK would surely take gets the lean 2026 client (lean-modern-client.ts): the v2 package is
   * not loaded. Anything else goes to the SDK's own negotiation with the outcome replayed, so that the
   * server sees one probe and the SDK decides, in its own words.
   */
  async function openProbed(protocol: ProtocolChoice): Promise<OpenSession> {
    const url = new URL((target as { url: string }).url);
    const transport = leanTransport(url);
    const outcome = await probe(transport, probeRequest(CLIENT_INFO, MODERN_CAPABILITIES), timeout());
    if (protocol === 'auto' && clearlyLegacy(outcome)) return openLegacy(transport);
    const discovery = clearlyModern(outcome, protocol === 'auto' ? MODERN_REVISION : protocol);
    if (discovery) return openLeanModern(transport, discovery, CLIENT_INFO, options, holdsStream());
    await transport.close();
    const modern = await import('./modern-session.js');
    if (outcome.kind === 'timeout') throw modern.probeTimeoutError(outcome.timeoutMs);
    const replay =
      outcome.kind === 'message'
        ? (outcome.message as JSONRPCMessage)
        : outcome.kind === 'http'
          ? modern.modernHttpError(outcome.status, outcome.message, outcome.body)
          : outcome.error;
    return openModern(protocol, new PrimedTransport(transportOptions(url, modern.modernHttpError), replay));
  }

  const holdsStream = (): boolean => (target as { getStream?: boolean }).getStream ?? true;

  /** A 2026-era client (or, with `auto`, whatever the probe finds) on the lean transport. */
  async function openModern(
    protocol: 'auto' | ProtocolRevision,
    primed?: LeanStreamableHttpTransport,
  ): Promise<OpenSession> {
    // Loaded on first use: a run of 2025-era clients never loads the v2 package in its workers.
    const { createModernClient, holdListenStream, modernHttpError } = await import('./modern-session.js');
    const url = new URL((target as { url: string }).url);
    const transport = primed ?? leanTransport(url, modernHttpError);
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
    const hold = isModernRevision(version) && holdsStream();
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
      streams?.destroy();
      if (sdkSessions) await (await sdkSessions).destroy();
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
