import { useInput, type Key } from 'ink';
import { useRef, type Dispatch } from 'react';
import type { MixEntry } from '../config/schema.js';
import { loadModelOf } from '../engine/load-model.js';
import type { EnginePort } from './engine-port.js';
import { splitChunk } from './key-chunks.js';
import { HELP_LINES, helpPageSize } from './panels/help-overlay.js';
import { mixRows } from './panels/mix-editor.js';
import { findingsPageSize, findingsRows } from './panels/findings-panel.js';
import { describePlanForm, planFormFor, planRequestOf } from './plan-form.js';
import { settingFields } from './settings-fields.js';
import { uiReducer, type UiAction, type UiState } from './ui-state.js';

export interface ControlsOptions {
  readonly engine: EnginePort;
  readonly ui: UiState;
  readonly dispatch: Dispatch<UiAction>;
  readonly onQuit: () => void;
  /** Writes the report now; resolves to a line for the operator. */
  readonly onExportReport: () => Promise<string>;
  /** Rows the help overlay has, so ↑↓ scroll it no further than its last page. */
  readonly helpRows?: number;
  /** The screen's width: the findings wrap to it, which sets how far they scroll. @default 100 */
  readonly columns?: number;
  /** The hold the plan editor offers (the run's `--hold`). @default 300 */
  readonly planHoldS?: number;
  /** @default true */
  readonly isActive?: boolean;
}

/** Backspace or Delete: a chunk of several arrives split into single presses (see `splitChunk`). */
const erases = (key: Key): boolean => key.backspace || key.delete;

