import { basename } from 'node:path';
import { Text, useApp } from 'ink';
import { useState, useSyncExternalStore } from 'react';
import { formatElapsed } from '../format/run-text.js';
import type { Playback, ReplayPlayer } from '../replay/replay-player.js';
import { useTone } from './color.js';
import { Dashboard } from './dashboard.js';
import { HelpOverlay } from './panels/help-overlay.js';
import { fits, TooSmall } from './panels/too-small.js';
import { useEngineSnapshot } from './use-engine-snapshot.js';
import { useReplayControls } from './use-replay-controls.js';
import { useTerminalSize } from './use-terminal-size.js';

export const REPLAY_HELP_LINES: readonly [string, string][] = [
  ['space', 'play / pause'],
  ['→ / ←', 'one recorded second forward / back (pauses)'],
  ['PgDn / PgUp', 'ten seconds forward / back'],
  ['Home / End, g / G', 'the first / last recorded second'],
  ['↑ / ↓, + / -', 'faster / slower (¼× to 32×)'],
  ['q, Ctrl-C', 'quit the replay'],
  ['? or Esc', 'close this help'],
];

export const REPLAY_KEY_HINTS = 'spc:play/pause ←→±1s PgUp/Dn±10s Home/End ↑↓:speed ?:help q:quit';

/** The playback line: where in the recording, how fast, and how the recorded run ended. */
function PlaybackBar({
  playback,
  elapsedMs,
  lastMs,
}: {
  readonly playback: Playback;
  readonly elapsedMs: number;
  readonly lastMs: number;
}) {
  const tone = useTone();
  const ending =
    playback.endReason === null ? 'no end line: the run crashed' : `ended: ${playback.endReason}`;
  return (
    <Text wrap="truncate-end">
      <Text bold color={tone('cyan')}>
        REPLAY
      </Text>{' '}
      {formatElapsed(elapsedMs)} / {formatElapsed(lastMs)} · second {playback.position + 1} of{' '}
      {playback.frames} ·{' '}
      <Text bold>{playback.playing ? `▶ ${playback.speed}×` : `❚❚ paused (${playback.speed}×)`}</Text> ·{' '}
      {ending} · {basename(playback.file)}
    </Text>
  );
}

/** Plays a recorded run back on the same panels the live screen draws. */
export function ReplayApp({
  player,
  onQuit,
}: {
  readonly player: ReplayPlayer;
  readonly onQuit: () => void;
}) {
  const snapshot = useEngineSnapshot(player);
  const playback = useSyncExternalStore(player.subscribe, player.getPlayback, player.getPlayback);
  const [helpShown, setHelpShown] = useState(false);
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  useReplayControls({
    player,
    helpShown,
    toggleHelp: () => setHelpShown((shown) => !shown),
    onQuit: () => {
      onQuit();
      exit();
    },
  });
  if (!fits(columns, rows))
    return <TooSmall columns={columns} rows={rows} hint="q and replay with --headless" />;
  return (
    <>
      <PlaybackBar playback={playback} elapsedMs={snapshot.elapsedMs} lastMs={player.lastElapsedMs} />
      <Dashboard
        snapshot={snapshot}
        columns={columns}
        rows={rows - 1}
        overlay={helpShown ? () => <HelpOverlay lines={REPLAY_HELP_LINES} /> : undefined}
        footer={
          <Text dimColor wrap="truncate-end">
            {REPLAY_KEY_HINTS}
          </Text>
        }
      />
    </>
  );
}
