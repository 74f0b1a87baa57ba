import type { ProtocolChoice } from './protocol-era.js';

/** The server under test, as every shard needs it (plain data: it crosses into worker threads). */
export type Target =
  | {
      readonly transport: 'streamable-http' | 'sse';
      readonly url: string;
      /** Sent on every request; never shown: see `redactTarget`. */
      readonly headers: Readonly<Record<string, string>>;
      /** Streamable HTTP: hold the long-lived stream per client (one socket each). @default true */
      readonly getStream?: boolean;
      /** Streamable HTTP: the revision spoken; the preflight resolves `auto` once. @default '2025-11-25' */
      readonly protocol?: ProtocolChoice;
    }
  | {
      readonly transport: 'stdio';
      readonly command: string;
      readonly args: readonly string[];
      readonly env?: Readonly<Record<string, string>>;
    };

/** What may be shown on screen, in reports and logs: header values replaced. */
export type RedactedTarget =
  | {
      readonly transport: 'streamable-http' | 'sse';
      readonly url: string;
      readonly headers: Record<string, string>;
    }
  | { readonly transport: 'stdio'; readonly command: string };

export const REDACTED = '[redacted]';

export function redactTarget(target: Target): RedactedTarget {
  if (target.transport === 'stdio') {
    return { transport: 'stdio', command: [target.command, ...target.args].join(' ') };
  }
  const url = new URL(target.url);
  if (url.password) url.password = REDACTED;
  return {
    transport: target.transport,
    url: url.toString(),
    headers: Object.fromEntries(Object.keys(target.headers).map((name) => [name, REDACTED])),
  };
}

/** Removes every secret header value from a message before it is shown or stored. */
export function redactSecrets(text: string, target: Target): string {
  if (target.transport === 'stdio') return text;
  let clean = text;
  for (const value of Object.values(target.headers)) {
    if (value.length >= 4) clean = clean.split(value).join(REDACTED);
    const bearer = /^\s*\S+\s+(\S{4,})\s*$/.exec(value)?.[1];
    if (bearer) clean = clean.split(bearer).join(REDACTED);
  }
  return clean;
}

export function describeTarget(target: RedactedTarget): string {
  return target.transport === 'stdio' ? `stdio: ${target.command}` : `${target.transport}: ${target.url}`;
}
