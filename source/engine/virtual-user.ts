import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IntervalRecorder } from '../metrics/recorder.js';
import type { OpenSession, SessionFactory } from '../mcp-client/open-session.js';
import { classifyError, type ErrorKind } from '../mcp-client/error-kind.js';
import { scheduleLagMs } from '../metrics/schedule-lag.js';
import { pickRevision } from '../config/protocol-mix-entry.js';
import type { ProtocolRevision } from '../mcp-client/protocol-era.js';
import { pickTool, uniform, type ShardWorkload } from './shard-workload.js';

/** Where a virtual user is in its session's life. */
export type UserState = 'arriving' | 'connecting' | 'active' | 'calling' | 'closing' | 'retired';

export interface UserContext {
  /** Open model: make one session, then leave (no jitter, no retry, no replacement). */
  readonly once?: boolean;
  /** Open model: when the arrival was due by the schedule (performance.now() ms), however late it starts. */
  readonly intendedAt?: number;
  readonly factory: SessionFactory;
  readonly recorder: IntervalRecorder;
  workload(): ShardWorkload;
  /** Called on every state change so the pool can keep its gauges. */
  onState(user: VirtualUser, from: UserState, to: UserState): void;
  /** Redacts secrets, strips control sequences and then cuts a server's message before it is stored. */
  clean(message: string): string;
  /** Every failure's kind, so that the pool can explain a limit of the generator once. */
  onFailure?(kind: string): void;
  /** Runs a session's close when a slot is free: thousands of DELETEs at once would each open a socket. */
  closeSlot?<T>(close: () => Promise<T>): Promise<T>;
}

/**
 * A tool error's text as the server wrote it (its text parts), so control sequences in it are real
 * characters that stripping removes rather than JSON escapes that would be shown; other content as JSON.
 */
function errorText(content: unknown): string {
  const parts = Array.isArray(content) ? (content as { type?: unknown; text?: unknown }[]) : [];
  const texts = parts.filter((part) => part?.type === 'text' && typeof part.text === 'string');
  return texts.length > 0
    ? texts.map((part) => part.text as string).join(' ')
    : JSON.stringify(content ?? '');
}

/** Back-off after the first failure in a row: 0.5–1.5 s with jitter. */
const BACKOFF_BASE_MS = 1000;
/** The back-off doubles with each failure in a row up to this. */
const BACKOFF_CAP_MS = 30_000;

/** A lost session that had lived this long, or a session that ended by plan, starts the count again. @default 10000 */
const BACKOFF_RESET_MS = 10_000;

/**
 * How long a user waits after its `failures`-th failed session start or lost session in a row: jittered
 * (×0.5–1.5) and doubling, at most 30 s, so that no server is hammered by reconnects. A session that ends
 * as planned, or that lived 10 s before it was lost, starts the count again; calls that succeed in between
 * do not (a server that breaks every session after a few calls still gets a growing pause).
 */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const nominal = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.min(BACKOFF_CAP_MS, nominal * (0.5 + random()));
}

/**
 * One virtual user: a closed loop of MCP sessions. Each session initializes, makes its calls with think
 * time between them, closes on the server, and is replaced until the user is retired.
 */
export class VirtualUser {
  state: UserState = 'arriving';
  session: OpenSession | null = null;
  private retiring = false;
  /** Shutdown ended the session under a call in flight: that call's outcome is not counted. */
  private abandoned = false;
  /** The DELETE that `abandon()` started, which `done` waits for. */
  private ending: Promise<void> | null = null;
  /** Failed session starts and lost sessions since the last call that succeeded. */
  private failures = 0;
  /** The protocol mix's pick for this client (each new session picks again); null without a mix. */
  private revision: ProtocolRevision | null = null;
  private wake: (() => void) | null = null;
  /** Open model: how late this session started against its arrival's schedule; its calls carry it. */
  private lagMs: number | undefined;
  readonly done: Promise<void>;

  constructor(private readonly context: UserContext) {
    this.done = this.run().catch((error: unknown) => {
      this.context.recorder.log('error', `session loop failed: ${this.context.clean(String(error))}`);
      this.setState('retired');
    });
  }

  /** Ends this user after its in-flight call; a thinking or waiting user ends at once. */
  retire(): void {
    this.retiring = true;
    this.wake?.();
  }

  /**
   * Shutdown, once calls in flight had their time: ends the session on the server now (DELETE) even with
   * a call in flight, whose answer will not come. True when a call was cut short.
   */
  abandon(): boolean {
    this.retire();
    const session = this.session;
    if (!session || this.state !== 'calling') return false;
    this.abandoned = true;
    this.session = null;
    this.ending = this.end(session);
    return true;
  }

  get isRetiring(): boolean {
    return this.retiring;
  }

