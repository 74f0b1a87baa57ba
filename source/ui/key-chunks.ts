import type { Key } from 'ink';

/** One key of a chunk: what `useInput` would have passed had it arrived alone. */
export interface KeyPress {
  readonly input: string;
  readonly key: Key;
}

/**
 * Splits a chunk of keys that arrived in one read (pasted, typed fast, or over SSH) into single presses:
 * printable characters one by one, CR/LF as Enter, DEL/BS as Backspace, Tab as Tab. Ink passes such a
 * chunk as one `input` with no key flags, so `3000\r` would otherwise be neither digits nor Enter.
 * A single key, or one with Ctrl/Meta, passes through unchanged.
 */
export function splitChunk(input: string, key: Key): readonly KeyPress[] {
  if (input.length <= 1 || key.ctrl || key.meta) return [{ input, key }];
  const none = Object.fromEntries(Object.keys(key).map((name) => [name, false])) as unknown as Key;
  const presses: KeyPress[] = [];
  for (const char of input) {
    if (char === '\r' || char === '\n') presses.push({ input: '', key: { ...none, return: true } });
    else if (char === '\x7f' || char === '\b') presses.push({ input: '', key: { ...none, backspace: true } });
    else if (char === '\t') presses.push({ input: '', key: { ...none, tab: true } });
    else if (char >= ' ' && char !== '\x7f') presses.push({ input: char, key: none });
    // Other control characters inside a chunk are dropped: they are no key of ours.
  }
  return presses;
}
