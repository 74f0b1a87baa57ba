/**
 * The `_meta` key of the protocol version (the v2 SDK's `PROTOCOL_VERSION_META_KEY`; a test checks they
 * agree), written here so that a 2025-era worker does not load the v2 package at all.
 */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

/** The MCP revisions this tool speaks: the 2025 era (initialize, sessions) and the 2026 era (stateless). */
export const PROTOCOL_REVISIONS = ['2025-11-25', '2026-07-28'] as const;
export type ProtocolRevision = (typeof PROTOCOL_REVISIONS)[number];
/** `auto` probes the server once with `server/discover` and falls back to the 2025 handshake. */
export type ProtocolChoice = 'auto' | ProtocolRevision;

/** What a 2026-era client declares: a server may ask (Multi Round-Trip Requests); every ask is declined. */
export const MODERN_CAPABILITIES = { elicitation: {}, roots: {} } as const;

export const LEGACY_REVISION: ProtocolRevision = '2025-11-25';
export const MODERN_REVISION: ProtocolRevision = '2026-07-28';

/** A revision of the 2026 era or later: no initialize, no session, per-request `_meta`. */
export function isModernRevision(version: string | undefined): boolean {
  return typeof version === 'string' && version >= MODERN_REVISION;
}

/** The body field that `Mcp-Name` mirrors, per method (2026-07-28, Streamable HTTP binding). */
const NAME_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** Header values must be visible ASCII; anything else travels base64 between the spec's sentinels (as the SDK). */
function headerValue(value: string): string {
  const plain =
    value !== '' &&
    value.trim() === value &&
    !(value.startsWith('=?base64?') && value.endsWith('?=')) &&
    /^[\t\x20-\x7e]*$/.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * The per-request headers of the 2026-07-28 revision, derived from the message as the v2 SDK's transport
 * does: `MCP-Protocol-Version` and `Mcp-Method` on a request whose `_meta` names the revision, and
 * `Mcp-Name` where the method mirrors a name. Null for a 2025-era message (no such headers there).
 */
export function modernRequestHeaders(message: unknown): Record<string, string> | null {
  const { method, params, id } = message as { method?: unknown; params?: unknown; id?: unknown };
  if (typeof method !== 'string' || id === undefined || !params || typeof params !== 'object') return null;
  const meta = (params as { _meta?: Record<string, unknown> })._meta;
  const version = meta?.[PROTOCOL_VERSION_META_KEY];
  if (typeof version !== 'string') return null;
  const headers: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': method };
  const field = Object.hasOwn(NAME_SOURCE, method) ? NAME_SOURCE[method] : undefined;
  const name = field ? (params as Record<string, unknown>)[field] : undefined;
  if (typeof name === 'string') headers['mcp-name'] = headerValue(name);
  return headers;
}
