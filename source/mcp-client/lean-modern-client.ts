import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { LeanSendOptions } from './lean-transport-options.js';
import type { ToolResult } from './modern-session.js';
import { ModernProtocolError, ModernSdkError, protocolErrorOf, SDK_CODES } from './modern-errors.js';
import { fulfilInput } from './modern-input.js';
import {
  decodeModern,
  modernCallToolProblem,
  modernListToolsProblem,
  type Decoded,
  type ModernDiscovery,
} from './modern-shapes.js';
import type { ToolInfo } from './open-session.js';
import { PROTOCOL_VERSION_META_KEY } from './protocol-era.js';
import { serverRequestAnswer } from './json-rpc-messages.js';
import { PendingRequests } from './pending-requests.js';

/** What the client needs of its transport (the lean Streamable HTTP transport). */
export interface ModernClientTransport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  send(message: JSONRPCMessage, options?: LeanSendOptions): Promise<void>;
  close(): Promise<void>;
}

export interface LeanModernClientOptions {
  readonly clientInfo: { readonly name: string; readonly version: string };
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly discovery: ModernDiscovery;
  /** For requests that name no timeout of their own (tools/list); read at each use. */
  readonly timeoutMs: () => number;
  /** A Multi Round-Trip Request asked for input: answered declined (elicitation) or empty (roots). */
  readonly onInputRequest?: ((method: string) => void) | undefined;
}

type Shape = Record<string, unknown>;

/** The v2 SDK's defaults: rounds of a Multi Round-Trip Request, the pause before a state-only retry. */
const MAX_INPUT_ROUNDS = 10;
const STATE_ONLY_PACING_MS = 250;
/** The v2 SDK's `DEFAULT_REQUEST_TIMEOUT_MSEC`: how long `subscriptions/listen` waits for its ack. */
const LISTEN_ACK_TIMEOUT_MS = 60_000;
const HEADER_MISMATCH = -32020;
const SUBSCRIPTION_ID_META_KEY = 'io.modelcontextprotocol/subscriptionId';

/** The listen stream ended (or was answered) before the server acknowledged it, as the SDK says it. */
const listenClosedEarly = (): ModernSdkError =>
  new ModernSdkError(
    SDK_CODES.ConnectionClosed,
    'subscriptions/listen closed before the server acknowledged',
  );

/**
 * A 2026-07-28 client in place of the v2 SDK's `Client`, after a `server/discover` the SDK would surely
 * have taken (modern-shapes.ts): the same per-request `_meta` envelope, the same held `subscriptions/listen`
 * (acknowledged, then cancelled at close), cancellation by closing the request's stream, the same
 * Multi Round-Trip driver (elicitation declined, roots empty, up to 10 rounds), the same retry after a
 * header mismatch, and the same decoding and errors. Without the SDK a worker thread loads no v2 package
 * and no zod, and a call costs what a 2025-era call costs.
 */
export class LeanModernClient {
  private transport: ModernClientTransport | null = null;
  private readonly pending = new PendingRequests();
  private nextId = 0;
  private readonly envelope: Shape;
  private listening: { readonly id: string; ack(): void; fail(error: Error): void } | null = null;
  private stopListening: (() => Promise<void>) | null = null;

  constructor(private readonly options: LeanModernClientOptions) {
    this.envelope = {
      [PROTOCOL_VERSION_META_KEY]: options.discovery.version,
      'io.modelcontextprotocol/clientInfo': options.clientInfo,
      'io.modelcontextprotocol/clientCapabilities': options.capabilities,
    };
  }

  attach(transport: ModernClientTransport): void {
    this.transport = transport;
    transport.onmessage = (message) => this.receive(message);
    transport.onclose = () => this.closed();
    transport.onerror = () => undefined;
  }

  getServerVersion(): { name: string; version: string } | undefined {
    return this.options.discovery.serverInfo;
  }

  async callTool(
    name: string,
    args: Readonly<Record<string, unknown>>,
    timeoutMs: number,
  ): Promise<ToolResult> {
    const params = { name, arguments: { ...args } };
    try {
      return await this.withInput('tools/call', params, timeoutMs);
    } catch (error) {
      // As the SDK: a header mismatch refreshes the tool list once and the call goes again.
      if (!(error instanceof ModernProtocolError) || error.code !== HEADER_MISMATCH) throw error;
      await this.listTools().catch(() => undefined);
      return await this.withInput('tools/call', params, timeoutMs);
    }
  }

  /** Shaped as the SDK `Client`'s, so that `clientQueries` serves this client too. */
  async listTools(params?: {
    cursor: string;
  }): Promise<{ tools: ToolInfo[]; nextCursor?: string | undefined }> {
    const decoded = await this.leg(
      'tools/list',
      params ?? {},
      this.options.timeoutMs(),
      modernListToolsProblem,
    );
    if (decoded.kind !== 'complete')
      throw new ModernSdkError(SDK_CODES.InvalidResult, 'Invalid result for tools/list: input_required');
    return decoded.result as { tools: ToolInfo[]; nextCursor?: string };
  }

