import { weightedPick } from './weighted-pick.js';
import type { ProtocolRevision } from '../mcp-client/protocol-era.js';

// Apart from the mix's schema (protocol-mix.ts): the worker threads pick revisions and do not load zod.

/** One weighted revision of the clients' protocol mix; a weight of 0 keeps it checked but unused. */
export interface ProtocolMixEntry {
  readonly revision: ProtocolRevision;
  readonly weight: number;
}

/** `2025-11-25:70,2026-07-28:30`: the mix as it is typed. */
export function formatProtocolMix(mix: readonly ProtocolMixEntry[]): string {
  return mix.map((entry) => `${entry.revision}:${entry.weight}`).join(',');
}

/** The revision a new client speaks: a weighted choice, as the tool mix's. */
export function pickRevision(
  mix: readonly ProtocolMixEntry[],
  random: () => number = Math.random,
): ProtocolRevision {
  return weightedPick(mix, random).revision;
}
