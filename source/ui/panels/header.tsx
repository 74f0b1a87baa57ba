import { Text } from 'ink';
import { loadModelOf } from '../../engine/load-model.js';
import { formatProtocolMix } from '../../config/protocol-mix.js';
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
  if (plan && plan.stepIndex !== null) {
    const left = plan.stepEndsAt
      ? Math.max(0, Math.round((Date.parse(plan.stepEndsAt) - snapshotTime(snapshot)) / 1000))
      : 0;
    const at = loadModelOf(snapshot.workload).label(plan.steps[plan.stepIndex] ?? 0);
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
      {snapshot.workload.protocolMix
        ? ` · protocol mix ${formatProtocolMix(snapshot.workload.protocolMix)}`
        : snapshot.protocol
          ? ` · ${describeProtocol(snapshot.protocol)}`
          : ''}
    </Text>
  );
}
