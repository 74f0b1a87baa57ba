import { statusLine, summary } from '../format/run-text.js';
import { snapshotAt, type Recording } from './read-recording.js';

/** A recording as text: its status line for every recorded second, its actions, then the summary. */
export function replayText(recording: Recording): string {
  const lines = recording.frames.map((_frame, index) => statusLine(snapshotAt(recording, index)));
  const last = snapshotAt(recording, recording.frames.length - 1);
  const actions = recording.actions.map((action) => `  ${action.at} ${action.kind}: ${action.detail}`);
  const ending =
    recording.endReason === null
      ? 'the recording stops without an end line: the run crashed or was killed'
      : `the run ended: ${recording.endReason}`;
  return [
    `replay of ${recording.file} (${recording.header.startedAt}), ${recording.frames.length} recorded seconds`,
    ...lines,
    ...(actions.length ? ['operator actions:', ...actions] : []),
    ending,
    summary(last),
  ].join('\n');
}
