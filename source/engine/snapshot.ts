import type { Workload } from '../config/schema.js';
import type { ErrorCount, LogEvent } from '../metrics/recorder.js';
import type { ServerResources } from '../metrics/process-stats.js';
import type { WindowFigures } from '../metrics/rolling-window.js';
import type { RedactedTarget } from '../mcp-client/target.js';
import type { History } from './history.js';
import type { GeneratorFigures, LevelSummary } from './levels.js';

/** Where the run is. */
export type RunState = 'starting' | 'waiting' | 'running' | 'paused' | 'stopping' | 'stopped';

/** Something the operator did, with its time: for the incident timeline. */
export interface OperatorAction {
  readonly at: string;
  readonly kind: 'workload' | 'pause' | 'resume' | 'marker' | 'step' | 'plan' | 'worker';
  readonly detail: string;
}

/** The automatic step walk: `--steps` held `--hold` seconds each. */
export interface PlanState {
  readonly steps: readonly number[];
  readonly holdS: number;
  /** Index of the step being held, or null when the walk is not running. */
  readonly stepIndex: number | null;
  readonly stepEndsAt: string | null;
  /** The walk reached its last step and held it. */
  readonly complete: boolean;
  /**
   * `--find-ceiling` only: the last N within the SLO (0 before any) and the first N over it (null before
   * any); `steps` then lists the levels probed so far, not a plan.
   */
  readonly bracket?: { readonly good: number; readonly bad: number | null };
}

/** A tool the server listed. */
export interface ToolInfo {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** The server's protocol era, as the preflight found it. */
export interface ProtocolEra {
  /** The MCP revision spoken, e.g. `2025-11-25` or `2026-07-28`. */
  readonly version: string;
  /** True when the server issued a session id; false: stateless (N counts concurrent clients). */
  readonly stateful: boolean;
}

/** `2026-07-28 stateless`, `2025-11-25 stateful`. */
export function describeProtocol(protocol: ProtocolEra): string {
  return `${protocol.version} ${protocol.stateful ? 'stateful' : 'stateless'}`;
}

/** What the live figures call a unit of N: sessions the server holds, or concurrent clients. */
export function unitOfN(protocol: ProtocolEra | undefined): 'sessions' | 'clients' {
  return protocol && !protocol.stateful ? 'clients' : 'sessions';
}

/** Everything the UI and the headless printer show; replaced, never mutated, on each publish tick. */
export interface EngineSnapshot {
  readonly state: RunState;
  readonly target: RedactedTarget;
  /** The protocol era of the server (absent in recordings made before both eras). */
  readonly protocol?: ProtocolEra;
  readonly startedAt: string;
  /** While `state` is 'waiting': the `--start-at` time the load waits for, else null. */
  readonly startAt: string | null;
  readonly elapsedMs: number;
  readonly workload: Workload;
  readonly plan: PlanState | null;
  readonly sessions: {
    readonly target: number;
    readonly active: number;
    readonly connecting: number;
    readonly closing: number;
    readonly inflight: number;
  };
  readonly window: WindowFigures;
  readonly totals: {
    readonly sessionsOpened: number;
    readonly sessionsClosed: number;
    /** Event streams resumed with `Last-Event-ID` (absent in older recordings). */
    readonly resumptions?: number;
    /** Multi Round-Trip Requests answered with declined or empty input (absent in older recordings). */
    readonly inputRequests?: number;
    readonly calls: number;
    readonly errors: number;
    /** With a protocol mix: calls, errors and latency by the revision of their client, over the run. */
    readonly byProtocol?: LevelSummary['byProtocol'];
  };
  readonly errorsByKind: Readonly<Record<string, ErrorCount>>;
  readonly server: ServerResources | null;
  readonly generator: GeneratorFigures & { readonly workers: number };
  /** Per-second trends, oldest first. */
  readonly history: History;
  /** Completed levels and the current one (last). */
  readonly levels: readonly LevelSummary[];
  readonly actions: readonly OperatorAction[];
  /** The latest lines of the event log, oldest first. */
  readonly events: readonly LogEvent[];
  readonly tools: readonly ToolInfo[];
}
