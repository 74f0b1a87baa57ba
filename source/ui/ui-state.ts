import { planFormReducer, type PlanForm, type PlanFormAction } from './plan-form.js';

/** What the keyboard is driving. */
export type Mode = 'main' | 'help' | 'concurrency' | 'settings' | 'mix' | 'findings' | 'marker' | 'plan';

export interface Notice {
  readonly text: string;
  readonly level: 'info' | 'error';
}

/** UI-only state: never the engine's. */
export interface UiState {
  readonly mode: Mode;
  /** Text being typed: an exact concurrency, or a setting's new value. */
  readonly entry: string;
  /** Whether the selected setting is being edited. */
  readonly editing: boolean;
  /** The setting being edited still shows its current value: what is typed or pasted replaces it. */
  readonly fresh: boolean;
  readonly settingsIndex: number;
  readonly mixIndex: number;
  /** The first help line shown when the help scrolls. */
  readonly helpOffset: number;
  readonly notice: Notice | null;
  /** The plan editor's fields while it is open (`a` with no plan given), else null. */
  readonly planForm: PlanForm | null;
}

export type UiAction =
  | { readonly type: 'open'; readonly mode: Mode }
  | { readonly type: 'close' }
  | { readonly type: 'type'; readonly text: string }
  | { readonly type: 'erase'; readonly count: number }
  | { readonly type: 'edit'; readonly initial: string }
  | { readonly type: 'move'; readonly delta: number; readonly size: number }
  | { readonly type: 'scroll'; readonly delta: number; readonly max: number }
  | { readonly type: 'notice'; readonly notice: Notice | null }
  | { readonly type: 'open-plan'; readonly form: PlanForm }
  | { readonly type: 'plan'; readonly action: PlanFormAction };

export const initialUiState: UiState = {
  mode: 'main',
  entry: '',
  editing: false,
  fresh: false,
  settingsIndex: 0,
  mixIndex: 0,
  helpOffset: 0,
  notice: null,
  planForm: null,
};

const wrap = (index: number, size: number): number => (size <= 0 ? 0 : ((index % size) + size) % size);

export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'open':
      return { ...state, mode: action.mode, entry: '', editing: false, fresh: false, helpOffset: 0 };
    case 'close':
      return state.editing
        ? { ...state, editing: false, fresh: false, entry: '' }
        : { ...state, mode: 'main', entry: '', planForm: null };
    case 'type':
      return { ...state, entry: ((state.fresh ? '' : state.entry) + action.text).slice(0, 40), fresh: false };
    case 'erase': {
      const entry = state.entry.slice(0, Math.max(0, state.entry.length - action.count));
      return { ...state, entry, fresh: false };
    }
    case 'edit':
      return { ...state, editing: true, fresh: true, entry: action.initial };
    case 'move':
      return state.mode === 'mix'
        ? { ...state, mixIndex: wrap(state.mixIndex + action.delta, action.size) }
        : { ...state, settingsIndex: wrap(state.settingsIndex + action.delta, action.size) };
    case 'scroll':
      return { ...state, helpOffset: Math.max(0, Math.min(action.max, state.helpOffset + action.delta)) };
    case 'notice':
      return { ...state, notice: action.notice };
    case 'open-plan':
      return { ...state, mode: 'plan', planForm: action.form };
    case 'plan':
      return state.planForm ? { ...state, planForm: planFormReducer(state.planForm, action.action) } : state;
  }
}
