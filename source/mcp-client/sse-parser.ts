/** One server-sent event, as the SDK's transports read them. */
export interface SseEvent {
  /** `message` when the server named none. */
  readonly event: string;
  readonly data: string;
  /** The id this event set, if any. */
  readonly id: string | undefined;
}

import { LimitError, MAX_ANSWER_BYTES, mebibytes } from './limits.js';

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;

/**
 * Parses a `text/event-stream` body chunk by chunk, straight from Buffers: no TextDecoderStream and no web
 * streams (they cost more per call than the whole rest of a tool call). Lines end in LF or CRLF; a
 * partial line waits for the next chunk, so a UTF-8 character split across chunks is decoded whole.
 */
export class SseParser {
  /** The start of a line not yet ended, in the chunks it came in (joined once, when its end comes). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private data = '';
  private hasData = false;
  private event = '';
  private id: string | undefined;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onRetry?: (ms: number) => void,
    /** The longest line, and the most data one event may hold. @default MAX_ANSWER_BYTES */
    private readonly maxEventBytes = MAX_ANSWER_BYTES,
    /** Every id the stream sets, data-less priming events included (what resuming needs). */
    private readonly onId?: (id: string) => void,
  ) {}

  /** Throws a `LimitError` (`answer-too-large`) when a line or an event grows past `maxEventBytes`. */
  push(chunk: Buffer): void {
    if (this.pendingBytes > 0 && chunk.indexOf(LF) === -1) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.checkSize(this.pendingBytes);
      return;
    }
    const buffer = this.pendingBytes > 0 ? Buffer.concat([...this.pending, chunk]) : chunk;
    this.pending = [];
    this.pendingBytes = 0;
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(LF, start);
      if (newline === -1) break;
      const end = newline > start && buffer[newline - 1] === CR ? newline - 1 : newline;
      this.line(buffer, start, end);
      start = newline + 1;
    }
    if (start < buffer.length) {
      this.pending = [buffer.subarray(start)];
      this.pendingBytes = buffer.length - start;
      this.checkSize(this.pendingBytes);
    }
  }

  private checkSize(bytes: number): void {
    if (bytes + this.data.length > this.maxEventBytes) {
      throw new LimitError(
        'answer-too-large',
        `an event-stream event or line over ${mebibytes(this.maxEventBytes)}`,
      );
    }
  }

  private line(buffer: Buffer, start: number, end: number): void {
    if (start === end) {
      this.dispatch();
      return;
    }
    if (buffer[start] === COLON) return; // a comment (keep-alive)
    let colon = buffer.indexOf(COLON, start);
    if (colon === -1 || colon > end) colon = end;
    const field = buffer.toString('latin1', start, colon);
    let from = colon + 1;
    if (from < end && buffer[from] === SPACE) from += 1;
    const value = colon === end ? '' : buffer.toString('utf8', from, end);
    switch (field) {
      case 'data':
        this.data = this.hasData ? `${this.data}\n${value}` : value;
        this.hasData = true;
        this.checkSize(0);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.id = value;
          this.onId?.(value);
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry?.(Number(value));
        break;
    }
  }

  private dispatch(): void {
    // As in the spec, an event without data (a priming event carrying only an id) is not dispatched.
    if (this.data !== '') this.onEvent({ event: this.event || 'message', data: this.data, id: this.id });
    this.data = '';
    this.hasData = false;
    this.event = '';
    this.id = undefined;
  }
}
