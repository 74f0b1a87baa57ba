import { z } from 'zod';
import type { HistorySample } from '../engine/history.js';
import type { LevelSummary } from '../engine/levels.js';
import type { EngineSnapshot, OperatorAction, ToolInfo } from '../engine/snapshot.js';
import type { LogEvent } from '../metrics/recorder.js';
import type { RedactedTarget } from '../mcp-client/target.js';

/** Bumped when a line's shape changes in a way an older reader cannot follow. */
export const RECORDING_VERSION = 1;

/**
 * What changes every second. Finished levels, actions and events are written once as their own lines,
 * and the per-second history as one sample, so a recording grows by about 2 KB a second, not by the whole
 * run's levels each second.
 */
export type FrameSnapshot = Omit<
  EngineSnapshot,
  'target' | 'tools' | 'levels' | 'actions' | 'events' | 'history'
>;

/** One line of a recording (NDJSON). */
export type RecordingLine =
  | {
      readonly type: 'header';
      readonly tool: 'mcp-load-explorer';
      readonly version: number;
      readonly startedAt: string;
      readonly target: RedactedTarget;
      readonly tools: readonly ToolInfo[];
    }
  | {
      readonly type: 'frame';
      readonly at: string;
      readonly snapshot: FrameSnapshot;
      /** The level being held, or null. */
      readonly level: LevelSummary | null;
      /** The history values added since the last frame (null: none added). */
      readonly history: HistorySample | null;
    }
  | { readonly type: 'level'; readonly level: LevelSummary }
  | ({ readonly type: 'action' } & OperatorAction)
  | ({ readonly type: 'event' } & LogEvent)
  | { readonly type: 'end'; readonly at: string; readonly reason: string };

/** The first line, checked before anything is played. */
export const RecordingHeaderSchema = z.object({
  type: z.literal('header'),
  tool: z.literal('mcp-load-explorer'),
  version: z.number().int(),
  startedAt: z.string(),
  target: z.object({ transport: z.string() }).loose(),
  tools: z.array(z.object({ name: z.string() }).loose()),
});

/** Every later line: only its kind is checked here; the reader checks what it uses. */
export const RecordingLineSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('frame'),
    at: z.string(),
    snapshot: z.object({ elapsedMs: z.number(), state: z.string() }).loose(),
    level: z.object({ concurrency: z.number() }).loose().nullable(),
    history: z.record(z.string(), z.number().nullable()).nullable(),
  }),
  z.object({ type: z.literal('level'), level: z.object({ concurrency: z.number() }).loose() }),
  z.object({ type: z.literal('action'), at: z.string(), kind: z.string(), detail: z.string() }),
  z.object({ type: z.literal('event'), at: z.number(), level: z.string(), message: z.string() }),
  z.object({ type: z.literal('end'), at: z.string(), reason: z.string() }),
]);
