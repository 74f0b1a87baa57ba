import { useInput } from 'ink';
import type { EngineSnapshot } from '../engine/snapshot.js';
import type { EnginePort } from './engine-port.js';

export interface ControlsOptions {
  readonly engine: EnginePort;
  readonly snapshot: EngineSnapshot;
  readonly onQuit: () => void;
  readonly onError: (message: string) => void;
  /** @default true */
  readonly isActive?: boolean;
}

/** Keyboard: ↑/↓ ±1 session, PgUp/PgDn or ←/→ ±10, space pause/resume, m marker, q quit. */
export function useControls({ engine, snapshot, onQuit, onError, isActive = true }: ControlsOptions): void {
  useInput(
    (input, key) => {
      const change = (delta: number): void => {
        try {
          engine.setWorkload({ concurrency: Math.max(0, snapshot.workload.concurrency + delta) });
        } catch (error) {
          onError((error as Error).message);
        }
      };
      if (key.upArrow) change(1);
      else if (key.downArrow) change(-1);
      else if (key.pageUp || key.rightArrow) change(10);
      else if (key.pageDown || key.leftArrow) change(-10);
      else if (input === ' ') {
        if (snapshot.state === 'paused') engine.resume();
        else engine.pause();
      } else if (input === 'm') engine.mark(`marker at N=${snapshot.workload.concurrency}`);
      else if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
    },
    { isActive },
  );
}
