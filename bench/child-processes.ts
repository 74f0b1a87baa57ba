import { spawn, type SpawnOptions } from 'node:child_process';

/** How much of a child's output is kept (the TUI redraws constantly; only the end is worth showing). */
const KEEP_CHARS = 64 * 1024;

/** A process the bench started, with its output and a way to stop it. */
export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  /** The last KEEP_CHARS characters of stdout. */
  stdout(): string;
  /** The last KEEP_CHARS characters of stderr. */
  stderr(): string;
  /** How often `options.marker` occurred in everything stdout carried (e.g. TUI frames). */
  markers(): number;
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
  /** SIGTERM to `signalTarget()` (default the child), then SIGKILL to both after the grace period. */
  stop(): Promise<void>;
}

export interface ChildOptions extends SpawnOptions {
  /** The process that should get SIGTERM when this child is stopped (e.g. the CLI inside `script`). */
  readonly signalTarget?: () => number | null;
  /** ms between SIGTERM and SIGKILL. @default 15000 */
  readonly graceMs?: number;
  /** A string counted in stdout as it streams. */
  readonly marker?: string;
  /** Receives every complete stdout line as it arrives (e.g. `--json` snapshots). */
  readonly onLine?: (line: string) => void;
}

/** Whether a process with this id still runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number | null, name: NodeJS.Signals): void {
  if (pid === null || !alive(pid)) return;
  try {
    process.kill(pid, name);
  } catch {
    // It ended between the check and the signal.
  }
}

/** Every child the bench started, so that all of them are stopped on success, failure or Ctrl-C. */
export class ChildRegistry {
  private readonly living = new Set<{ child: BenchChild; kill: () => void }>();

  start(name: string, command: string, args: readonly string[], options: ChildOptions = {}): BenchChild {
    const { signalTarget, graceMs = 15_000, marker, onLine, ...spawnOptions } = options;
    // Its own process group: a Ctrl-C reaches the bench, which then stops its children in order.
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...spawnOptions,
    });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    const pid = child.pid;
    let out = '';
    let err = '';
    let seen = 0;
    // The end of the previous chunk, shorter than the marker: a marker split across chunks is counted once.
    let carry = '';
    let partial = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out = (out + chunk).slice(-KEEP_CHARS);
      if (onLine) {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      }
      if (!marker) return;
      const text = carry + chunk;
      seen += text.split(marker).length - 1;
      carry = marker.length > 1 ? text.slice(1 - marker.length) : '';
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-KEEP_CHARS)));
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null));
      child.once('close', (code) => resolve(code));
    });
    const target = (): number | null => signalTarget?.() ?? pid;
    const entry = {
      kill: (): void => {
        signal(target(), 'SIGKILL');
        signal(pid, 'SIGKILL');
      },
      child: {
        name,
        pid,
        exited,
        stdout: () => out,
        stderr: () => err,
        markers: () => seen,
        stop: async (): Promise<void> => {
          if (child.exitCode === null && child.signalCode === null) {
            signal(target(), 'SIGTERM');
            const timer = setTimeout(entry.kill, graceMs);
            await exited;
            clearTimeout(timer);
          }
          await exited;
        },
      },
    };
    this.living.add(entry);
    void exited.then(() => this.living.delete(entry));
    return entry.child;
  }

  /** Stops every child still running, most recent first (load generators before the server). */
  async stopAll(): Promise<void> {
    for (const { child } of [...this.living].reverse()) await child.stop();
  }

  /** Last resort when the bench itself is exiting and cannot wait. */
  killAllNow(): void {
    for (const { kill } of this.living) kill();
  }
}
