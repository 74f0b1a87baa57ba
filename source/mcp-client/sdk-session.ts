import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Dispatcher } from 'undici';
import { ServerExitedError } from './error-kind.js';
import { LazyJsonSchemaValidator } from './lazy-json-schema-validator.js';
import { legacySession } from './legacy-session.js';
import { createLeanFetch } from './lean-fetch.js';
import type { OpenSession, SessionFactoryOptions } from './open-session.js';
import { markServerErrors } from './server-errors.js';
import { readStderrLines } from './stderr-lines.js';
import { GroupStdioTransport } from './stdio-transport.js';
import type { Target } from './target.js';

/**
 * The sessions the 1.x SDK's `Client` still drives: stdio (one server process per session) and the legacy
 * HTTP+SSE transport. Loaded on first use (open-session.ts): a Streamable HTTP run never loads the SDK.
 */
export interface SdkSessions {
  open(): Promise<OpenSession>;
  /** Ends the stdio server processes the sessions' own close did not reach. */
  destroy(): Promise<void>;
}

export function createSdkSessions(
  target: Target,
  options: SessionFactoryOptions,
  clientInfo: { readonly name: string; readonly version: string },
  agent: Dispatcher | undefined,
  requestTimeoutMs: () => number,
): SdkSessions {
  const timeout = options.timeoutMs;
  // One validator for every client: the SDK would build an Ajv instance per session (~100 KB each).
  const jsonSchemaValidator = new LazyJsonSchemaValidator();
  const stdioServers = new Set<GroupStdioTransport>();

  async function openStdio(stdio: Extract<Target, { transport: 'stdio' }>): Promise<OpenSession> {
    const client = new Client({ ...clientInfo }, { capabilities: {}, jsonSchemaValidator });
    const transport = new GroupStdioTransport({
      command: stdio.command,
      args: stdio.args,
      env: { ...process.env, ...stdio.env },
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

  async function openSse(url: URL, headers: Readonly<Record<string, string>>): Promise<OpenSession> {
    const client = new Client({ ...clientInfo }, { capabilities: {}, jsonSchemaValidator });
    // Loaded on first use, with its EventSource and OAuth helpers.
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    const fetch = createLeanFetch({ agent: agent!, requestTimeoutMs });
    const transport = new SSEClientTransport(url, { fetch, requestInit: { headers: { ...headers } } });
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

  return {
    open: () =>
      target.transport === 'stdio' ? openStdio(target) : openSse(new URL(target.url), target.headers),
    destroy: async () => {
      await Promise.all([...stdioServers].map((transport) => transport.close()));
    },
  };
}
