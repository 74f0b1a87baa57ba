import { Box, Text } from 'ink';
import { describePlanForm, PLAN_FIELDS, type PlanForm } from '../plan-form.js';
import { useTone } from '../color.js';

/** The plan editor (`a` with no `--steps` or `--find-ceiling` given): defaults shown, Enter starts it. */
export function PlanEditor({ form, warmupS }: { readonly form: PlanForm; readonly warmupS?: number }) {
  const tone = useTone();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="wrap">
        Plan (↑↓ field · type digits · space: max N ↔ find ceiling · Enter start · Esc cancel)
      </Text>
      {PLAN_FIELDS.map((field, index) => {
        const active = index === form.selected;
        const unused = form.findCeiling && field.key !== 'holdS';
        const value =
          field.key === 'max' && form.findCeiling
            ? 'find ceiling'
            : `${form.values[field.key]}${active ? '▏' : ''}`;
        return (
          <Text
            key={field.key}
            color={active ? tone('cyan') : undefined}
            bold={active}
            dimColor={unused && !active}
          >
            {active ? '› ' : '  '}
            {(field.key === 'max' && form.findCeiling ? 'up to' : field.label).padEnd(10)}
            {value}
            {unused && field.key !== 'max' ? '  (the search starts at 1)' : ''}
          </Text>
        );
      })}
      <Text wrap="wrap">
        {describePlanForm(form)}
        {warmupS === undefined ? '' : ` (warm-up ${warmupS} s of each)`}
      </Text>
    </Box>
  );
}
