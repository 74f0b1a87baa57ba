import { GENERATOR_LIMIT_KINDS } from '../mcp-client/error-kind.js';
import type { ShardInterval } from '../metrics/recorder.js';

/** How long nothing may succeed, with failures, before the run counts as ended by its target, ms. */
export const TARGET_FAILED_MS = 5000;

/**
 * Whether the server still serves: when a session start or a call last succeeded, and what failed since.
 * A run whose last seconds only failed ended because its target failed (its own exit code). The
 * generator's own limits (out of file descriptors or ports) are not the target's failures: sessions held
 * idle through them had kept a run of long think times "failing" while the server served every request.
 */
export class TargetHealth {
  private lastSuccessAt: number;
  private failuresSince = 0;
  private lastFailure = '';
  /** When the load began and ended (null: not yet). */
  private begunAt: number | null = null;
  private endedAt: number | null = null;

  constructor(now: number) {
    this.lastSuccessAt = now;
  }

  /** The load begins: what came before (preflight, a `--start-at` wait) does not count. */
  begin(now: number): void {
    this.begunAt = now;
    this.lastSuccessAt = now;
    this.failuresSince = 0;
  }

  observe(intervals: readonly ShardInterval[], now: number): void {
    if (this.endedAt !== null) return;
    for (const interval of intervals) {
      const failedCalls = Object.values(interval.tools).reduce((sum, tool) => sum + tool.errors, 0);
      if (interval.sessionsOpened > 0 || interval.calls > failedCalls) {
        this.lastSuccessAt = now;
        this.failuresSince = 0;
      } else {
        const targets = Object.entries(interval.errorsByKind).filter(
          ([kind]) => !GENERATOR_LIMIT_KINDS.has(kind),
        );
        const failed = targets.reduce((sum, [, count]) => sum + count.count, 0);
        if (failed === 0) continue;
        this.failuresSince += failed;
        const [kind, last] = targets.sort(([, a], [, b]) => b.count - a.count)[0]!;
        this.lastFailure = `${kind}: ${last.lastMessage}`;
      }
    }
  }

  /** The load stops: what the shutdown brings does not count. */
  end(now: number): void {
    if (this.begunAt !== null) this.endedAt ??= now;
  }

  /** One line when nothing succeeded in the last `TARGET_FAILED_MS` of the load and something failed. */
  failure(): string | null {
    if (this.endedAt === null) return null;
    const quietMs = this.endedAt - this.lastSuccessAt;
    if (this.failuresSince === 0 || quietMs < TARGET_FAILED_MS) return null;
    return (
      `the target failed: no session start or call succeeded in the last ${(quietMs / 1000).toFixed(0)} s ` +
      `of the run, ${this.failuresSince} failed (last ${this.lastFailure})`
    );
  }
}
