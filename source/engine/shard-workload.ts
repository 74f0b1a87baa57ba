import type { MixEntry, Range } from '../config/schema.js';
import type { ProtocolMixEntry } from '../config/protocol-mix-entry.js';
import { weightedPick } from '../config/weighted-pick.js';

/** The workload one shard runs: its share of the sessions and the shared knobs. */
export interface ShardWorkload {
  /** Sessions this shard holds. */
  readonly concurrency: number;
  readonly jitterMs: number;
  readonly thinkMs: Range;
  readonly sessionCalls: Range;
  readonly mix: readonly MixEntry[];
  /** Which revision each new client speaks, by weight; absent: the run's one revision. */
  readonly protocolMix?: readonly ProtocolMixEntry[];
  readonly args: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly timeoutMs: number;
  /** Nonce echo check: see the config's `independence`. */
  readonly independence?: { readonly tool: string; readonly argument: string };
  /** Sessions stay held but make no calls. */
  readonly paused: boolean;
  /** Open model: this shard's share of the arrival rate, sessions per second. Absent: closed model. */
  readonly arrivalRate?: number;
  /** Open model: this shard's share of the cap on sessions open at once. */
  readonly maxSessions: number;
}

/** The wait until the next arrival of a Poisson process with `ratePerS` arrivals a second, ms. */
export function exponentialMs(ratePerS: number, random: () => number = Math.random): number {
  return (-Math.log(1 - random()) / ratePerS) * 1000;
}

/** Splits N sessions over shards as evenly as possible. */
export function shareOf(total: number, shard: number, shards: number): number {
  return Math.floor(total / shards) + (shard < total % shards ? 1 : 0);
}

export function uniform(range: Range): number {
  return range.min + Math.floor(Math.random() * (range.max - range.min + 1));
}

/** Weighted choice of the next tool. */
export function pickTool(mix: readonly MixEntry[]): MixEntry {
  return weightedPick(mix);
}
