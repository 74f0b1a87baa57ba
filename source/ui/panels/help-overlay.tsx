import { Box, Text } from 'ink';

export const HELP_LINES: readonly [string, string][] = [
  ['↑ / ↓', 'one session more / fewer'],
  ['PgUp / PgDn, → / ←', 'ten sessions more / fewer'],
  ['n, digits, Enter', 'set an exact number of sessions'],
  ['(open model) ↑↓ PgUp/PgDn', 'arrival rate ×/÷ 1.1, ×/÷ 2; n sets it'],
  ['space', 'pause / resume load (sessions stay held)'],
  ['s', 'settings: jitter, think, calls/session, timeout, SLO'],
  ['t', 'tool mix: raise or lower each tool’s weight'],
  ['a', 'start / stop the --steps walk or --find-ceiling'],
  ['f', 'findings: capacity, plan, bottleneck, memory, independence'],
  ['m', 'drop a timestamped marker for the incident timeline'],
  ['e', 'write the report now'],
  ['q, Ctrl-C', 'quit: close sessions on the server, print the summary'],
  ['? or Esc', 'close this help'],
];

export function HelpOverlay({ lines = HELP_LINES }: { readonly lines?: readonly [string, string][] }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys</Text>
      {lines.map(([keys, action]) => (
        <Text key={keys}>
          {keys.padEnd(22)}
          {action}
        </Text>
      ))}
      {lines === HELP_LINES ? (
        <Text dimColor>Every change is recorded with its time in the report&apos;s actions.</Text>
      ) : null}
    </Box>
  );
}
