import { Text } from 'ink';
import { MIN_COLUMNS, MIN_ROWS } from '../layout.js';

/** Shown instead of the panels on a terminal below 80×24; the load keeps running. */
export function TooSmall({ columns, rows, hint }: { columns: number; rows: number; hint: string }) {
  return (
    // Wrapped, not cut: the advice is the point of the message. The load keeps running meanwhile.
    <Text wrap="wrap">
      Terminal {columns}×{rows} too small, need {MIN_COLUMNS}×{MIN_ROWS}: enlarge it, or {hint}
    </Text>
  );
}

/** Whether the panels fit. */
export const fits = (columns: number, rows: number): boolean => columns >= MIN_COLUMNS && rows >= MIN_ROWS;
