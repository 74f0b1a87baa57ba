import { readFileSync } from 'node:fs';
import { LimitError } from './limits.js';
import { isRpcError, RPC_CODES } from './rpc-error.js';
import { isServerSent } from './server-errors.js';

/** JSON-RPC errors of the 2026-07-28 revision that get a kind of their own. */
const JSONRPC_KINDS: Readonly<Record<number, string>> = {
  [-32022]: 'unsupported-protocol-version',
  [-32020]: 'header-mismatch',
  [-32021]: 'missing-client-capability',
};

/**
 * Error kinds as the report names them: `connect-refused`, `connect-reset`, `connect-failed`,
 * `http-<status>`, `jsonrpc-<code>` (see `jsonRpcKind`), `tool-error`, `timeout`, `session-lost`,
 * `protocol`, `answer-too-large`, `stream-idle`, `command-not-found`, `server-exited`, `other`, and the
 * generator's own limits `generator-fd-limit` and `generator-port-limit`. Listed in docs/faults.md.
 */
export type ErrorKind = string;

export interface ClassifiedError {
  readonly kind: ErrorKind;
  readonly message: string;
  /** The session can no longer be used: start a new one (spec: HTTP 404 on a session id). */
  readonly sessionLost: boolean;
}

const NETWORK_KINDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connect-refused',
  ECONNRESET: 'connect-reset',
  EPIPE: 'connect-reset',
  UND_ERR_SOCKET: 'connect-reset',
  UND_ERR_CLOSED: 'connect-reset',
  ENOTFOUND: 'connect-failed',
  EAI_AGAIN: 'connect-failed',
  EHOSTUNREACH: 'connect-failed',
  ENETUNREACH: 'connect-failed',
  ETIMEDOUT: 'connect-failed',
  EADDRNOTAVAIL: 'generator-port-limit',
  EMFILE: 'generator-fd-limit',
  ENFILE: 'generator-fd-limit',
  UND_ERR_CONNECT_TIMEOUT: 'connect-failed',
};

/** The kinds that are the generator's own limits, not the target's failures. */
export const GENERATOR_LIMIT_KINDS: ReadonlySet<ErrorKind> = new Set([
  'generator-fd-limit',
  'generator-port-limit',
]);

const NETWORK_CODE_IN_TEXT = new RegExp(`\\b(${Object.keys(NETWORK_KINDS).join('|')})\\b`);

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_KINDS[code]) return code;
    current = (current as { cause?: unknown }).cause;
  }
  // The SDK's SSE transport keeps only the text of the network error ("SSE error: connect ECONNREFUSED").
  // Only for an error with no status of its own: an HTTP error's body may quote anything.
  const status = (error as { code?: unknown }).code;
  if (!(error instanceof Error) || isRpcError(error) || typeof status === 'number') return undefined;
  return NETWORK_CODE_IN_TEXT.exec(error.message)?.[1];
}

/**
 * A JSON-RPC error code as a kind: `jsonrpc-32000` for -32000 (JSON-RPC's codes are negative; the sign
 * is dropped so that the kind reads well), `jsonrpc+5` for a positive code.
 */
export function jsonRpcKind(code: number): ErrorKind {
  return code < 0 ? `jsonrpc-${-code}` : `jsonrpc+${code}`;
}

/** A stdio server's command that could not be started (spawn ENOENT). */
function isMissingCommand(error: unknown): boolean {
  const failure = error as { code?: unknown; syscall?: unknown };
  return (
    failure.code === 'ENOENT' && typeof failure.syscall === 'string' && failure.syscall.startsWith('spawn')
  );
}

/** A stdio server that ended before it answered: its exit code or signal is the news. */
export class ServerExitedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerExitedError';
  }
}

