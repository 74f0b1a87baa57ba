import type { PlanRequest } from '../engine/plan-request.js';

/** A field of the plan editor (`a` with no plan given). */
export type PlanFieldKey = 'start' | 'step' | 'holdS' | 'max';

export const PLAN_FIELDS: readonly { readonly key: PlanFieldKey; readonly label: string }[] = [
  { key: 'start', label: 'start N' },
  { key: 'step', label: 'step' },
  { key: 'holdS', label: 'hold s' },
  { key: 'max', label: 'max N' },
];

/** The plan editor's UI-only state: the values typed, the field selected, and the choice of the search. */
export interface PlanForm {
  readonly values: Readonly<Record<PlanFieldKey, string>>;
  readonly selected: number;
  /** The selected field still shows its default: the first digit typed replaces it. */
  readonly fresh: boolean;
  /** `max N` is replaced by the ceiling search (1, 2, 4, … then bisect): start and step are not used. */
  readonly findCeiling: boolean;
}

export type PlanFormAction =
  | { readonly type: 'type'; readonly text: string }
  | { readonly type: 'erase' }
  | { readonly type: 'move'; readonly delta: number }
  | { readonly type: 'toggle-ceiling' };

/** The most steps a plan typed on the screen may have. @default 50 */
export const MAX_PLAN_STEPS = 50;

/** The form with its defaults: from the N held now, four steps of that size, the run's `--hold`. */
export function planFormFor(concurrency: number, holdS: number): PlanForm {
  const start = Math.max(1, concurrency);
  return {
    values: { start: String(start), step: String(start), holdS: String(holdS), max: String(start * 4) },
    selected: 0,
    fresh: true,
    findCeiling: false,
  };
}

export function planFormReducer(form: PlanForm, action: PlanFormAction): PlanForm {
  const key = PLAN_FIELDS[form.selected]!.key;
  switch (action.type) {
    case 'type': {
      const value = form.fresh ? action.text : form.values[key] + action.text;
      return { ...form, values: { ...form.values, [key]: value.slice(0, 12) }, fresh: false };
    }
    case 'erase':
      return { ...form, values: { ...form.values, [key]: form.values[key].slice(0, -1) }, fresh: false };
    case 'move': {
      const size = PLAN_FIELDS.length;
      return { ...form, selected: (((form.selected + action.delta) % size) + size) % size, fresh: true };
    }
    case 'toggle-ceiling':
      return { ...form, findCeiling: !form.findCeiling };
  }
}

/** The plan the form describes; throws an Error with one line saying what to change. */
export function planRequestOf(form: PlanForm): PlanRequest {
  const number = (key: PlanFieldKey, label: string, min: number): number => {
    const text = form.values[key];
    const value = Number(text);
    if (text === '' || !Number.isFinite(value) || value < min)
      throw new Error(`${label}: "${text}" is not a number of at least ${min}`);
    return value;
  };
  const holdS = number('holdS', 'hold s', 1);
  if (form.findCeiling) return { findCeiling: true, holdS };
  const start = number('start', 'start N', 0);
  const step = number('step', 'step', 0);
  const max = number('max', 'max N', start);
  if (step === 0 && max > start) throw new Error('step: 0 never reaches max N; give a step above 0');
  const count = step === 0 ? 1 : Math.floor((max - start) / step + 1e-9) + 1;
  if (count > MAX_PLAN_STEPS)
    throw new Error(
      `that is ${count} steps (at most ${MAX_PLAN_STEPS}): make the step larger or max N smaller`,
    );
  const steps = Array.from({ length: count }, (_, index) => Number((start + index * step).toPrecision(12)));
  return { steps, holdS };
}

/** `steps 10, 20, 30, 40 · each held 300 s` or the search, as the editor previews it. */
export function describePlanForm(form: PlanForm): string {
  try {
    const request = planRequestOf(form);
    return 'findCeiling' in request
      ? `ceiling search: N = 1, 2, 4, … then bisect · each level held ${request.holdS} s`
      : `steps ${request.steps.join(', ')} · each held ${request.holdS} s`;
  } catch (error) {
    return (error as Error).message;
  }
}
