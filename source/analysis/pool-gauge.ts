import type { LevelSummary } from '../engine/levels.js';

/** Series names that count callers waiting for a limited resource. */
const WAITING = /(wait|queue|pending|blocked)/i;
/** Series names that measure a pool's use. */
const POOL = /(pool|conn|slot|worker|semaphore)/i;

const round = (value: number): number => Math.round(value * 10) / 10;

/**
 * Pool exhaustion read from the server's own gauge (`--server-metric`): callers waiting for it where there
 * were none, or a pool's use pinned at its highest reading over the top levels while latency climbed.
 * Takes the levels in ascending N; returns the evidence, or null when no followed series says so.
 */
export function poolGaugeEvidence(levels: readonly LevelSummary[]): string[] | null {
  const sorted = levels.filter((level) => Object.keys(level.serverSeries ?? {}).length > 0);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || sorted.length < 2) return null;
  for (const [name, high] of Object.entries(last.serverSeries ?? {})) {
    const low = first.serverSeries?.[name];
    if (!low) continue;
    const rose = `the server's ${name} went from ${round(low.mean)} at N=${first.concurrency} to ${round(high.mean)} (max ${round(high.max)}) at N=${last.concurrency}`;
    if (WAITING.test(name) && high.max > 0 && high.mean >= 1 && high.mean > low.mean * 2)
      return [rose, 'calls queue for the pool: its waiters grow with the sessions'];
    if (!POOL.test(name) || WAITING.test(name)) continue;
    const previous = sorted[sorted.length - 2]!.serverSeries?.[name];
    const ceiling = Math.max(...sorted.map((level) => level.serverSeries?.[name]?.max ?? 0));
    if (
      previous &&
      ceiling > 0 &&
      high.max === ceiling &&
      previous.max === ceiling &&
      high.mean >= ceiling * 0.9 &&
      high.mean > low.mean * 1.5
    )
      return [rose, `its use is pinned at ${round(ceiling)} over the top two levels: the pool is full`];
  }
  return null;
}
