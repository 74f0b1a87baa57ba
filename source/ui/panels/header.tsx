import { Text } from 'ink';
import { describeProtocol, type EngineSnapshot } from '../../engine/snapshot.js';
import { formatElapsed, waitingLabel } from '../../format/run-text.js';
import { describeTarget } from '../../mcp-client/target.js';
import { useTone } from '../color.js';

/** The snapshot's own clock (a replay shows a past run): its start plus its elapsed time. */
const snapshotTime = (snapshot: EngineSnapshot): number =>
  Date.parse(snapshot.startedAt) + snapshot.elapsedMs;

/** running / paused / stepping level k of n / plan complete / stopping. */
export function runStateLabel(snapshot: EngineSnapshot): string {
  const { plan, state } = snapshot;
  if (state === 'waiting' && snapshot.startAt) return waitingLabel(snapshot.startAt);
  if (state !== 'running') return state;
  if (plan?.bracket) {
    // The search's bracket, not a step count that grows as it goes; short, so the target keeps room.
    const unit = snapshot.workload.arrivalRate === undefined ? 'N=' : '';
    const { good, bad } = plan.bracket;
    const bracket = `good ${good > 0 ? `${unit}${good}` : '-'} · bad ${bad === null ? '-' : `${unit}${bad}`}`;
    const probe = plan.stepIndex === null ? undefined : plan.steps[plan.stepIndex];
    if (plan.complete) return `ceiling found: ${bracket}`;
    if (probe === undefined || !plan.stepEndsAt) return `ceiling search stopped: ${bracket}`;
    const left = Math.max(0, Math.round((Date.parse(plan.stepEndsAt) - snapshotTime(snapshot)) / 1000));
    return `ceiling: ${bracket} · probing ${unit}${probe} (${left}s left)`;
  }
  if (plan && plan.stepIndex !== null) {
    const left = plan.stepEndsAt
      ? Math.max(0, Math.round((Date.parse(plan.stepEndsAt) - snapshotTime(snapshot)) / 1000))
      : 0;
    const step = plan.steps[plan.stepIndex];
    const at = snapshot.workload.arrivalRate === undefined ? `N=${step}` : `${step}/s`;
    return `stepping level ${plan.stepIndex + 1} of ${plan.steps.length} (${at}, ${left}s left)`;
  }
  if (plan?.complete) return 'running · step plan complete';
  return 'running';
}

export function Header({ snapshot }: { readonly snapshot: EngineSnapshot }) {
  const tone = useTone();
  const label = runStateLabel(snapshot);
  const stateTone =
    snapshot.state === 'paused' || snapshot.state === 'waiting'
      ? 'yellow'
      : snapshot.state === 'running'
        ? 'green'
        : 'gray';
  return (
    <Text wrap="truncate-end">
      <Text bold>mcp-load-explorer</Text> ·{' '}
      <Text color={tone(stateTone)} bold>
        {label}
      </Text>{' '}
      · {formatElapsed(snapshot.elapsedMs)} · {describeTarget(snapshot.target)}
      {snapshot.protocol ? ` · ${describeProtocol(snapshot.protocol)}` : ''}
    </Text>
  );
}
