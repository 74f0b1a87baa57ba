import { ConfigError } from '../config/config-error.js';
import type { ProtocolMixEntry } from '../config/protocol-mix-entry.js';
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
 * the failure is something else. `flag`: the option that named the revision.
 */
export function refusedRevision(
  error: unknown,
  protocol: ProtocolChoice | undefined,
  flag: '--protocol' | '--protocol-mix' = '--protocol',
): PreflightError | null {
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
  const instead =
    flag === '--protocol'
      ? 'Pass --protocol auto (or one it supports)'
      : `Take ${protocol} out of --protocol-mix`;
  return new PreflightError(`${flag} ${protocol}: the server refuses this revision; ${offered}. ${instead}`);
}

/** A live protocol mix may weigh only the revisions checked against the server at the start. */
export function checkProtocolMix(
  mix: readonly ProtocolMixEntry[] | undefined,
  checked: readonly string[] | undefined,
): void {
  if (!mix || !checked) return;
  const unchecked = mix.filter((entry) => entry.weight > 0 && !checked.includes(entry.revision));
  if (unchecked.length === 0) return;
  const names = unchecked.map((entry) => entry.revision).join(', ');
  throw new ConfigError(
    `--protocol-mix: ${names} was not checked against the server at the start (checked: ${checked.join(', ')}); restart with it in --protocol-mix (weight 0 keeps it idle until turned up)`,
  );
}
