import { errorAnswerFields } from './rpc-error.js';

/**
 * The v2 SDK's error shapes (`SdkError`, `SdkHttpError`, `ProtocolError`: name, `code`, `data`, message),
 * without loading the v2 package: the lean 2026-07-28 client raises these, and error-kind.ts sorts them by
 * shape, as it sorts the SDK's own. test/lean-modern-client.test.ts holds kinds and messages to the SDK's.
 */

/** `SdkErrorCode` values the lean client raises. */
export const SDK_CODES = {
  RequestTimeout: 'REQUEST_TIMEOUT',
  ConnectionClosed: 'CONNECTION_CLOSED',
  NotConnected: 'NOT_CONNECTED',
  InvalidResult: 'INVALID_RESULT',
  UnsupportedResultType: 'UNSUPPORTED_RESULT_TYPE',
  CapabilityNotSupported: 'CAPABILITY_NOT_SUPPORTED',
  InputRequiredRoundsExceeded: 'INPUT_REQUIRED_ROUNDS_EXCEEDED',
  HttpNotImplemented: 'CLIENT_HTTP_NOT_IMPLEMENTED',
} as const;

/** As the SDK's `SdkError`: a local failure with a string code. */
export class ModernSdkError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'SdkError';
  }
}

/** As the SDK's `SdkHttpError`: the status in `data`, the answer's body as `data.text`. */
export class ModernHttpError extends ModernSdkError {
  constructor(status: number, message: string, body: string) {
    super(SDK_CODES.HttpNotImplemented, message, { status, statusText: '', text: body });
    this.name = 'SdkHttpError';
  }
}

/** As the SDK's `ProtocolError`: the server's JSON-RPC error answer, its message as it sent it. */
export class ModernProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** The transport's HTTP failures on a lean 2026-07-28 client (the `httpError` option). */
export const leanModernHttpError = (status: number, message: string, body: string): Error =>
  new ModernHttpError(status, message, body);

/** A JSON-RPC error answer as the SDK raises it (code and message read as the lean 2025 client reads them). */
export function protocolErrorOf(error: {
  code?: unknown;
  message?: unknown;
  data?: unknown;
}): ModernProtocolError {
  const { code, text } = errorAnswerFields(error);
  return new ModernProtocolError(code, text, error?.data);
}
