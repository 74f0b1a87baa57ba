import type { EngineSnapshot } from '../engine/snapshot.js';
import { behind } from './panels/latency-table.js';
import { generatorSaturated } from './panels/resources-panel.js';

/** How many rows each panel gets on a terminal of this size. */
export interface Layout {
  readonly toolRows: number;
  readonly errorRows: number;
  readonly logRows: number;
  readonly chartHeight: number;
  readonly width: number;
}

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export function layoutFor(snapshot: EngineSnapshot, columns: number, rows: number): Layout {
  const errorKinds = Object.keys(snapshot.errorsByKind).length;
  const saturated = generatorSaturated(snapshot) ? 1 : 0;
  // One row per series followed with --server-metric.
  const series = Object.keys(snapshot.server?.series ?? {}).length;
  // One row per revision of a protocol mix in the latency table.
  const revisions = snapshot.window.protocols?.length ?? 0;
  // header, sessions ×2, latency title + all + initialize, errors, resources ×2, chart title, axis, marks, footer
  // Open model behind its schedule: the corrected latency and the lag, two rows.
  const fixed = 14 + saturated + series + revisions + (behind(snapshot) ? 2 : 0);
  let spare = Math.max(0, rows - 1 - fixed);
  const toolRows = Math.min(snapshot.window.tools.length, spare >= 14 ? 6 : spare >= 10 ? 3 : 2);
  spare -= toolRows;
  const errorRows = Math.max(1, Math.min(errorKinds, spare >= 12 ? 4 : 2));
  spare -= errorRows - 1;
  const logRows = spare >= 16 ? 5 : spare >= 10 ? 2 : 1;
  spare -= logRows;
  return { toolRows, errorRows, logRows, chartHeight: Math.max(3, spare - 2), width: columns };
}
