import { Box, Text } from 'ink';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { useTone } from '../color.js';

/** Errors by kind with the latest message; kinds seen in the last few seconds stand out. */
export function ErrorsPanel({
  snapshot,
  fresh,
  rows,
}: {
  readonly snapshot: EngineSnapshot;
  /** Kinds whose count grew in the last few seconds. */
  readonly fresh: ReadonlySet<string>;
  readonly rows: number;
}) {
  const tone = useTone();
  const kinds = Object.entries(snapshot.errorsByKind).sort((a, b) => b[1].count - a[1].count);
  if (kinds.length === 0) {
    return <Text dimColor>errors none · {snapshot.totals.calls} calls</Text>;
  }
  return (
    <Box flexDirection="column">
      {kinds.slice(0, rows).map(([kind, count]) => (
        <Text
          key={kind}
          color={tone('red')}
          bold={fresh.has(kind)}
          inverse={fresh.has(kind)}
          wrap="truncate-end"
        >
          {kind.padEnd(16)} {String(count.count).padStart(6)} last: {count.lastMessage}
        </Text>
      ))}
      {kinds.length > rows ? <Text dimColor>… {kinds.length - rows} more kinds</Text> : null}
    </Box>
  );
}
