import type { ChildProcess } from 'node:child_process';

/**
 * Server processes the tool starts get a process group of their own (`detached: true`): a Ctrl-C on the
 * terminal reaches the tool only, which ends its sessions before it stops them, and a wrapper's children
 * (`sh -c …`) are signalled with it instead of being orphaned.
 */
const groups = process.platform !== 'win32';

/** How long a process group has after SIGTERM before SIGKILL, ms. @default 2000 */
export const TERM_GRACE_MS = 2000;

/** Leaders of the groups started here and not yet ended: killed at exit, whatever ended the tool. */
const living = new Set<number>();
let exitHookSet = false;

/** Marks `child` (spawned with `detached: true`) as a group to end when the tool exits. */
export function trackGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  living.add(pid);
  if (!exitHookSet) {
    exitHookSet = true;
    process.on('exit', () => {
      for (const leader of living) signalGroup(leader, 'SIGKILL');
    });
  }
}

/** Sends `signal` to every process of the group; false when none is left. */
export function signalGroup(leader: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(groups ? -leader : leader, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group is alive. */
export function groupAlive(leader: number): boolean {
  return signalGroup(leader, 0);
}

async function waitUntilGone(leader: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (groupAlive(leader)) {
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/**
 * Ends a process group: SIGTERM to all of it, then SIGKILL to what is left after `graceMs`. Resolves
 * once no process of the group is left (or, for processes that never go, shortly after SIGKILL).
 */
export async function endGroup(leader: number, graceMs = TERM_GRACE_MS): Promise<void> {
  if (signalGroup(leader, 'SIGTERM') && !(await waitUntilGone(leader, graceMs))) {
    signalGroup(leader, 'SIGKILL');
    await waitUntilGone(leader, 1000);
  }
  living.delete(leader);
}
