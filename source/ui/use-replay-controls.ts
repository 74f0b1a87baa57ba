import { useInput } from 'ink';
import type { ReplayPlayer } from '../replay/replay-player.js';

/** Playback keys: what the operator presses while showing a recorded run to a room. */
export function useReplayControls(options: {
  readonly player: ReplayPlayer;
  readonly helpShown: boolean;
  readonly toggleHelp: () => void;
  readonly onQuit: () => void;
}): void {
  const { player, helpShown, toggleHelp, onQuit } = options;
  useInput((input, key) => {
    if ((key.ctrl && input === 'c') || input === 'q') return onQuit();
    if (helpShown) {
      if (key.escape || input === '?' || key.return) toggleHelp();
      return;
    }
    if (input === ' ') player.toggle();
    else if (key.rightArrow) player.step(1);
    else if (key.leftArrow) player.step(-1);
    else if (key.pageDown) player.step(10);
    else if (key.pageUp) player.step(-10);
    else if (key.home || input === 'g') player.seek('start');
    else if (key.end || input === 'G') player.seek('end');
    else if (key.upArrow || input === '+') player.changeSpeed(1);
    else if (key.downArrow || input === '-') player.changeSpeed(-1);
    else if (input === '?') toggleHelp();
  });
}
