import { Box, Text } from 'ink';
import type { MixEntry } from '../../config/schema.js';
import type { ToolInfo } from '../../engine/snapshot.js';
import { useTone } from '../color.js';

/** Every tool the server lists, with its weight in the mix (0 = not called) and effective share. */
export function mixRows(
  tools: readonly ToolInfo[],
  mix: readonly MixEntry[],
): { name: string; weight: number; share: number }[] {
  const total = mix.reduce((sum, entry) => sum + entry.weight, 0);
  return tools.map((tool) => {
    const weight = mix.find((entry) => entry.tool === tool.name)?.weight ?? 0;
    return { name: tool.name, weight, share: total > 0 ? (100 * weight) / total : 0 };
  });
}

export function MixEditor({
  tools,
  mix,
  selected,
  rows,
}: {
  readonly tools: readonly ToolInfo[];
  readonly mix: readonly MixEntry[];
  readonly selected: number;
  readonly rows: number;
}) {
  const tone = useTone();
  const all = mixRows(tools, mix);
  const first = Math.max(0, Math.min(selected - Math.floor(rows / 2), all.length - rows));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Tool mix (↑↓ select · ←→ or -/+ weight ±1 · [ ] ±10 · 0 off · Esc back)</Text>
      {all.slice(first, first + rows).map((row, offset) => {
        const active = first + offset === selected;
        return (
          <Text
            key={row.name}
            color={active ? tone('cyan') : undefined}
            bold={active}
            dimColor={row.weight === 0 && !active}
            wrap="truncate-end"
          >
            {active ? '› ' : '  '}
            {row.name.slice(0, 30).padEnd(31)}
            {`weight ${row.weight}`.padEnd(12)}
            {`${row.share.toFixed(1)}%`.padStart(6)} {'█'.repeat(Math.round(row.share / 5))}
          </Text>
        );
      })}
    </Box>
  );
}
