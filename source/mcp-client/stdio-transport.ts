import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { endGroup, signalGroup, trackGroup } from './process-group.js';

export interface StdioServerOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** How long a server has to exit on its own once its stdin is closed, before its group gets SIGTERM, ms. */
const STDIN_GRACE_MS = 1000;

/**
 * The client side of a stdio session: one server process per session, in a process group of its own.
 * Closing ends stdin, then signals the whole group (SIGTERM, then SIGKILL), so a server behind a wrapper
 * (`sh -c …`) that ignores SIGTERM or stdin closing does not outlive its session.
 */
export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child: ChildProcess | null = null;
  private readonly readBuffer = new ReadBuffer();
  private ending: Promise<void> | null = null;
  private closed = false;
  private readonly stderrStream = new PassThrough();
  private exited: string | null = null;

  constructor(private readonly server: StdioServerOptions) {}

  /** The server process's id once started (the leader of its process group). */
  /** How the server exited (`code 1`, `signal SIGKILL`), or null while it runs. */
  get exitStatus(): string | null {
    return this.exited;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The server's stderr; readable before `start()` so that no early line is lost. */
  get stderr(): Readable {
    return this.stderrStream;
  }

  start(): Promise<void> {
    if (this.child) return Promise.reject(new Error('stdio transport already started'));
    const child = spawn(this.server.command, [...this.server.args], {
      env: this.server.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => {
        trackGroup(child);
        resolve();
      });
      // The session is over when the server exits: what it left running in its group goes too.
      child.once('exit', (code, signal) => {
        this.exited = signal ? `signal ${signal}` : `code ${code}`;
        void this.end();
      });
      child.once('close', () => this.finish());
      child.stderr?.pipe(this.stderrStream);
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        try {
          this.readBuffer.append(chunk);
        } catch (error) {
          // An answer larger than the buffer's bound: this session is over.
          this.onerror?.(error as Error);
          void this.end();
          return;
        }
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.readBuffer.readMessage();
          } catch (error) {
            this.onerror?.(error as Error);
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.ending) return Promise.reject(new Error('Not connected'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends stdin, then the process group; resolves when none of its processes is left. */
  close(): Promise<void> {
    return this.end();
  }

  private end(): Promise<void> {
    this.ending ??= this.endGroup();
    return this.ending;
  }

  private async endGroup(): Promise<void> {
    const child = this.child;
    const pid = child?.pid;
    if (!child || pid === undefined) return this.finish();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, STDIN_GRACE_MS)))]);
      clearTimeout(timer);
    }
    // Even after the server exited, processes it started in its group may hold on.
    await endGroup(pid);
    // A process outside the group that still holds the pipes must not keep the tool alive.
    signalGroup(pid, 'SIGKILL');
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.stdin?.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.readBuffer.clear();
    this.stderrStream.end();
    this.onclose?.();
  }
}
