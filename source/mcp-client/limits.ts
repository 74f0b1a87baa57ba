/**
 * Bounds on what a server controls. A server can send anything, as fast and as long as it likes: each
 * bound keeps one session's memory flat, and a breach ends that session (DELETEd) under its own kind.
 * Documented in docs/faults.md.
 */

/** One answer: a JSON body, or one event (or line) of an event stream. @default 16 MiB */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** Bytes an event stream may carry without completing an event (keep-alive comments, junk). @default 16 MiB */
export const MAX_STREAM_BYTES_WITHOUT_EVENT = 16 * 1024 * 1024;

/**
 * A GET stream with no event for this long is closed and reopened (a quiet stream is legal, so this is
 * not an error: it only stops one socket from being held forever by a server that stopped talking).
 * @default 5 minutes
 */
export const GET_STREAM_QUIET_MS = 5 * 60 * 1000;

/** One line of a stdio server's stderr; the rest of a longer line is cut. @default 4096 characters */
export const MAX_STDERR_LINE_CHARS = 4096;

/** The kinds a breached bound is reported under. */
export type LimitKind = 'answer-too-large' | 'stream-idle';

/** A server went past a bound: the session that met it is ended. */
export class LimitError extends Error {
  constructor(
    readonly kind: LimitKind,
    message: string,
  ) {
    super(message);
    this.name = 'LimitError';
  }
}

/** A GET stream quiet for GET_STREAM_QUIET_MS: closed and reopened, not an error. */
export class QuietStreamError extends Error {
  constructor() {
    super(`GET stream: no event for ${GET_STREAM_QUIET_MS / 1000} s, reopened`);
    this.name = 'QuietStreamError';
  }
}

export const mebibytes = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;