  private setState(to: UserState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.context.onState(this, from, to);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.retiring) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = finish;
    }).then(() => {
      this.wake = null;
    });
  }

  private async waitWhilePaused(): Promise<void> {
    while (this.context.workload().paused && !this.retiring) await this.sleep(100);
  }

  private async run(): Promise<void> {
    if (!this.context.once) await this.sleep(Math.random() * this.context.workload().jitterMs);
    while (!this.retiring) {
      const opened = performance.now();
      const connected = await this.connect();
      const lost = connected ? await this.callLoop() : null;
      if (connected) await this.close(lost);
      if (this.context.once) break;
      if (connected && (!lost || performance.now() - opened >= BACKOFF_RESET_MS)) this.failures = 0;
      if (!connected || lost) this.failures += 1;
      if (this.failures > 0) await this.sleep(backoffMs(this.failures));
    }
    await this.ending;
    this.setState('retired');
  }

  private async connect(): Promise<boolean> {
    this.setState('connecting');
    const started = performance.now();
    const { intendedAt } = this.context;
    if (intendedAt !== undefined && this.lagMs === undefined) {
      this.lagMs = scheduleLagMs(intendedAt, started);
      this.context.recorder.recordArrival(this.lagMs);
    }
    const mix = this.context.workload().protocolMix;
    this.revision = mix ? pickRevision(mix) : null;
    try {
      this.session = await this.context.factory.open(this.revision ?? undefined);
      this.context.recorder.recordInitialize(performance.now() - started);
      this.setState('active');
      return true;
    } catch (error) {
      const failure = classifyError(error);
      this.context.onFailure?.(failure.kind);
      this.context.recorder.recordError(failure.kind, `initialize: ${this.context.clean(failure.message)}`);
      this.setState('arriving');
      return false;
    }
  }

  /** Makes the session's calls; the kind of failure that lost the session on the way, or null. */
  private async callLoop(): Promise<ErrorKind | null> {
    const calls = uniform(this.context.workload().sessionCalls);
    for (let made = 0; made < calls && !this.retiring; made += 1) {
      await this.waitWhilePaused();
      if (this.retiring) return null;
      const broken = this.brokenBound();
      if (broken) return broken;
      const lost = await this.callOnce();
      if (lost) return lost;
      if (made + 1 < calls) await this.sleep(uniform(this.context.workload().thinkMs));
    }
    return null;
  }

  /** A bound the server broke between calls (e.g. on its GET stream): counted, and the session is lost. */
  private brokenBound(): ErrorKind | null {
    const error = this.session?.failure();
    if (!error) return null;
    const failure = classifyError(error);
    this.context.recorder.recordError(failure.kind, this.context.clean(failure.message));
    return failure.kind;
  }

  /** Makes one call; the failure's kind when the session is lost and must be replaced, else null. */
  private async callOnce(): Promise<ErrorKind | null> {
    const workload = this.context.workload();
    const { tool } = pickTool(workload.mix);
    const session = this.session!;
    const check = workload.independence?.tool === tool ? workload.independence : undefined;
    const nonce = check ? randomUUID() : undefined;
    const args = check ? { ...workload.args[tool], [check.argument]: nonce } : (workload.args[tool] ?? {});
    this.setState('calling');
    const started = performance.now();
    try {
      const result = await session.callTool(tool, args, workload.timeoutMs);
      const elapsed = performance.now() - started;
      const answer = nonce ? JSON.stringify([result.content, result.structuredContent]) : '';
      const mismatch = nonce !== undefined && !result.isError && !answer.includes(nonce);
      this.recordRevision(elapsed, mismatch || result.isError === true);
      if (mismatch) {
        const message = `${tool}: sent nonce ${nonce}, the answer carried another: ${this.context.clean(answer)}`;
        this.context.recorder.recordCall(tool, elapsed, 'independence', message, this.lagMs);
      } else if (result.isError) {
        // Whole: cut before redaction, a secret straddling the cut would leave a fragment behind.
        const text = errorText(result.content);
        const message = `${tool}: ${this.context.clean(text)}`;
        this.context.recorder.recordCall(tool, elapsed, 'tool-error', message, this.lagMs);
      } else {
        this.context.recorder.recordCall(tool, elapsed, undefined, undefined, this.lagMs);
      }
      return null;
    } catch (error) {
      if (this.abandoned) return null;
      const elapsed = performance.now() - started;
      // A bound broken while the call waited closed the transport: that, not the closing, is the news.
      const failure = classifyError(session.failure() ?? error);
      this.context.onFailure?.(failure.kind);
      const message = `${tool}: ${this.context.clean(failure.message)}`;
      this.recordRevision(failure.kind === 'timeout' ? elapsed : null, true);
      if (failure.kind === 'timeout')
        this.context.recorder.recordCall(tool, elapsed, failure.kind, message, this.lagMs);
      else this.context.recorder.recordFailedCall(tool, failure.kind, message);
      return failure.sessionLost ? failure.kind : null;
    } finally {
      if (this.state === 'calling') this.setState('active');
    }
  }

  /** With a protocol mix, the call counts once more under its client's revision. */
  private recordRevision(ms: number | null, failed: boolean): void {
    if (this.revision) this.context.recorder.recordRevisionCall(this.revision, ms, failed);
  }

  private async close(lost: ErrorKind | null): Promise<void> {
    const session = this.session;
    this.session = null;
    if (!session) return;
    this.setState('closing');
    // Ends the session on the server (DELETE, then the client side) when a slot is free.
    const end = (): Promise<void> =>
      this.context.closeSlot ? this.context.closeSlot(() => session.close()) : session.close();
    if (lost) {
      // The server may still hold it (a reset, a non-MCP answer, a broken bound): end it there if it can
      // be reached (bounded by the request timeout; a 404 costs nothing). The failure that lost it is the
      // one already counted.
      await end().catch(() => undefined);
      this.setState('arriving');
      return;
    }
    await this.end(session);
    this.setState('arriving');
  }

  /** Ends the session on the server (DELETE, then the client side) when a close slot is free. */
  private async end(session: OpenSession): Promise<void> {
    const started = performance.now();
    try {
      await (this.context.closeSlot ? this.context.closeSlot(() => session.close()) : session.close());
      this.context.recorder.recordClose(performance.now() - started);
    } catch (error) {
      const failure = classifyError(error);
      // A session the server already forgot (404 on DELETE) is closed all the same.
      if (failure.kind === 'session-lost') this.context.recorder.recordClose(performance.now() - started);
      else this.context.recorder.recordError(failure.kind, `close: ${this.context.clean(failure.message)}`);
    }
  }
}
