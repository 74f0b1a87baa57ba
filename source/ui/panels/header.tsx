import { Text } from 'ink';
import { loadModelOf } from '../../engine/load-model.js';
import { formatProtocolMix } from '../../config/protocol-mix.js';
import { describeProtocol, type EngineSnapshot } from '../../engine/snapshot.js';
import { formatElapsed, waitingLabel } from '../../format/run-text.js';
import { describeTarget } from '../../mcp-client/target.js';
import { shortenMiddle, shortenUrl } from '../../format/fit-text.js';
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
    const at = loadModelOf(snapshot.workload).label(plan.steps[plan.stepIndex] ?? 0);
    return `stepping level ${plan.stepIndex + 1} of ${plan.steps.length} (${at}, ${left}s left)`;
  }
  if (plan?.complete) return 'running · step plan complete';
  return 'running';
}

/** The target as the header shows it in `room` characters: a URL keeps its host and the end of its path. */
export function headerTarget(target: EngineSnapshot['target'], room: number): string {
  const whole = describeTarget(target);
  if ([...whole].length <= room) return whole;
  // Short of room, the default transport goes without saying: the URL's scheme tells it.
  const prefix = target.transport === 'streamable-http' ? '' : `${target.transport}: `;
  const text = target.transport === 'stdio' ? target.command : target.url;
  const fitted = target.transport === 'stdio' ? shortenMiddle : shortenUrl;
  return `${prefix}${fitted(text, Math.max(1, room - prefix.length))}`;
}

/** The run's name, state, elapsed time and target in one line of `columns`. */
export function Header({
  snapshot,
  columns = 100,
}: {
  readonly snapshot: EngineSnapshot;
  readonly columns?: number;
}) {
  const tone = useTone();
  const label = runStateLabel(snapshot);
  const stateTone =
    snapshot.state === 'paused' || snapshot.state === 'waiting'
      ? 'yellow'
      : snapshot.state === 'running'
        ? 'green'
        : 'gray';
  const elapsed = formatElapsed(snapshot.elapsedMs);
  const before = `mcp-load-explorer · ${label} · ${elapsed} · `;
  const protocol = snapshot.workload.protocolMix
    ? ` · protocol mix ${formatProtocolMix(snapshot.workload.protocolMix)}`
    : snapshot.protocol
      ? ` · ${describeProtocol(snapshot.protocol)}`
      : '';
  // The protocol goes first when room is short: the target is what an operator checks.
  const room = columns - [...before].length;
  const withProtocol = room - protocol.length >= 24;
  const target = headerTarget(snapshot.target, Math.max(12, withProtocol ? room - protocol.length : room));
  return (
    <Text wrap="truncate-end">
      <Text bold>mcp-load-explorer</Text> ·{' '}
      <Text color={tone(stateTone)} bold>
        {label}
      </Text>{' '}
      · {elapsed} · {target}
      {withProtocol ? protocol : ''}
    </Text>
  );
}
