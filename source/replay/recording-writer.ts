import { closeSync, writeSync } from 'node:fs';
import { openPrivateFileSync } from '../files/private-file.js';
import type { History, HistorySample } from '../engine/history.js';
import type { LogEvent } from '../metrics/recorder.js';
import type { EngineSnapshot } from '../engine/snapshot.js';
import { RECORDING_VERSION, type FrameSnapshot, type RecordingLine } from './recording-format.js';

/** One frame per this much run time. */
const FRAME_MS = 1000;

/**
 * Appends a run to a recording file as it goes: a frame a second, and each finished level, operator action
 * and log event as soon as a snapshot shows it. Every line is written straight to the file (no buffer in
 * the process), so a crash or `kill -9` loses at most the last second.
 */
export class RecordingWriter {
  private readonly fd: number;
  private lastSecond = -1;
  private levelsWritten = 0;
  private actionsWritten = 0;
  private lastEvent: LogEvent | null = null;
  private lastHistory: History | null = null;
  private closed = false;

  /** Creates (or truncates) `file`, readable by the user only, and writes the header. */
  constructor(
    readonly file: string,
    first: EngineSnapshot,
  ) {
    this.fd = openPrivateFileSync(file);
    this.write({
      type: 'header',
      tool: 'mcp-load-explorer',
      version: RECORDING_VERSION,
      startedAt: first.startedAt,
      target: first.target,
      tools: first.tools,
    });
  }

  private write(line: RecordingLine): void {
    if (!this.closed) writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  /** Call on every published snapshot; writes what is new, and a frame when one is due. */
  observe(snapshot: EngineSnapshot, force = false): void {
    const finished = snapshot.levels.filter((level) => level.endedAt !== null);
    for (const level of finished.slice(this.levelsWritten)) this.write({ type: 'level', level });
    this.levelsWritten = finished.length;
    for (const action of snapshot.actions.slice(this.actionsWritten))
      this.write({ type: 'action', ...action });
    this.actionsWritten = snapshot.actions.length;
    const seen = this.lastEvent ? snapshot.events.lastIndexOf(this.lastEvent) : -1;
    for (const event of snapshot.events.slice(seen + 1)) this.write({ type: 'event', ...event });
    this.lastEvent = snapshot.events[snapshot.events.length - 1] ?? this.lastEvent;
    const second = Math.floor(snapshot.elapsedMs / FRAME_MS);
    if (!force && second === this.lastSecond) return;
    this.lastSecond = second;
    const current = snapshot.levels[snapshot.levels.length - 1];
    const {
      target: _target,
      tools: _tools,
      levels: _levels,
      actions: _actions,
      events: _events,
      history,
      ...rest
    } = snapshot;
    const frame: FrameSnapshot = rest;
    this.write({
      type: 'frame',
      at: new Date().toISOString(),
      snapshot: frame,
      level: current && current.endedAt === null ? { ...current, histogram: null } : null,
      history: this.historySample(history),
    });
  }

  /** appendHistory replaces exactly the series it appended to: those are the new values. */
  private historySample(history: History): HistorySample | null {
    const previous = this.lastHistory;
    this.lastHistory = history;
    if (previous === history) return null;
    const sample: Record<string, number | null> = {};
    for (const key of Object.keys(history) as (keyof History)[]) {
      const series = history[key];
      sample[key] = previous && previous[key] === series ? null : (series[series.length - 1] ?? null);
    }
    return sample as HistorySample;
  }

  /** Writes the final frame and an end line, then closes the file. */
  end(snapshot: EngineSnapshot, reason: string): void {
    if (this.closed) return;
    this.observe(snapshot, true);
    this.write({ type: 'end', at: new Date().toISOString(), reason });
    this.closed = true;
    closeSync(this.fd);
  }
}
