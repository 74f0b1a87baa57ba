import type { EngineSnapshot } from '../engine/snapshot.js';
import { snapshotAt, type Recording } from './read-recording.js';

/** Where playback is; replaced, never mutated, on every change. */
export interface Playback {
  readonly file: string;
  /** Index of the frame on screen. */
  readonly position: number;
  readonly frames: number;
  readonly playing: boolean;
  /** Recorded seconds per real second. */
  readonly speed: number;
  /** How the recorded run ended, or null when it stopped without an end line (it crashed). */
  readonly endReason: string | null;
}

/** Playback speeds offered by the speed keys. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32] as const;

/**
 * Plays a recording back as a stream of engine snapshots: the same `subscribe`/`getSnapshot` shape the
 * live screen reads, plus playback controls. It knows nothing of the terminal.
 */
export class ReplayPlayer {
  private readonly listeners = new Set<() => void>();
  private snapshot: EngineSnapshot;
  private playback: Playback;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly recording: Recording,
    options: { readonly speed?: number; readonly paused?: boolean } = {},
  ) {
    this.playback = {
      file: recording.file,
      position: 0,
      frames: recording.frames.length,
      playing: false,
      speed: options.speed ?? 1,
      endReason: recording.endReason,
    };
    this.snapshot = snapshotAt(recording, 0);
    if (!options.paused) this.play();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): EngineSnapshot => this.snapshot;

  getPlayback = (): Playback => this.playback;

  /** Run time of the last recorded second. */
  get lastElapsedMs(): number {
    return this.recording.frames[this.recording.frames.length - 1]!.snapshot.elapsedMs;
  }

  private update(change: Partial<Playback>): void {
    const position = Math.max(
      0,
      Math.min(change.position ?? this.playback.position, this.playback.frames - 1),
    );
    if (position !== this.playback.position) this.snapshot = snapshotAt(this.recording, position);
    this.playback = { ...this.playback, ...change, position };
    for (const listener of this.listeners) listener();
  }

  /** Plays from here (from the start when at the end). */
  play(): void {
    clearTimeout(this.timer);
    if (this.playback.position >= this.playback.frames - 1) this.update({ position: 0 });
    this.update({ playing: true });
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      const next = this.playback.position + 1;
      if (next >= this.playback.frames) return this.update({ playing: false });
      this.update({ position: next });
      this.schedule();
    }, 1000 / this.playback.speed);
  }

  pause(): void {
    clearTimeout(this.timer);
    this.update({ playing: false });
  }

  toggle(): void {
    if (this.playback.playing) this.pause();
    else this.play();
  }

  /** Moves by `seconds` recorded seconds and pauses there: step by step through the run. */
  step(seconds: number): void {
    this.pause();
    this.update({ position: this.playback.position + seconds });
  }

  /** Jumps to the first or last recorded second. */
  seek(where: 'start' | 'end'): void {
    this.pause();
    this.update({ position: where === 'start' ? 0 : this.playback.frames - 1 });
  }

  /** The next speed up (1) or down (-1). */
  changeSpeed(direction: 1 | -1): void {
    const index = SPEEDS.findIndex((speed) => speed >= this.playback.speed);
    const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (index < 0 ? 2 : index) + direction))]!;
    this.update({ speed: next });
    if (this.playback.playing) {
      clearTimeout(this.timer);
      this.schedule();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