/** The generator's open-file limit (`ulimit -n`), from /proc on Linux; null elsewhere. */
function openFileLimit(): string | null {
  try {
    return /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Read up front: once the limit is hit, reading /proc needs a descriptor there is none left for. */
const OPEN_FILE_LIMIT = openFileLimit();

/** What to do when the generator itself hit a limit of this machine; null for the server's errors. */
export function limitHint(kind: ErrorKind): string | null {
  if (kind === 'generator-fd-limit') {
    const limit = OPEN_FILE_LIMIT;
    return (
      `the generator ran out of file descriptors${limit ? ` (ulimit -n is ${limit})` : ''}: each session ` +
      'holds a socket, two with its GET stream; raise it (ulimit -n 65536) or pass --no-get-stream'
    );
  }
  if (kind === 'generator-port-limit') {
    return (
      'the generator ran out of local ports (net.ipv4.ip_local_port_range; sockets in TIME_WAIT hold ' +
      'theirs for a minute): pass --no-get-stream, widen the range, or run agents on more machines'
    );
  }
  return null;
}

/** The v2 SDK's `SdkErrorCode` values this tool gives a kind of its own. */
const SDK_KINDS: Readonly<Record<string, { kind: string; sessionLost: boolean }>> = {
  REQUEST_TIMEOUT: { kind: 'timeout', sessionLost: false },
  CONNECTION_CLOSED: { kind: 'session-lost', sessionLost: true },
  NOT_CONNECTED: { kind: 'session-lost', sessionLost: true },
  INPUT_REQUIRED_ROUNDS_EXCEEDED: { kind: 'input-required-rounds', sessionLost: false },
  ERA_NEGOTIATION_FAILED: { kind: 'era-negotiation', sessionLost: true },
};

/**
 * The v2 SDK's errors (`SdkHttpError`, `SdkError`, `ProtocolError`), told apart by shape rather than by
 * class, so that a 2025-era worker does not load the v2 package: an HTTP status in `data`, a string
 * `code`, or a negative (JSON-RPC) numeric `code`.
 */
function classifyV2(error: unknown, message: string): ClassifiedError | null {
  const { code, data, name } = (error ?? {}) as {
    code?: unknown;
    data?: { status?: unknown };
    name?: unknown;
  };
  if (typeof code === 'string' && code.startsWith('CLIENT_HTTP_') && typeof data?.status === 'number') {
    const status = data.status;
    if (status === 404) return { kind: 'session-lost', message, sessionLost: true };
    if (status === -1) return { kind: 'protocol', message, sessionLost: true };
    return { kind: `http-${status}`, message, sessionLost: status === 400 };
  }
  if (typeof code === 'string' && SDK_KINDS[code] && name !== undefined)
    return { ...SDK_KINDS[code], message };
  // A JSON-RPC error code; the 1.x transport's own errors carry -1 or an HTTP status instead.
  if (typeof code === 'number' && code < -1 && !isRpcError(error)) {
    const kind = JSONRPC_KINDS[code] ?? jsonRpcKind(code);
    return { kind, message, sessionLost: code === -32022 };
  }
  return null;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? text;
}

/** Sorts a failure into its kind, with a one-line message. */
export function classifyError(error: unknown): ClassifiedError {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (error instanceof LimitError) return { kind: error.kind, message, sessionLost: true };
  if (error instanceof ServerExitedError) return { kind: 'server-exited', message, sessionLost: true };
  // The server's own answer, whatever its code: the session is alive.
  if (isServerSent(error)) return { kind: jsonRpcKind(error.code), message, sessionLost: false };
  if (isMissingCommand(error)) {
    const path = (error as { path?: unknown }).path;
    return {
      kind: 'command-not-found',
      message: `no such command${typeof path === 'string' ? ` "${path}"` : ''}: is it installed and on PATH?`,
      sessionLost: true,
    };
  }
  const code = networkCode(error);
  if (code) {
    const kind = NETWORK_KINDS[code] ?? 'connect-failed';
    const hint = limitHint(kind);
    return { kind, message: hint ? `${message}: ${hint}` : message, sessionLost: true };
  }
  const v2 = classifyV2(error, message);
  if (v2) return v2;
  if (isRpcError(error)) {
    if (error.code === RPC_CODES.RequestTimeout) return { kind: 'timeout', message, sessionLost: false };
    if (error.code === RPC_CODES.ConnectionClosed)
      return { kind: 'session-lost', message, sessionLost: true };
    return { kind: JSONRPC_KINDS[error.code] ?? jsonRpcKind(error.code), message, sessionLost: false };
  }
  const status = (error as { code?: unknown }).code;
  if (typeof status === 'number' && status >= 100 && status < 600) {
    if (status === 404) return { kind: 'session-lost', message, sessionLost: true };
    // A 5xx or 429 says nothing about the session: keep it, a 404 on the next call will tell if it is gone.
    return { kind: `http-${status}`, message, sessionLost: status === 400 };
  }
  if (error instanceof SyntaxError || /invalid|unexpected content type|parse/i.test(message)) {
    return { kind: 'protocol', message, sessionLost: true };
  }
  if (/aborted|timed out/i.test(message)) return { kind: 'timeout', message, sessionLost: false };
  if (/not connected|connection closed/i.test(message))
    return { kind: 'session-lost', message, sessionLost: true };
  return { kind: 'other', message, sessionLost: true };
}
