import { Box, Text } from 'ink';
import type { Workload } from '../../config/schema.js';
import { settingFields } from '../settings-fields.js';
import { useTone } from '../color.js';

export function SettingsEditor({
  workload,
  selected,
  editing,
  fresh,
  entry,
}: {
  readonly workload: Workload;
  readonly selected: number;
  readonly editing: boolean;
  /** The current value is shown, to be replaced by what is typed (Backspace edits it instead). */
  readonly fresh: boolean;
  readonly entry: string;
}) {
  const tone = useTone();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>
        {editing && fresh
          ? 'Settings (type a new value, or ⌫ to edit this one · Enter apply · Esc back)'
          : 'Settings (↑↓ select · Enter edit/apply · Esc back)'}
      </Text>
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
