import { StringDecoder } from 'node:string_decoder';
import { MAX_STDERR_LINE_CHARS } from './limits.js';

/** What a stdio server last said on stderr, for the message when it exits before answering. */
export interface StderrTail {
  readonly lastLine: () => string | null;
}

/**
 * Reads a stdio server's stderr line by line, always: a pipe nobody reads fills up, the server blocks on
 * its next write, and its process never closes (the SDK's close then waits on a timer that holds nothing
 * alive). A line longer than MAX_STDERR_LINE_CHARS is cut, so a server that never writes a newline
 * costs no memory.
 */
export function readStderrLines(
  stream: NodeJS.ReadableStream,
  onLine: ((line: string) => void) | undefined,
): StderrTail {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let cut = 0;
  let last: string | null = null;
  const emit = (): void => {
    const line = cut > 0 ? `${partial} … (${cut} characters cut)` : partial;
    partial = '';
    cut = 0;
    last = line;
    onLine?.(line);
  };
  const take = (text: string): void => {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      const room = MAX_STDERR_LINE_CHARS - partial.length;
      const piece = end - start;
      partial += text.slice(start, start + Math.min(room, piece));
      cut += Math.max(0, piece - room);
      if (newline === -1) return;
      if (partial.endsWith('\r')) partial = partial.slice(0, -1);
      emit();
      start = newline + 1;
    }
  };
  stream.on('data', (chunk: Buffer | string) =>
    take(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
  );
  stream.on('end', () => {
    take(decoder.end());
    if (partial || cut) emit();
  });
  stream.on('error', () => undefined);
  return { lastLine: () => last };
}
