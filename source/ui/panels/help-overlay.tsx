import { Box, Text } from 'ink';

export const HELP_LINES: readonly [string, string][] = [
  ['↑ / ↓', 'one session more / fewer'],
  ['PgUp / PgDn, → / ←', 'ten sessions more / fewer'],
  ['n, digits, Enter', 'set an exact number of sessions'],
  ['(open model) ↑↓ PgUp/PgDn', 'arrival rate ×/÷ 1.1, ×/÷ 2; n sets it'],
  ['space', 'pause / resume load (sessions stay held)'],
  ['s', 'settings: jitter, think, calls/session, timeout, SLO'],
  ['t', 'tool mix: raise or lower each tool’s weight'],
  ['a', 'start / stop the plan; none given: a plan editor'],
  ['f', 'findings: capacity, plan, bottleneck, memory, independence'],
  ['m, text, Enter', 'drop a labelled, timestamped marker on the timeline'],
  ['e', 'write the report now'],
  ['q, Ctrl-C', 'quit: close sessions on the server, print the summary'],
  ['? or Esc', 'close this help'],
];

export interface HelpOverlayProps {
  readonly lines?: readonly [string, string][];
  /** Rows the overlay may take, its border included; fewer than the lines makes it scroll. */
  readonly rows?: number;
  /** The first line shown when it scrolls. */
  readonly offset?: number;
}

/** Lines of help that fit in `rows` (border, title and the last line taken off). */
export const helpPageSize = (rows: number): number => Math.max(1, rows - 4);

export function HelpOverlay({ lines = HELP_LINES, rows = Infinity, offset = 0 }: HelpOverlayProps) {
  const size = Math.min(lines.length, helpPageSize(rows));
  const first = Math.max(0, Math.min(offset, lines.length - size));
  const scrolls = size < lines.length;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>
        Keys
        {scrolls ? (
          <Text dimColor>
            {' '}
            {first + 1}–{first + size} of {lines.length} · ↑↓ PgUp/PgDn scroll
          </Text>
        ) : null}
      </Text>
      {lines.slice(first, first + size).map(([keys, action]) => (
        <Text key={keys} wrap="truncate-end">
          {keys.padEnd(22)}
          {keys.length >= 22 ? ' ' : ''}
          {action}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {lines === HELP_LINES
          ? 'Every change is recorded with its time in the report’s actions.'
          : 'Esc closes'}
      </Text>
    </Box>
  );
}
