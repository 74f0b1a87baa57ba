/** The middle value of an ascending array (the mean of the two middle ones for an even count); NaN when empty. */
export function medianOfSorted(sorted: readonly number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of values in any order (see `medianOfSorted`). */
export function median(values: readonly number[]): number {
  return medianOfSorted([...values].sort((a, b) => a - b));
}
