import { Box, Text } from 'ink';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { useTone } from '../color.js';

/** The latest warnings, server stderr and log lines: they never draw over the screen, they land here. */
export function EventLog({ snapshot, rows }: { readonly snapshot: EngineSnapshot; readonly rows: number }) {
  const tone = useTone();
  const events = snapshot.events.slice(-rows);
  if (rows <= 0) return null;
  if (events.length === 0) return <Text dimColor>log: nothing yet</Text>;
  return (
    <Box flexDirection="column">
      {events.map((event, index) => (
        <Text
          key={`${event.at}-${index}`}
          color={event.level === 'error' ? tone('red') : event.level === 'warn' ? tone('yellow') : undefined}
          dimColor={event.level === 'info'}
          wrap="truncate-end"
        >
          {new Date(event.at).toISOString().slice(11, 19)} {event.message}
        </Text>
      ))}
    </Box>
  );
}
