import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { LeanSendOptions, LeanTransportOptions } from './lean-transport-options.js';
import { isModernRevision, MODERN_REVISION, PROTOCOL_VERSION_META_KEY } from './protocol-era.js';
import { HttpStatusError } from './rpc-error.js';
import { ServerSentData } from './server-errors.js';
import { LeanStreamableHttpTransport } from './streamable-http-transport.js';

/**
 * `--protocol auto` without the v2 SDK where the server is of the 2025 era: the run's one `server/discover`
 * probe is sent here, on the lean transport, exactly as the v2 `Client` sends it. Where the SDK would
 * surely fall back to the 2025 handshake, the lean 2025 client takes over and the v2 package is never
 * loaded (about 0.12 CPU-s and 600 KB of code per run). Anything else goes to the SDK's own negotiation
 * with the probe's outcome replayed (`PrimedTransport`): the server sees the probes it would have seen
 * (one, or two where the SDK retries with a revision a refusal offered), and the SDK still decides, with
 * its own errors.
 */

/** What the probe saw. */
export type ProbeOutcome =
  | { readonly kind: 'message'; readonly message: Readonly<Record<string, unknown>> }
  | { readonly kind: 'http'; readonly status: number; readonly message: string; readonly body: string }
  | { readonly kind: 'failed'; readonly error: Error }
  | { readonly kind: 'timeout'; readonly timeoutMs: number };

/** The v2 SDK's `UNSUPPORTED_PROTOCOL_VERSION` code. */
const UNSUPPORTED_PROTOCOL_VERSION = -32022;
const PROBE_ID = 0;

/** The probe request as the v2 `Client` builds it (`buildProbeRequest`; test/lean-probe.test.ts compares). */
export function probeRequest(
  clientInfo: Readonly<Record<string, unknown>>,
  capabilities: Readonly<Record<string, unknown>>,
  id: number = PROBE_ID,
): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'server/discover',
    params: {
      _meta: {
        [PROTOCOL_VERSION_META_KEY]: MODERN_REVISION,
        'io.modelcontextprotocol/clientInfo': clientInfo,
        'io.modelcontextprotocol/clientCapabilities': capabilities,
      },
    },
  };
}

/** Sends the probe and waits for its answer, at most `timeoutMs`. Never throws. */
export function probe(
  transport: LeanStreamableHttpTransport,
  request: Record<string, unknown>,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      transport.onmessage = undefined;
      transport.onclose = undefined;
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ kind: 'timeout', timeoutMs }), timeoutMs);
    transport.onmessage = (message) => {
      const answer = message as Record<string, unknown>;
      if (answer.id === request.id && !('method' in answer)) done({ kind: 'message', message: answer });
    };
    transport.onclose = () =>
      done({ kind: 'failed', error: new Error('Connection closed during the version negotiation probe') });
    transport
      .start()
      .then(() => transport.send(request as JSONRPCMessage))
      .catch((error: unknown) => {
        if (error instanceof HttpStatusError && error.body !== undefined) {
          done({ kind: 'http', status: error.code, message: error.detail, body: error.body });
        } else done({ kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
      });
  });
}

/** A JSON-RPC error's code and data, from an answer or an HTTP error's body; null if it is none. */
function rpcError(value: unknown): { code: unknown; data: unknown } | null {
  const error = (value as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return null;
  const data = (error as { data?: unknown }).data;
  // An answer's error comes marked as the server's (server-errors.ts).
  return {
    code: (error as { code?: unknown }).code,
    data: data instanceof ServerSentData ? data.data : data,
  };
}

/** A list of revisions (`supported`, `supportedVersions`) that names one of the 2026 era or later. */
function namesModern(versions: unknown): boolean {
  return Array.isArray(versions) && versions.some((v) => typeof v === 'string' && isModernRevision(v));
}

/** An "unsupported protocol version" refusal that names a revision of the 2026 era or later. */
function offersModern(error: { code: unknown; data: unknown }): boolean {
  return (
    error.code === UNSUPPORTED_PROTOCOL_VERSION &&
    namesModern((error.data as { supported?: unknown } | null)?.supported)
  );
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/**
 * True only where the v2 SDK's negotiation (`classifyProbeOutcome`, mode `auto`) falls back to the 2025
 * handshake whatever else it knows: an error answer that offers no 2026-era revision; a result that lists
 * none; an HTTP refusal other than 401, 403 or 5xx whose body offers none. Everything else is the SDK's.
 */
export function clearlyLegacy(outcome: ProbeOutcome): boolean {
  if (outcome.kind === 'message') {
    const error = rpcError(outcome.message);
    if (error) return !offersModern(error);
    return !namesModern(
      (outcome.message.result as { supportedVersions?: unknown } | null)?.supportedVersions,
    );
  }
  if (outcome.kind === 'http') {
    if (outcome.status === 401 || outcome.status === 403 || outcome.status >= 500) return false;
    const error = rpcError(parsed(outcome.body));
    return !(error && offersModern(error));
  }
  return false;
}

/**
 * The lean transport with the probe's outcome replayed to the SDK's own probe: its first `server/discover`
 * gets the answer (or the failure) the server already gave, instead of a second request.
 */
export class PrimedTransport extends LeanStreamableHttpTransport {
  constructor(
    options: LeanTransportOptions,
    private replay: JSONRPCMessage | Error | null,
  ) {
    super(options);
  }

  override send(message: JSONRPCMessage, options?: LeanSendOptions): Promise<void> {
    const replay = this.replay;
    if (
      replay === null ||
      !('method' in message) ||
      message.method !== 'server/discover' ||
      !('id' in message)
    ) {
      return super.send(message, options);
    }
    this.replay = null;
    if (replay instanceof Error) return Promise.reject(replay);
    // As the probe's transport gave it to the probe (an error's data marked as the server's, or not).
    const answer = { ...replay, id: message.id } as JSONRPCMessage;
    queueMicrotask(() => this.onmessage?.(answer));
    return Promise.resolve();
  }
}
