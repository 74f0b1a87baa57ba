const BARS = '▁▂▃▄▅▆▇█';

/** The last `width` values as a one-line bar trend, scaled between their own min and max. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-width);
  if (shown.length === 0) return '';
  const min = Math.min(...shown);
  const max = Math.max(...shown);
  const span = max - min;
  return shown
    .map((value) => BARS[span === 0 ? 0 : Math.round(((value - min) / span) * (BARS.length - 1))])
    .join('');
}
