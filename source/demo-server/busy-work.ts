import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

let digest: Buffer = Buffer.alloc(32);

/** Hashes for `ms` of wall time without yielding; on one thread that is `ms` of CPU. */
export function spinFor(ms: number): void {
  const until = performance.now() + ms;
  do {
    for (let round = 0; round < 16; round += 1) digest = createHash('sha256').update(digest).digest();
  } while (performance.now() < until);
}

/**
 * Real computation of `totalMs`, in 1 ms slices that yield to the event loop between them, so concurrent
 * calls share the core and all slow down together instead of one blocking the others.
 */
export async function burnCpu(totalMs: number, signal?: AbortSignal): Promise<void> {
  for (let remaining = totalMs; remaining > 0; remaining -= 1) {
    spinFor(Math.min(1, remaining));
    if (remaining > 1) await nextTurn(undefined, { signal });
  }
}
