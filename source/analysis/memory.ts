import type { LevelSummary } from '../engine/levels.js';

/** Server memory against sessions and time, and the soak verdict. */
export interface MemoryTrend {
  /** Extra server RSS per extra session, between the lowest and highest level (bytes), or null. */
  readonly rssPerSessionBytes: number | null;
  /** RSS growth per minute over the longest completed hold (bytes), or null. */
  readonly growthBytesPerMinute: number | null;
  /** `leak suspected` when RSS at the end of the longest hold is >10% and >20 MB above its start. */
  readonly verdict: 'leak suspected' | 'flat' | 'unknown';
  readonly evidence: string;
}

/** Holds shorter than this say nothing about a leak. @default 10_000 */
export const MIN_SOAK_MS = 10_000;

const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

export function memoryTrend(levels: readonly LevelSummary[]): MemoryTrend {
  const known = levels.filter(
    (level) => level.endedAt !== null && level.serverRssBytes !== null && level.serverRssStartBytes !== null,
  );
  if (known.length === 0) {
    return {
      rssPerSessionBytes: null,
      growthBytesPerMinute: null,
      verdict: 'unknown',
      evidence: 'server RSS unknown: use --spawn or --pid (stdio servers and the demo are tracked)',
    };
  }
  const byN = [...known].sort((a, b) => a.concurrency - b.concurrency);
  const [low, high] = [byN[0]!, byN[byN.length - 1]!];
  const rssPerSessionBytes =
    high.concurrency > low.concurrency
      ? Math.round((high.serverRssBytes! - low.serverRssBytes!) / (high.concurrency - low.concurrency))
      : null;
  const soak = [...known].sort((a, b) => b.durationMs - a.durationMs)[0]!;
  if (soak.durationMs < MIN_SOAK_MS) {
    return {
      rssPerSessionBytes,
      growthBytesPerMinute: null,
      verdict: 'unknown',
      evidence: `the longest hold was ${Math.round(soak.durationMs / 1000)} s: hold a level longer to judge a leak`,
    };
  }
  const growth = soak.serverRssBytes! - soak.serverRssStartBytes!;
  const growthBytesPerMinute = Math.round((growth * 60_000) / soak.durationMs);
  const leak = growth > soak.serverRssStartBytes! * 0.1 && growth > 20 * 1024 ** 2;
  return {
    rssPerSessionBytes,
    growthBytesPerMinute,
    verdict: leak ? 'leak suspected' : 'flat',
    evidence: `server RSS ${mb(soak.serverRssStartBytes!)} → ${mb(soak.serverRssBytes!)} over ${Math.round(soak.durationMs / 1000)} s at N=${soak.concurrency} (${mb(growthBytesPerMinute)}/min)`,
  };
}
