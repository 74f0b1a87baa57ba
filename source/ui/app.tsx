import { Text, useApp } from 'ink';
import { useEffect, useReducer, type ReactNode } from 'react';
import { loadModelOf } from '../engine/load-model.js';
import { Dashboard } from './dashboard.js';
import type { EnginePort } from './engine-port.js';
import { layoutFor } from './layout.js';
import { FindingsPanel } from './panels/findings-panel.js';
import { Footer } from './panels/footer.js';
import { HelpOverlay } from './panels/help-overlay.js';
import { MixEditor } from './panels/mix-editor.js';
import { PlanEditor } from './panels/plan-editor.js';
import { SettingsEditor } from './panels/settings-editor.js';
import { fits, TooSmall } from './panels/too-small.js';
import { useControls } from './use-controls.js';
import { useEngineSnapshot } from './use-engine-snapshot.js';
import { useTerminalSize } from './use-terminal-size.js';
import { initialUiState, uiReducer } from './ui-state.js';

export interface AppProps {
  readonly engine: EnginePort;
  /** Called once when the operator quits; the CLI then stops the engine. */
  readonly onQuit: () => void;
  /** Writes the report now (`e`); resolves to a line for the operator. */
  readonly onExportReport?: () => Promise<string>;
  /** What the plan editor offers (`a` with no plan given): the run's `--hold` and `--warmup`. */
  readonly planDefaults?: { readonly holdS: number; readonly warmupS: number };
}

const NOTICE_MS = 5000;
const noExport = (): Promise<string> =>
  Promise.reject(new Error('no report file: start with --report FILE.json'));

/** The live screen. It reads the engine only through snapshots and sends the operator's changes. */
export function App({ engine, onQuit, onExportReport = noExport, planDefaults }: AppProps) {
  const snapshot = useEngineSnapshot(engine);
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);
  useEffect(() => {
    if (!ui.notice) return;
    const timer = setTimeout(() => dispatch({ type: 'notice', notice: null }), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [ui.notice]);
  const layout = layoutFor(snapshot, columns, rows);
  const overlayRows = layout.chartHeight + 3 + layout.logRows;
  useControls({
    engine,
    ui,
    dispatch,
    onExportReport,
    helpRows: overlayRows,
    columns,
    planHoldS: planDefaults?.holdS,
    onQuit: () => {
      onQuit();
      exit();
    },
  });

  if (!fits(columns, rows)) return <TooSmall columns={columns} rows={rows} hint="q and use --headless" />;
  const overlay = (): ReactNode =>
    ui.mode === 'help' ? (
      <HelpOverlay rows={overlayRows} offset={ui.helpOffset} />
    ) : ui.mode === 'findings' ? (
      <FindingsPanel snapshot={snapshot} rows={overlayRows} columns={columns} offset={ui.helpOffset} />
    ) : ui.mode === 'settings' ? (
      <SettingsEditor
        workload={snapshot.workload}
        selected={ui.settingsIndex}
        editing={ui.editing}
        fresh={ui.fresh}
        entry={ui.entry}
      />
    ) : ui.mode === 'plan' && ui.planForm ? (
      <PlanEditor form={ui.planForm} warmupS={planDefaults?.warmupS} />
    ) : ui.mode === 'mix' ? (
      <MixEditor
        tools={snapshot.tools}
        mix={snapshot.workload.mix ?? []}
        selected={ui.mixIndex}
        rows={Math.max(3, overlayRows - 3)}
      />
    ) : null;
  const model = loadModelOf(snapshot.workload);
  const footer =
    ui.mode === 'concurrency' ? (
      <Text>
        {model.knobLabel}: <Text bold>{ui.entry}▏</Text> Enter to apply · Esc to cancel
        {ui.notice ? ` · ${ui.notice.text}` : ''}
      </Text>
    ) : ui.mode === 'marker' ? (
      <Text>
        marker label: <Text bold>{ui.entry}▏</Text> Enter to drop it (empty: N) · Esc to cancel
      </Text>
    ) : (
      <Footer notice={ui.notice} open={model.kind === 'open'} columns={columns} />
    );
  return <Dashboard snapshot={snapshot} columns={columns} rows={rows} overlay={overlay} footer={footer} />;
}
