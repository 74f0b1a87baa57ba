import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ToolResult } from './modern-session.js';
import type { ToolInfo } from './open-session.js';
import { callToolResultProblem, initializeResultProblem, listToolsResultProblem } from './result-shapes.js';
import { serverRequestAnswer } from './json-rpc-messages.js';
import { PendingRequests } from './pending-requests.js';
import { errorAnswerFields, RPC_CODES, RpcError } from './rpc-error.js';

/** The 1.x SDK's `LATEST_PROTOCOL_VERSION` and `SUPPORTED_PROTOCOL_VERSIONS` (test/result-shapes.test.ts). */
export const LEAN_PROTOCOL_VERSION = '2025-11-25';
export const LEAN_SUPPORTED_VERSIONS: readonly string[] = [
  LEAN_PROTOCOL_VERSION,
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
  '2024-10-07',
];

/** What the client needs of its transport (the lean Streamable HTTP transport). */
export interface LeanClientTransport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  start(): Promise<void>;
  send(message: JSONRPCMessage): Promise<void>;
  close(): Promise<void>;
  setProtocolVersion(version: string): void;
}

type Message = Record<string, unknown>;

/**
 * A 2025-era MCP client for one session, in place of the 1.x SDK's `Client`: the same handshake
 * (initialize with 2025-11-25 and no capabilities, the version check, `notifications/initialized`), the
 * same timeouts (`notifications/cancelled`, then RequestTimeout), the same answers to the server's
 * requests (ping; Method not found for the rest), and the same checks of the results it reads. Without
 * the SDK's schemas and request machinery a call costs less CPU, a session far less to build, and a
 * worker thread does not load the SDK at all.
 */
export class LeanClient {
  private transport: LeanClientTransport | null = null;
  private readonly pending = new PendingRequests();
  private nextId = 0;
  private server: { name: string; version: string } | undefined;

  /** `timeoutMs`: for requests that name no timeout of their own (tools/list); read at each use. */
  constructor(
    private readonly clientInfo: { readonly name: string; readonly version: string },
    private readonly timeoutMs: () => number,
  ) {}

  async connect(transport: LeanClientTransport, timeoutMs: number): Promise<void> {
    this.transport = transport;
    transport.onmessage = (message) => this.receive(message);
    transport.onclose = () => this.closed();
    transport.onerror = () => undefined;
    try {
      await transport.start();
      const params = {
        protocolVersion: LEAN_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: this.clientInfo,
      };
      const result = (await this.request('initialize', params, timeoutMs, initializeResultProblem)) as {
        protocolVersion: string;
        serverInfo: { name: string; version: string };
      };
      if (!LEAN_SUPPORTED_VERSIONS.includes(result.protocolVersion))
        throw new Error(`Server's protocol version is not supported: ${result.protocolVersion}`);
      this.server = result.serverInfo;
      transport.setProtocolVersion(result.protocolVersion);
      await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    } catch (error) {
      void this.close();
      throw error;
    }
  }

  callTool(name: string, args: Readonly<Record<string, unknown>>, timeoutMs: number): Promise<ToolResult> {
    return this.request(
      'tools/call',
      { name, arguments: { ...args } },
      timeoutMs,
      callToolResultProblem,
    ) as Promise<ToolResult>;
  }

  /** Shaped as the SDK `Client`'s, so that `clientQueries` serves this client too. */
  async listTools(params?: {
    cursor: string;
  }): Promise<{ tools: ToolInfo[]; nextCursor?: string | undefined }> {
    return (await this.request('tools/list', params, this.timeoutMs(), listToolsResultProblem)) as {
      tools: ToolInfo[];
      nextCursor?: string;
    };
  }

  getServerVersion(): { name: string; version: string } | undefined {
    return this.server;
  }

  async close(): Promise<void> {
    await this.transport?.close();
  }

  private request(
    method: string,
    params: unknown,
    timeoutMs: number,
    problem: (result: unknown) => string | null,
  ): Promise<unknown> {
    const transport = this.transport;
    if (!transport) return Promise.reject(new Error('Not connected'));
    const id = this.nextId++;
    const message =
      params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
    const timedOut = (): Error => {
      const error = new RpcError(RPC_CODES.RequestTimeout, 'Request timed out', { timeout: timeoutMs });
      const cancel = { requestId: id, reason: String(error) };
      transport
        .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: cancel })
        .catch(() => undefined);
      return error;
    };
    return this.pending.wait(
      id,
      timeoutMs,
      () => transport.send(message as JSONRPCMessage),
      timedOut,
      (result) => {
        const wrong = problem(result);
        if (wrong !== null) throw new Error(`invalid ${method} result: ${wrong}`);
        return result;
      },
    );
  }

  private receive(message: Message): void {
    if (typeof message.method === 'string') {
      // A request from the server: ping is answered, anything else is not offered (no capabilities).
      if (message.id === undefined || !this.transport) return;
      this.transport.send(serverRequestAnswer(message)).catch(() => undefined);
      return;
    }
    const entry = this.pending.answered(message.id);
    if (!entry) return;
    const error = message.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
    if (error !== undefined) {
      const { code, text } = errorAnswerFields(error);
      entry.reject(new RpcError(code, text, error?.data));
    } else entry.resolve(message.result);
  }

  /** The transport closed: every call still waiting fails as the SDK's do (ConnectionClosed). */
  private closed(): void {
    this.transport = null;
    this.pending.failAll(() => new RpcError(RPC_CODES.ConnectionClosed, 'Connection closed'));
  }
}
