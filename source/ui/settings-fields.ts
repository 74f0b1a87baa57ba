import { formatProtocolMix } from '../config/protocol-mix.js';
import type { Workload } from '../config/schema.js';
import { loadModelOf, type LoadModelKind } from '../engine/load-model.js';

/** A live-adjustable setting, shown and typed as text; the engine's schema checks the new value. */
export interface SettingField {
  readonly key:
    | 'jitterMs'
    | 'thinkMs'
    | 'sessionCalls'
    | 'timeoutMs'
    | 'sloMs'
    | 'concurrency'
    | 'arrivalRate'
    | 'protocolMix';
  readonly label: string;
  readonly hint: string;
  show(workload: Workload): string;
}

const range = (value: { min: number; max: number }): string => `${value.min}-${value.max}`;

const CLOSED_MODEL_FIELDS: readonly SettingField[] = [
  { key: 'concurrency', label: 'sessions (N)', hint: 'a whole number', show: (w) => String(w.concurrency) },
  { key: 'jitterMs', label: 'arrival jitter ms', hint: 'e.g. 1000', show: (w) => String(w.jitterMs) },
];

/** In the open model the rate replaces N, and arrivals are random already: no jitter. */
const OPEN_MODEL_FIELDS: readonly SettingField[] = [
  {
    key: 'arrivalRate',
    label: 'arrivals per second',
    hint: 'sessions/s, e.g. 2.5',
    show: (w) => String(w.arrivalRate ?? 0),
  },
];

const SHARED: readonly SettingField[] = [
  { key: 'thinkMs', label: 'think time ms', hint: 'MIN-MAX, e.g. 1000-5000', show: (w) => range(w.thinkMs) },
  {
    key: 'sessionCalls',
    label: 'calls per session',
    hint: 'MIN-MAX, e.g. 10-50',
    show: (w) => range(w.sessionCalls),
  },
  { key: 'timeoutMs', label: 'call timeout ms', hint: 'e.g. 30000', show: (w) => String(w.timeoutMs) },
  { key: 'sloMs', label: 'P99 SLO ms', hint: 'e.g. 2000', show: (w) => String(w.sloMs) },
];

const MODEL_FIELDS: Readonly<Record<LoadModelKind, readonly SettingField[]>> = {
  closed: CLOSED_MODEL_FIELDS,
  open: OPEN_MODEL_FIELDS,
};

/** A run started with `--protocol-mix`: its weights change live (the revisions it named were checked). */
const PROTOCOL_MIX: SettingField = {
  key: 'protocolMix',
  label: 'protocol mix',
  hint: 'REV:weight,…, e.g. 2025-11-25:70,2026-07-28:30',
  show: (w) => formatProtocolMix(w.protocolMix ?? []),
};

/** The settings the editor offers for this workload's model. */
export function settingFields(workload: Workload): readonly SettingField[] {
  return [
    ...MODEL_FIELDS[loadModelOf(workload).kind],
    ...SHARED,
    ...(workload.protocolMix ? [PROTOCOL_MIX] : []),
  ];
}
