import { stripVTControlCharacters } from 'node:util';

/** What replaces a secret wherever it would be shown or stored. */
export const REDACTED = '[redacted]';

/** The longest server message kept for the event log, an error's last message or a report, in characters. */
export const SERVER_TEXT_MAX = 300;

/** Secrets shorter than this are not searched for: redacting `ab` everywhere would garble every message. */
const MIN_SECRET_LENGTH = 4;

const json = (text: string): string => JSON.stringify(text).slice(1, -1);
const url = (text: string): string => encodeURIComponent(text);
const urlLower = (text: string): string => url(text).replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase());
const form = (text: string): string => url(text).replace(/%20/g, '+');

/**
 * Every form a secret takes once a server echoes it: raw, JSON-escaped (once and twice, as when a tool's
 * text holding JSON is itself put in JSON), URL-encoded (either case of hex, `+` for space), and mixes.
 */
export function secretForms(secret: string): string[] {
  let forms = new Set([secret]);
  for (let depth = 0; depth < 2; depth += 1) {
    const next = new Set(forms);
    for (const form_ of forms) for (const encode of [json, url, urlLower, form]) next.add(encode(form_));
    forms = next;
  }
  // Longest first: a form that contains another (the JSON-escaped `\"` holds the raw `"`) goes whole.
  return [...forms].filter((form_) => form_.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Bidirectional overrides and isolates reorder what a terminal shows ("Trojan Source"). */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
/** C0 and C1 controls and DEL; tab and newline are turned into spaces, not dropped. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Removes what a terminal would act on rather than show: CSI, OSC (window title, hyperlinks), DCS and other
 * ESC sequences (Node's `stripVTControlCharacters`, the `ansi-regex` pattern), then every C0/C1 control it
 * leaves (a bare `\r` or backspace fakes a line, a single-byte CSI `\x9b` or OSC `\x9d` starts a sequence)
 * and bidi overrides. Newlines and tabs become spaces: a server's message is one line.
 */
export function stripControlSequences(text: string): string {
  return stripVTControlCharacters(text)
    .replace(/[\t\n]/g, ' ')
    .replace(CONTROLS, '')
    .replace(BIDI, '');
}

/** Cuts to `max` characters, marking the cut, without leaving half of a surrogate pair. */
export function cutText(text: string, max: number = SERVER_TEXT_MAX): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 2] ?? '') ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Cleans text that came from a server (or was built around it) before it is shown or stored: secrets out in
 * every form, terminal control sequences out, then cut. Redaction runs again after stripping, so a secret
 * split by escape codes (`tok\x1b[0men`) is caught once they are gone; nothing is cut before redaction.
 */
export class ServerText {
  private readonly forms: readonly string[];

  constructor(secrets: Iterable<string>) {
    const all = new Set<string>();
    for (const secret of secrets) for (const form_ of secretForms(secret)) all.add(form_);
    this.forms = [...all].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let clean = text;
    for (const form_ of this.forms) if (clean.includes(form_)) clean = clean.split(form_).join(REDACTED);
    return clean;
  }

  /** Redact → strip → redact → cut. */
  clean(text: string, max: number = SERVER_TEXT_MAX): string {
    return cutText(this.redact(stripControlSequences(this.redact(text))), max);
  }
}
