import { ModernProtocolError, ModernSdkError, SDK_CODES } from './modern-errors.js';
import { isObject } from './result-shapes.js';

/** The embedded requests a 2026-07-28 `input_required` result may carry (the v2 SDK's list). */
const EMBEDDED_METHODS = ['elicitation/create', 'sampling/createMessage', 'roots/list'];

/** One embedded ask, answered as the tool's SDK client answered it: elicitation declined, no roots. */
export function fulfilInput(key: string, ask: unknown, onInputRequest?: (method: string) => void): unknown {
  const method = (ask as { method?: unknown } | null)?.method;
  if (!isObject(ask) || typeof method !== 'string') {
    throw new ModernSdkError(
      SDK_CODES.InvalidResult,
      `Invalid input request '${key}': each inputRequests entry must be an embedded request object with a method`,
      { key },
    );
  }
  if (!EMBEDDED_METHODS.includes(method)) {
    throw new ModernSdkError(
      SDK_CODES.InvalidResult,
      `Invalid input request '${key}': '${method}' is not an embedded request the 2026-07-28 revision defines (expected elicitation/create, sampling/createMessage, or roots/list)`,
      { key, method },
    );
  }
  if (method === 'sampling/createMessage') {
    throw new ModernSdkError(
      SDK_CODES.CapabilityNotSupported,
      `Cannot fulfil input request '${key}': no handler is registered for '${method}' on this client. Declare the corresponding capability and register a handler, or handle input_required results manually.`,
      { key, method },
    );
  }
  if (method === 'elicitation/create') {
    const problem = elicitationProblem((ask as { params?: unknown }).params);
    // As the SDK's handler validation: an Invalid params error, raised here.
    if (problem) throw new ModernProtocolError(-32602, `Invalid elicitation request: ${problem}`);
  }
  onInputRequest?.(method);
  return method === 'elicitation/create' ? { action: 'decline' } : { roots: [] };
}

/** An elicitation ask the SDK's schema refuses: a form without a message and an object schema, or a bad URL ask. */
function elicitationProblem(params: unknown): string | null {
  if (!isObject(params) || typeof params.message !== 'string') return 'no message';
  if (params.mode === 'url') {
    return typeof params.url === 'string' && typeof params.elicitationId === 'string'
      ? null
      : 'a URL elicitation without a url and an elicitationId';
  }
  const schema = params.requestedSchema;
  if (!isObject(schema) || schema.type !== 'object' || !isObject(schema.properties))
    return 'requestedSchema is not an object schema with properties';
  return null;
}
