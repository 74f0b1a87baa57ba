import { Box, Text } from 'ink';
import type { Workload } from '../../config/schema.js';
import { settingFields } from '../settings-fields.js';
import { useTone } from '../color.js';

export function SettingsEditor({
  workload,
  selected,
  editing,
  entry,
}: {
  readonly workload: Workload;
  readonly selected: number;
  readonly editing: boolean;
  readonly entry: string;
}) {
  const tone = useTone();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Settings (↑↓ select · Enter edit/apply · Esc back)</Text>
      {settingFields(workload).map((field, index) => {
        const active = index === selected;
        return (
          <Text key={field.key} color={active ? tone('cyan') : undefined} bold={active}>
            {active ? '› ' : '  '}
            {field.label.padEnd(20)}
            {active && editing ? `${entry}▏  (${field.hint})` : field.show(workload)}
          </Text>
        );
      })}
    </Box>
  );
}
