import { Box } from 'ink';
import type { ReactNode } from 'react';
import type { EngineSnapshot } from '../engine/snapshot.js';
import { layoutFor, type Layout } from './layout.js';
import { ChartPanel } from './panels/chart-panel.js';
import { ErrorsPanel } from './panels/errors-panel.js';
import { EventLog } from './panels/event-log.js';
import { Header } from './panels/header.js';
import { LatencyTable } from './panels/latency-table.js';
import { ResourcesPanel } from './panels/resources-panel.js';
import { SessionsPanel } from './panels/sessions-panel.js';
import { useFreshErrors } from './use-fresh-errors.js';

export interface DashboardProps {
  readonly snapshot: EngineSnapshot;
  readonly columns: number;
  /** Rows the panels may use, the footer's included. */
  readonly rows: number;
  /** Drawn in place of the chart and event log (help, editors), or null. */
  readonly overlay?: (layout: Layout) => ReactNode;
  /** The last line: key hints or a notice. */
  readonly footer: ReactNode;
}

/** Every panel of one snapshot: the live screen and the replay draw the same thing. */
export function Dashboard({ snapshot, columns, rows, overlay, footer }: DashboardProps) {
  const fresh = useFreshErrors(snapshot);
  const layout = layoutFor(snapshot, columns, rows);
  const replacement = overlay?.(layout) ?? null;
  return (
    <Box flexDirection="column" width={columns}>
      <Header snapshot={snapshot} columns={columns} />
      <SessionsPanel snapshot={snapshot} />
      <LatencyTable snapshot={snapshot} toolRows={layout.toolRows} />
      <ErrorsPanel snapshot={snapshot} fresh={fresh} rows={layout.errorRows} />
      <ResourcesPanel snapshot={snapshot} />
      {replacement ?? (
        <>
          <ChartPanel snapshot={snapshot} width={columns} height={layout.chartHeight} />
          <EventLog snapshot={snapshot} rows={layout.logRows} />
        </>
      )}
      {footer}
    </Box>
  );
}