/** All keyboard handling: one place, by mode. */
export function useControls(options: ControlsOptions): void {
  const { engine, onQuit, onExportReport, isActive = true } = options;
  // Keys can arrive faster than React renders: read the latest UI state and engine snapshot, not the
  // ones of the last render, so two quick ↑ presses make two sessions.
  // Not refreshed from props: a render for an engine snapshot may run before pending key updates land.
  const latest = useRef(options.ui);
  const dispatch = (action: UiAction): void => {
    latest.current = uiReducer(latest.current, action);
    options.dispatch(action);
  };

  const attempt = (action: () => void, success?: string): boolean => {
    try {
      action();
      dispatch({ type: 'notice', notice: success ? { text: success, level: 'info' } : null });
      return true;
    } catch (error) {
      dispatch({ type: 'notice', notice: { text: (error as Error).message, level: 'error' } });
      return false;
    }
  };
  /** ↑↓ and PgUp/PgDn: N ±1/±10, or in the open model the arrival rate ×/÷1.1 and ×/÷2. */
  const concurrency = (delta: number): void => {
    const { workload } = engine.getSnapshot();
    attempt(() => engine.setWorkload(loadModelOf(workload).nudge(workload, delta)));
  };
  const weigh = (change: (weight: number) => number): void => {
    const { tools, workload } = engine.getSnapshot();
    const rows = mixRows(tools, workload.mix ?? []);
    const selected = rows[latest.current.mixIndex];
    if (!selected) return;
    const mix: MixEntry[] = rows
      .map((row) => ({
        tool: row.name,
        weight: row.name === selected.name ? Math.max(0, change(row.weight)) : row.weight,
      }))
      .filter((entry) => entry.weight > 0);
    if (mix.length === 0) {
      dispatch({ type: 'notice', notice: { text: 'keep at least one tool in the mix', level: 'error' } });
      return;
    }
    attempt(() => engine.setWorkload({ mix }));
  };

  useInput(
    (input, key) => {
      // Keys typed faster than the terminal is read (or pasted) arrive as one chunk: take them one by one.
      for (const press of splitChunk(input, key)) handle(press.input, press.key);
    },
    { isActive },
  );

  function handle(input: string, key: Key): void {
    const ui = latest.current;
    const snapshot = engine.getSnapshot();
    const { workload } = snapshot;
    if (key.ctrl && input === 'c') return onQuit();
    switch (ui.mode) {
      case 'help': {
        const max = Math.max(0, HELP_LINES.length - helpPageSize(options.helpRows ?? Infinity));
        if (key.escape || input === '?' || key.return) dispatch({ type: 'close' });
        else if (key.upArrow || key.downArrow) dispatch({ type: 'scroll', delta: key.upArrow ? -1 : 1, max });
        else if (key.pageUp || key.pageDown)
          dispatch({ type: 'scroll', delta: key.pageUp ? -HELP_LINES.length : HELP_LINES.length, max });
        else if (input === 'q') onQuit();
        return;
      }
      case 'marker':
        if (key.escape) dispatch({ type: 'close' });
        else if (erases(key)) dispatch({ type: 'erase', count: 1 });
        else if (key.return) {
          const label = ui.entry.trim() || `marker at N=${workload.concurrency}`;
          if (attempt(() => engine.mark(label), `${label} (${new Date().toISOString().slice(11, 19)})`))
            dispatch({ type: 'close' });
        } else if (input.length > 0 && [...input].every((char) => char >= ' ' && char !== '\x7f'))
          dispatch({ type: 'type', text: input });
        return;
      case 'findings': {
        const rows = findingsRows(snapshot, options.columns ?? 100).length;
        const max = Math.max(0, rows - findingsPageSize(options.helpRows ?? Infinity));
        if (key.escape || input === 'f' || key.return) dispatch({ type: 'close' });
        else if (key.upArrow || key.downArrow) dispatch({ type: 'scroll', delta: key.upArrow ? -1 : 1, max });
        else if (key.pageUp || key.pageDown)
          dispatch({ type: 'scroll', delta: key.pageUp ? -rows : rows, max });
        else if (input === 'q') onQuit();
        return;
      }
      case 'concurrency':
        if (key.escape) dispatch({ type: 'close' });
        else if (erases(key)) dispatch({ type: 'erase', count: 1 });
        else if (key.return) {
          const change = { [loadModelOf(workload).knob]: ui.entry };
          if (ui.entry && attempt(() => engine.setWorkload(change))) dispatch({ type: 'close' });
        } else if (/^[\d.]+$/.test(input)) dispatch({ type: 'type', text: input });
        return;
      case 'settings': {
        const fields = settingFields(workload);
        const field = fields[Math.min(ui.settingsIndex, fields.length - 1)]!;
        // Typed: numbers, ranges and the protocol mix (`2025-11-25:70,2026-07-28:30`).
        if (key.escape) dispatch({ type: 'close' });
        else if (ui.editing) {
          if (erases(key)) dispatch({ type: 'erase', count: 1 });
          else if (key.return) {
            if (
              attempt(() => engine.setWorkload({ [field.key]: ui.entry }), `${field.label} = ${ui.entry}`)
            ) {
              dispatch({ type: 'close' });
            }
          } else if (/^[\d.,:-]+$/.test(input)) dispatch({ type: 'type', text: input });
        } else if (key.upArrow || key.downArrow) {
          dispatch({ type: 'move', delta: key.upArrow ? -1 : 1, size: fields.length });
        } else if (key.return) dispatch({ type: 'edit', initial: field.show(workload) });
        else if (input === 's') dispatch({ type: 'close' });
        return;
      }
      case 'plan': {
        const form = ui.planForm;
        if (key.escape || !form) dispatch({ type: 'close' });
        else if (key.return) {
          if (attempt(() => engine.startPlan(planRequestOf(form)), `plan started: ${describePlanForm(form)}`))
            dispatch({ type: 'close' });
        } else if (key.upArrow || key.downArrow || key.tab)
          dispatch({ type: 'plan', action: { type: 'move', delta: key.upArrow ? -1 : 1 } });
        else if (erases(key)) dispatch({ type: 'plan', action: { type: 'erase' } });
        else if (input === ' ' || input === 'c')
          dispatch({ type: 'plan', action: { type: 'toggle-ceiling' } });
        else if (/^[\d.]+$/.test(input)) dispatch({ type: 'plan', action: { type: 'type', text: input } });
        return;
      }
      case 'mix':
        if (key.escape || input === 't') dispatch({ type: 'close' });
        else if (key.upArrow || key.downArrow) {
          dispatch({ type: 'move', delta: key.upArrow ? -1 : 1, size: snapshot.tools.length });
        } else if (key.rightArrow || input === '+') weigh((weight) => weight + 1);
        else if (key.leftArrow || input === '-') weigh((weight) => weight - 1);
        else if (input === ']') weigh((weight) => weight + 10);
        else if (input === '[') weigh((weight) => weight - 10);
        else if (input === '0') weigh(() => 0);
        return;
      case 'main':
        if (key.upArrow) concurrency(1);
        else if (key.downArrow) concurrency(-1);
        else if (key.pageUp || key.rightArrow) concurrency(10);
        else if (key.pageDown || key.leftArrow) concurrency(-10);
        else if (input === ' ')
          attempt(() => (snapshot.state === 'paused' ? engine.resume() : engine.pause()));
        else if (input === 'n') dispatch({ type: 'open', mode: 'concurrency' });
        else if (input === 's') dispatch({ type: 'open', mode: 'settings' });
        else if (input === 't') dispatch({ type: 'open', mode: 'mix' });
        else if (input === 'f') dispatch({ type: 'open', mode: 'findings' });
        else if (input === '?') dispatch({ type: 'open', mode: 'help' });
        else if (input === 'a' && !snapshot.plan) {
          const now = workload.arrivalRate ?? workload.concurrency;
          dispatch({ type: 'open-plan', form: planFormFor(now, options.planHoldS ?? 300) });
        } else if (input === 'a') attempt(() => engine.togglePlan());
        else if (input === 'm') dispatch({ type: 'open', mode: 'marker' });
        else if (input === 'e') {
          onExportReport().then(
            (text) => dispatch({ type: 'notice', notice: { text, level: 'info' } }),
            (error: Error) => dispatch({ type: 'notice', notice: { text: error.message, level: 'error' } }),
          );
        } else if (input === 'q') onQuit();
        return;
    }
  }
}
