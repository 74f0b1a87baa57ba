import { REDACTED, ServerText } from './server-text.js';

/** The server under test, as every shard needs it (plain data: it crosses into worker threads). */
export type Target =
  | {
      readonly transport: 'streamable-http' | 'sse';
      readonly url: string;
      /** Sent on every request; never shown: see `redactTarget`. */
      readonly headers: Readonly<Record<string, string>>;
      /** Streamable HTTP: open the optional GET stream per session (one socket each). @default true */
      readonly getStream?: boolean;
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

export { REDACTED };

/** The URL with its password replaced: a password in `--url` is never shown or stored. */
export function redactUrl(text: string): string {
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  if (!url.password) return text;
  url.password = REDACTED;
  return url.toString();
}

export function redactTarget(target: Target): RedactedTarget {
  if (target.transport === 'stdio') {
    return { transport: 'stdio', command: [target.command, ...target.args].join(' ') };
  }
  return {
    transport: target.transport,
    url: redactUrl(target.url),
    headers: Object.fromEntries(Object.keys(target.headers).map((name) => [name, REDACTED])),
  };
}

/** The secrets a target carries: header values (and the token after `Bearer `), a URL's password, env values. */
export function secretsOf(target: Target): string[] {
  if (target.transport === 'stdio') return Object.values(target.env ?? {});
  const secrets: string[] = [];
  for (const value of Object.values(target.headers)) {
    secrets.push(value, value.trim());
    const token = /^\s*\S+\s+(\S+)\s*$/.exec(value)?.[1];
    if (token) secrets.push(token);
  }
  if (URL.canParse(target.url)) {
    const { password } = new URL(target.url);
    if (password) secrets.push(password, safeDecode(password));
  }
  return secrets;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The cleaner of every text that comes from this target: its secrets redacted, control sequences out. */
export function serverTextOf(target: Target): ServerText {
  return new ServerText(secretsOf(target));
}

/** Removes every secret of the target, in every form, from a message before it is shown or stored. */
export function redactSecrets(text: string, target: Target): string {
  return serverTextOf(target).redact(text);
}

export function describeTarget(target: RedactedTarget): string {
  return target.transport === 'stdio' ? `stdio: ${target.command}` : `${target.transport}: ${target.url}`;
}
