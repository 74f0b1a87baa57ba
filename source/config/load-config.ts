import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FLAG_OF_FIELD } from './options.js';
import { ConfigSchema, WorkloadSchema, type Config, type Workload, type WorkloadInput } from './schema.js';

/** The flag that sets each config field, so errors speak the user's language. */
export const flagOf: Readonly<Record<string, string>> = {
  ...FLAG_OF_FIELD,
  command: 'the stdio command',
};

/** A bad flag, config file or live change: its message is one line that says what to do. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `where` is `'flags'` (name the flag) or the config file's `--config FILE`. */
function describeIssues(error: z.ZodError, where: string): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  const union = issue.code === 'invalid_union' ? unionIssue(issue, where === 'flags') : null;
  const path = [...issue.path, ...(union?.path ?? [])].map(String);
  const message = union?.message ?? issue.message;
  const [field, ...rest] = path;
  if (where === 'flags') {
    const flag = field ? (flagOf[field] ?? field) : 'configuration';
    return `${flag}${rest.length ? ` (${rest.join('.')})` : ''}: ${message}`;
  }
  return `${where}: ${path.join('.') || '(root)'}: ${message}`;
}

/**
 * Reports the branch the user most likely meant: the string form for flags; in a config file the branch
 * that got furthest into the value (the deepest issue), so `{"args": {"sleep": 5}}` names `args.sleep`.
 */
function unionIssue(
  issue: z.core.$ZodIssueInvalidUnion,
  flags: boolean,
): { readonly path: readonly PropertyKey[]; readonly message: string } {
  const firsts = issue.errors.map((branch) => branch[0]).filter((first) => first !== undefined);
  const chosen = flags
    ? firsts[0]
    : firsts.reduce<(typeof firsts)[number] | undefined>(
        (best, first) => (!best || first.path.length > best.path.length ? first : best),
        undefined,
      );
  return { path: flags ? [] : (chosen?.path ?? []), message: chosen?.message ?? issue.message };
}

/** Reads and checks a JSON config file. Unknown keys are errors: a typo must not be silently ignored. */
export async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`--config ${file}: cannot read it (${code ?? 'error'}); check the path`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`--config ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`--config ${file}: expected a JSON object of settings`);
  }
  const known = new Set(Object.keys(ConfigSchema.shape));
  const unknown = Object.keys(value).filter((key) => !known.has(key) && key !== '$schema');
  if (unknown.length > 0) {
    throw new ConfigError(
      `--config ${file}: unknown setting "${unknown[0]}"; known settings: ${[...known].join(', ')}`,
    );
  }
  const { $schema: _ignored, ...settings } = value as Record<string, unknown>;
  const checked = ConfigSchema.safeParse(settings);
  if (!checked.success) throw new ConfigError(describeIssues(checked.error, `--config ${file}`));
  return settings;
}

/** Builds the run's config: the config file's settings, then the flags given, then defaults. */
export async function loadConfig(flags: Record<string, unknown>, configFile?: string): Promise<Config> {
  const fromFile = configFile ? await readConfigFile(configFile) : {};
  const given = Object.fromEntries(Object.entries(flags).filter(([, value]) => isGiven(value)));
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...given });
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, 'flags'));
  return parsed.data;
}

/** Flags not given are undefined (absent switches are dropped in flagsToConfig); empty lists too. */
function isGiven(value: unknown): boolean {
  if (value === undefined) return false;
  return !(Array.isArray(value) && value.length === 0);
}

/** Checks a live change against the same schema as the flags, on top of the current workload. */
export function applyWorkloadChange(current: Workload, change: WorkloadInput): Workload {
  const parsed = WorkloadSchema.safeParse({ ...current, ...change });
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, 'flags'));
  return parsed.data;
}
