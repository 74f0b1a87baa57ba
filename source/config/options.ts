import type { ConfigSchema } from './schema.js';
import { PLAN_OPTIONS, OUTPUT_OPTIONS } from './options-plan.js';
import { OBSERVABILITY_OPTIONS } from './options-observability.js';
import { TARGET_OPTIONS, WORKLOAD_OPTIONS } from './options-target.js';

/** The `--help` sections, in the order they are shown. */
export const OPTION_GROUPS = ['Target', 'Workload', 'Plan and output', 'Observability'] as const;
export type OptionGroup = (typeof OPTION_GROUPS)[number];

/** How a value is written: the schema checks it, this says what to type. */
export type OptionType = 'switch' | 'text' | 'number' | 'duration' | 'range' | 'duration range';

/** One option of the main command: the flag, the config field it sets and what the docs say of it. */
export interface CliOption {
  /** Flag name, kebab-case, without dashes (`session-calls`). */
  readonly flag: string;
  /** One-letter alias (`n` for `-n`). */
  readonly alias?: string;
  /** Config field the flag sets; absent for a flag that only steers the command line (`--config`). */
  readonly field?: keyof typeof ConfigSchema.shape;
  readonly type: OptionType;
  /** The flag may be given more than once. @default false */
  readonly repeatable?: boolean;
  /** Shown as `--no-<flag>`: a switch that is on by default. @default false */
  readonly negated?: boolean;
  /** Placeholder of the value in `--help` (`N`, `URL`, `MIN-MAX`). */
  readonly value?: string;
  /** Unit of a bare number (`ms`, `s`, `%`, `sessions/s`). */
  readonly unit?: string;
  /** The default as shown when the schema's default is not a fixed value (`cores`). */
  readonly defaultText?: string;
  /** Changeable in the live screen while the run goes on. @default false */
  readonly live?: boolean;
  readonly group: OptionGroup;
  /** The `--help` line. */
  readonly help: string;
  /** A paragraph for docs/flags.md. */
  readonly doc: string;
}

/** Every option of the main command; the meow flags, `--help`, the flag↔field mapping and docs/flags.md come from here. */
export const OPTIONS: readonly CliOption[] = [
  ...TARGET_OPTIONS,
  ...WORKLOAD_OPTIONS,
  ...PLAN_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...OBSERVABILITY_OPTIONS,
];

/** `sessionCalls` → `session-calls`. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** `session-calls` → `sessionCalls` (meow's name of a flag). */
export const camel = (name: string): string =>
  name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The flag, as typed, that sets each config field, so errors speak the user's language. */
export const FLAG_OF_FIELD: Readonly<Record<string, string>> = Object.fromEntries(
  OPTIONS.flatMap((option) => (option.field ? [[option.field, `--${option.flag}`]] : [])),
);
