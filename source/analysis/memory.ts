import type { LevelSummary } from '../engine/levels.js';

/** Server memory against sessions and time, and the soak verdict. */
export interface MemoryTrend {
  /** Extra server RSS per extra session, between the lowest and highest level (bytes), or null. */
  readonly rssPerSessionBytes: number | null;
  /** RSS growth per minute over the longest completed hold (bytes), or null. */
  readonly growthBytesPerMinute: number | null;
  /**
   * `leak suspected` when RSS kept growing through the second half of the longest hold (after warm-up growth
   * is over) by more than 5% and 10 MB; `unknown` when that hold was shorter than `MIN_SOAK_MS`.
   */
  readonly verdict: 'leak suspected' | 'flat' | 'unknown';
  readonly evidence: string;
}

/**
 * Holds shorter than this say nothing about a leak: sessions, caches and the JIT grow a server's RSS for the
 * first tens of seconds of a level, and growth must outlast that to be told from it. @default 60_000
 */
export const MIN_SOAK_MS = 60_000;

/** Second-half growth above this share of the RSS at mid-hold (and `LEAK_MIN_BYTES`) suggests a leak. @default 0.05 */
const LEAK_SHARE = 0.05;
const LEAK_MIN_BYTES = 10 * 1024 ** 2;

const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/**
 * `latestRssBytes`: the server's RSS last sampled, which is known (the demo, `--spawn`, `--pid`) even when no
 * level was measured long enough to carry it: a run quit during its first warm-up still names it.
 */
export function memoryTrend(
  levels: readonly LevelSummary[],
  latestRssBytes: number | null = null,
): MemoryTrend {
  const known = levels.filter(
    (level) => level.endedAt !== null && level.serverRssBytes !== null && level.serverRssStartBytes !== null,
  );
  if (known.length === 0) {
    return {
      rssPerSessionBytes: null,
      growthBytesPerMinute: null,
      verdict: 'unknown',
      evidence:
        latestRssBytes === null
          ? 'server RSS unknown: use --spawn or --pid (stdio servers and the demo are tracked)'
          : `server RSS ${mb(latestRssBytes)}; no level was held past its warm-up, so no trend: hold a level longer than --warmup`,
    };
  }
  const byN = [...known].sort((a, b) => a.concurrency - b.concurrency);
  const [low, high] = [byN[0]!, byN[byN.length - 1]!];
  const rssPerSessionBytes =
    high.concurrency > low.concurrency
      ? Math.round((high.serverRssBytes! - low.serverRssBytes!) / (high.concurrency - low.concurrency))
      : null;
  const soak = [...known].sort((a, b) => b.durationMs - a.durationMs)[0]!;
  const seconds = Math.round(soak.durationMs / 1000);
  const growth = soak.serverRssBytes! - soak.serverRssStartBytes!;
  const growthBytesPerMinute = soak.durationMs > 0 ? Math.round((growth * 60_000) / soak.durationMs) : null;
  const overall = `server RSS ${mb(soak.serverRssStartBytes!)} → ${mb(soak.serverRssBytes!)} over ${seconds} s at N=${soak.concurrency}`;
  if (soak.durationMs < MIN_SOAK_MS) {
    return {
      rssPerSessionBytes,
      growthBytesPerMinute: null,
      verdict: 'unknown',
      evidence: `${overall}: a leak verdict needs a hold of at least ${MIN_SOAK_MS / 1000} s (--hold ${MIN_SOAK_MS / 1000}) to tell growth from warm-up`,
    };
  }
  // Warm-up growth is over by mid-hold; a leak keeps growing through the second half.
  const middle = soak.serverRssMidBytes ?? soak.serverRssStartBytes!;
  const late = soak.serverRssBytes! - middle;
  const leak = late > middle * LEAK_SHARE && late > LEAK_MIN_BYTES;
  return {
    rssPerSessionBytes,
    growthBytesPerMinute,
    verdict: leak ? 'leak suspected' : 'flat',
    evidence: `${overall} (${mb(growthBytesPerMinute ?? 0)}/min); ${mb(late)} of it in the second half`,
  };
}
