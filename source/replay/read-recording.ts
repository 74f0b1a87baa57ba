import { readFile } from 'node:fs/promises';
import { appendHistory, emptyHistory, type History } from '../engine/history.js';
import type { LevelSummary } from '../engine/levels.js';
import type { EngineSnapshot, OperatorAction } from '../engine/snapshot.js';
import type { LogEvent } from '../metrics/recorder.js';
import {
  RECORDING_VERSION,
  RecordingHeaderSchema,
  RecordingLineSchema,
  type FrameSnapshot,
  type RecordingLine,
} from './recording-format.js';

type Header = Extract<RecordingLine, { type: 'header' }>;

/** One recorded second, with how much of the run's append-only lists it had seen. */
interface Frame {
  readonly at: string;
  readonly snapshot: FrameSnapshot;
  readonly level: LevelSummary | null;
  readonly history: History;
  readonly levels: number;
  readonly actions: number;
  readonly events: number;
}

/** A recording read back: a frame per recorded second, and how it ended. */
export interface Recording {
  readonly file: string;
  readonly header: Header;
  readonly frames: readonly Frame[];
  /** How the run ended, or null when the file stops without an end line (the process died). */
  readonly endReason: string | null;
  /** The last line was cut short (a crash mid-write) and was left out. */
  readonly truncated: boolean;
  readonly levels: readonly LevelSummary[];
  readonly actions: readonly OperatorAction[];
  readonly events: readonly LogEvent[];
}

export class RecordingError extends Error {}

/** Events kept on screen, like the live event log. */
const EVENTS_SHOWN = 50;

/** Reads a recording; a bad file gets a one-line RecordingError saying what is wrong. */
export async function readRecording(file: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordingError(
      `replay: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const lines = text.split('\n');
  const endsCleanly = lines[lines.length - 1] === '';
  if (endsCleanly) lines.pop();
  const parsed: unknown[] = [];
  let truncated = false;
  lines.forEach((line, index) => {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      // Only the very last line may be cut short: the writer died mid-line.
      if (index === lines.length - 1 && !endsCleanly) truncated = true;
      else throw new RecordingError(`replay: ${file} line ${index + 1} is not JSON; is this a recording?`);
    }
  });
  const header = RecordingHeaderSchema.safeParse(parsed[0]);
  if (!header.success)
    throw new RecordingError(
      `replay: ${file} is not a mcp-load-explorer recording (record one with --record FILE)`,
    );
  if (header.data.version > RECORDING_VERSION)
    throw new RecordingError(
      `replay: ${file} is recording version ${header.data.version}; this mcp-load-explorer reads up to ${RECORDING_VERSION}: upgrade it`,
    );
  const levels: LevelSummary[] = [];
  const actions: OperatorAction[] = [];
  const events: LogEvent[] = [];
  const frames: Frame[] = [];
  let history = emptyHistory;
  let endReason: string | null = null;
  parsed.slice(1).forEach((value, index) => {
    const checked = RecordingLineSchema.safeParse(value);
    if (!checked.success)
      throw new RecordingError(`replay: ${file} line ${index + 2} is not a recording line; was it edited?`);
    const line = checked.data as unknown as RecordingLine;
    if (line.type === 'level') levels.push(line.level);
    else if (line.type === 'action') actions.push({ at: line.at, kind: line.kind, detail: line.detail });
    else if (line.type === 'event') events.push({ at: line.at, level: line.level, message: line.message });
    else if (line.type === 'end') endReason = line.reason;
    else if (line.type === 'frame') {
      if (line.history) history = appendHistory(history, line.history);
      frames.push({
        at: line.at,
        snapshot: line.snapshot,
        level: line.level,
        history,
        levels: levels.length,
        actions: actions.length,
        events: events.length,
      });
    }
  });
  if (frames.length === 0)
    throw new RecordingError(`replay: ${file} has no recorded seconds yet; the run ended before its first`);
  return {
    file,
    header: header.data as unknown as Header,
    frames,
    endReason,
    truncated,
    levels,
    actions,
    events,
  };
}

/** The snapshot the live screen showed at frame `index`. */
export function snapshotAt(recording: Recording, index: number): EngineSnapshot {
  const frame = recording.frames[Math.max(0, Math.min(index, recording.frames.length - 1))]!;
  const levels = recording.levels.slice(0, frame.levels);
  return {
    ...frame.snapshot,
    // Recordings made before snapshots carried their start: the header has it.
    startedAt: frame.snapshot.startedAt ?? recording.header.startedAt,
    target: recording.header.target,
    tools: recording.header.tools,
    levels: frame.level ? [...levels, frame.level] : levels,
    actions: recording.actions.slice(0, frame.actions),
    events: recording.events.slice(Math.max(0, frame.events - EVENTS_SHOWN), frame.events),
    history: frame.history,
  };
}