  /** Opens the held `subscriptions/listen` stream; resolves once the server acknowledged it. */
  listen(): Promise<void> {
    const transport = this.transport;
    if (!transport) return Promise.reject(new ModernSdkError(SDK_CODES.NotConnected, 'Not connected'));
    const id = 'listen:0';
    const cancel: { abort?: () => void } = {};
    const teardown = async (): Promise<void> => {
      this.listening = null;
      cancel.abort?.();
      const params = { requestId: id, _meta: this.envelope };
      await transport
        .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params })
        .catch(() => undefined);
    };
    this.stopListening = teardown;
    return new Promise<void>((resolve, reject) => {
      let opening = true;
      const fail = (error: Error): void => {
        clearTimeout(timer);
        if (!opening) return;
        opening = false;
        this.listening = null;
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(
          new ModernSdkError(SDK_CODES.RequestTimeout, 'subscriptions/listen ack timed out', {
            timeout: LISTEN_ACK_TIMEOUT_MS,
          }),
        );
        void teardown();
      }, LISTEN_ACK_TIMEOUT_MS);
      const ack = (): void => {
        clearTimeout(timer);
        opening = false;
        resolve();
      };
      this.listening = { id, ack, fail };
      const params = { _meta: this.envelope, notifications: { toolsListChanged: true } };
      const message = { jsonrpc: '2.0', id, method: 'subscriptions/listen', params };
      transport.send(message as JSONRPCMessage, { cancel }).then(
        () => fail(listenClosedEarly()),
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  /** Ends the held stream (its request cancelled) and closes the transport. */
  async close(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = null;
    if (stop && this.transport) await stop();
    await this.transport?.close();
  }

  /** One request and its answer, decoded; a Multi Round-Trip Request's ask is driven by `withInput`. */
  private leg(
    method: string,
    params: Shape,
    timeoutMs: number,
    problem: (result: unknown) => string | null,
  ): Promise<Decoded> {
    const transport = this.transport;
    if (!transport) return Promise.reject(new ModernSdkError(SDK_CODES.NotConnected, 'Not connected'));
    const id = this.nextId++;
    const cancel: { abort?: () => void } = {};
    const message = { method, params: { ...params, _meta: this.envelope }, jsonrpc: '2.0', id };
    const timedOut = (): Error => {
      cancel.abort?.(); // 2026-07-28: closing the request's stream cancels it
      return new ModernSdkError(SDK_CODES.RequestTimeout, 'Request timed out', { timeout: timeoutMs });
    };
    return this.pending.wait(
      id,
      timeoutMs,
      () => transport.send(message as JSONRPCMessage, { cancel }),
      timedOut,
      (raw) => decodeModern(method, raw, problem),
    );
  }

  /** The SDK's Multi Round-Trip driver: fulfil each ask, go again with the answers, at most 10 rounds. */
  private async withInput(method: string, params: Shape, timeoutMs: number): Promise<Shape> {
    let decoded = await this.leg(method, params, timeoutMs, modernCallToolProblem);
    for (let round = 1; decoded.kind === 'input'; round += 1) {
      if (round > MAX_INPUT_ROUNDS) {
        throw new ModernSdkError(
          SDK_CODES.InputRequiredRoundsExceeded,
          `Multi-round-trip request '${method}' still required input after ${MAX_INPUT_ROUNDS} rounds (inputRequired.maxRounds)`,
        );
      }
      const asks = Object.entries(decoded.inputRequests);
      const retry: Shape = { ...params };
      if (asks.length > 0)
        retry.inputResponses = Object.fromEntries(
          asks.map(([key, ask]) => [key, fulfilInput(key, ask, this.options.onInputRequest)]),
        );
      else await new Promise((resolve) => setTimeout(resolve, STATE_ONLY_PACING_MS));
      if (decoded.requestState !== undefined) retry.requestState = decoded.requestState;
      decoded = await this.leg(method, retry, timeoutMs, modernCallToolProblem);
    }
    return decoded.result;
  }

  private receive(message: Shape): void {
    if (typeof message.method === 'string') {
      // A request from the server: ping is answered; nothing else is offered outside a Multi Round-Trip.
      if (message.id !== undefined) {
        this.transport?.send(serverRequestAnswer(message)).catch(() => undefined);
        return;
      }
      if (message.method !== 'notifications/subscriptions/acknowledged') return;
      const meta = (message.params as { _meta?: Shape } | undefined)?._meta;
      if (this.listening && meta?.[SUBSCRIPTION_ID_META_KEY] === this.listening.id) this.listening.ack();
      return;
    }
    const id = message.id;
    const error = message.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
    if (this.listening && id === this.listening.id) {
      this.listening.fail(error ? protocolErrorOf(error) : listenClosedEarly());
      return;
    }
    const entry = this.pending.answered(id);
    if (!entry) return;
    if (error !== undefined) entry.reject(protocolErrorOf(error));
    else entry.resolve(message.result);
  }

  /** The transport closed: every call still waiting fails as the SDK's do (ConnectionClosed). */
  private closed(): void {
    this.transport = null;
    this.listening?.fail(new ModernSdkError(SDK_CODES.ConnectionClosed, 'Connection closed'));
    this.pending.failAll(() => new ModernSdkError(SDK_CODES.ConnectionClosed, 'Connection closed'));
  }
}
