import { Box, Text, useApp } from 'ink';
import { useEffect, useReducer } from 'react';
import type { EnginePort } from './engine-port.js';
import { layoutFor, MIN_COLUMNS, MIN_ROWS } from './layout.js';
import { ChartPanel } from './panels/chart-panel.js';
import { ErrorsPanel } from './panels/errors-panel.js';
import { EventLog } from './panels/event-log.js';
import { Footer } from './panels/footer.js';
import { Header } from './panels/header.js';
import { HelpOverlay } from './panels/help-overlay.js';
import { LatencyTable } from './panels/latency-table.js';
import { MixEditor } from './panels/mix-editor.js';
import { ResourcesPanel } from './panels/resources-panel.js';
import { SessionsPanel } from './panels/sessions-panel.js';
import { SettingsEditor } from './panels/settings-editor.js';
import { useControls } from './use-controls.js';
import { useEngineSnapshot } from './use-engine-snapshot.js';
import { useFreshErrors } from './use-fresh-errors.js';
import { useTerminalSize } from './use-terminal-size.js';
import { initialUiState, uiReducer } from './ui-state.js';

export interface AppProps {
  readonly engine: EnginePort;
  /** Called once when the operator quits; the CLI then stops the engine. */
  readonly onQuit: () => void;
  /** Writes the report now (`e`); resolves to a line for the operator. */
  readonly onExportReport?: () => Promise<string>;
}

const NOTICE_MS = 5000;
const noExport = (): Promise<string> =>
  Promise.reject(new Error('no report file: start with --report FILE.json'));

/** The live screen. It reads the engine only through snapshots and sends the operator's changes. */
export function App({ engine, onQuit, onExportReport = noExport }: AppProps) {
  const snapshot = useEngineSnapshot(engine);
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);
  const fresh = useFreshErrors(snapshot);
  useEffect(() => {
    if (!ui.notice) return;
    const timer = setTimeout(() => dispatch({ type: 'notice', notice: null }), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [ui.notice]);
  useControls({
    engine,
    ui,
    dispatch,
    onExportReport,
    onQuit: () => {
      onQuit();
      exit();
    },
  });

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      // One line at any width: a wrapped message would itself not fit.
      <Text wrap="truncate-end">
        Terminal {columns}×{rows} too small, need {MIN_COLUMNS}×{MIN_ROWS}: enlarge it, or q and use
        --headless
      </Text>
    );
  }
  const layout = layoutFor(snapshot, columns, rows);
  const overlayRows = layout.chartHeight + 3 + layout.logRows;
  return (
    <Box flexDirection="column" width={columns}>
      <Header snapshot={snapshot} />
      <SessionsPanel snapshot={snapshot} />
      <LatencyTable snapshot={snapshot} toolRows={layout.toolRows} />
      <ErrorsPanel snapshot={snapshot} fresh={fresh} rows={layout.errorRows} />
      <ResourcesPanel snapshot={snapshot} />
      {ui.mode === 'help' ? (
        <HelpOverlay />
      ) : ui.mode === 'settings' ? (
        <SettingsEditor
          workload={snapshot.workload}
          selected={ui.settingsIndex}
          editing={ui.editing}
          entry={ui.entry}
        />
      ) : ui.mode === 'mix' ? (
        <MixEditor
          tools={snapshot.tools}
          mix={snapshot.workload.mix ?? []}
          selected={ui.mixIndex}
          rows={Math.max(3, overlayRows - 3)}
        />
      ) : (
        <>
          <ChartPanel snapshot={snapshot} width={columns} height={layout.chartHeight} />
          <EventLog snapshot={snapshot} rows={layout.logRows} />
        </>
      )}
      {ui.mode === 'concurrency' ? (
        <Text>
          sessions (N): <Text bold>{ui.entry}▏</Text> Enter to apply · Esc to cancel
          {ui.notice ? ` · ${ui.notice.text}` : ''}
        </Text>
      ) : (
        <Footer notice={ui.notice} />
      )}
    </Box>
  );
}
