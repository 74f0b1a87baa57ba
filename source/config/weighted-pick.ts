/**
 * A weighted random choice (the tool mix, the protocol mix). Entries of weight 0 are never chosen; the
 * last entry of positive weight stands in for a roll that float rounding leaves at the very end.
 */
export function weightedPick<T extends { readonly weight: number }>(
  entries: readonly T[],
  random: () => number = Math.random,
): T {
  const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
  let roll = random() * total;
  for (const entry of entries) {
    if (entry.weight <= 0) continue;
    roll -= entry.weight;
    if (roll < 0) return entry;
  }
  return entries.findLast((entry) => entry.weight > 0)!;
}
