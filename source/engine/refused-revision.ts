import { PreflightError } from './preflight-error.js';
import type { ProtocolChoice } from '../mcp-client/protocol-era.js';

/** The revisions a refusal names: `supported` in -32022's data, or listed in its text. */
function supportedRevisions(error: unknown): string[] {
  const data = (error as { data?: unknown }).data as { supported?: unknown; text?: unknown } | undefined;
  if (Array.isArray(data?.supported)) return data.supported.filter((item) => typeof item === 'string');
  const text = `${typeof data?.text === 'string' ? data.text : ''} ${(error as Error)?.message ?? ''}`;
  return [...new Set(text.match(/\d{4}-\d{2}-\d{2}/g) ?? [])];
}

/**
 * A server that refuses the pinned revision: one line naming the revisions it supports, or null when
 * the failure is something else.
 */
export function refusedRevision(error: unknown, protocol: ProtocolChoice | undefined): PreflightError | null {
  if (!protocol || protocol === 'auto') return null;
  const message = (error as Error)?.message ?? String(error);
  const code = (error as { code?: unknown }).code;
  const refused =
    code === -32022 ||
    code === 'ERA_NEGOTIATION_FAILED' ||
    /unsupported protocol version|did not offer pinned protocol version|version negotiation failed/i.test(
      message,
    );
  if (!refused) return null;
  const others = supportedRevisions(error).filter((revision) => revision !== protocol);
  const offered =
    others.length > 0
      ? `it supports ${others.join(', ')}`
      : protocol === '2026-07-28'
        ? 'it does not answer server/discover, so it speaks the 2025 era only (2025-11-25)'
        : 'it names no revision it supports';
  return new PreflightError(
    `--protocol ${protocol}: the server refuses this revision; ${offered}. Pass --protocol auto (or one it supports)`,
  );
}
