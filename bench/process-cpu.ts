// Whole-process CPU of a child, start-up included: the child runs under GNU `/usr/bin/time`, which reads
// the rusage of the process it waited for (every thread, worker threads included) when it exits.
import { readFileSync as readFileBytes } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchChild, ChildOptions, ChildRegistry } from './child-processes.js';

/** Clock ticks per second of /proc/PID/stat (`getconf CLK_TCK`: 100 on Linux). */
const TICKS_PER_S = 100;
const TIME = '/usr/bin/time';

/** What `/usr/bin/time` measured of one process. */
export interface ProcessCpu {
  readonly code: number | null;
  /** user + system CPU of the whole process, s (10 ms resolution). */
  readonly cpuS: number;
  readonly wallS: number;
}

/** A child under `/usr/bin/time`, and the pid of the measured process inside it. */
export interface TimedChild {
  readonly child: BenchChild;
  /** The measured process (the child of `time`), once it has started. */
  innerPid(): number | null;
  /** Resolves when it exits by itself. */
  readonly measured: Promise<ProcessCpu>;
}

const readFileSync = (path: string): string => readFileBytes(path, 'utf8');

/** The only child of `pid`, from /proc (null before it has one). */
function onlyChild(pid: number): number | null {
  try {
    // Synchronous on purpose: a signal target is asked for in a signal path.
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`);
    const first = Number(text.trim().split(/\s+/)[0]);
    return first > 0 ? first : null;
  } catch {
    return null;
  }
}

/** Starts `command args` under `/usr/bin/time`; stopping it signals the measured process, not `time`. */
export function startTimed(
  registry: ChildRegistry,
  label: string,
  tmpDir: string,
  command: string,
  args: readonly string[],
  options: ChildOptions = {},
): TimedChild {
  const output = join(tmpDir, `${label}.time`);
  let inner: number | null = null;
  const innerPid = (): number | null => (inner ??= onlyChild(child.pid));
  const child = registry.start(label, TIME, ['-f', '%e %U %S', '-o', output, command, ...args], {
    ...options,
    signalTarget: innerPid,
  });
  const measured = child.exited.then(async (code) => {
    const text = await readFile(output, 'utf8').catch(() => '');
    // `time` writes "Command exited with non-zero status N" before the figures when it did.
    const [wall, user, system] = (text.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    if (wall === undefined || user === undefined || system === undefined || Number.isNaN(user))
      throw new Error(`${label}: ${TIME} wrote no figures (is GNU time installed?)`);
    return { code, cpuS: user + system, wallS: wall };
  });
  return { child, innerPid, measured };
}

/** user + system CPU a running process has used so far, s, from /proc/PID/stat (null once it is gone). */
export function cpuSoFar(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces; fields after its closing parenthesis are plain.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return (user + system) / TICKS_PER_S;
}
