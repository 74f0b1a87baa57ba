import { readFile } from 'node:fs/promises';
import { ConfigError, describeIssues } from './config-error.js';
import { isPrototypeKey, protoKeyPath } from './safe-values.js';
import { ConfigSchema, type Config } from './schema.js';

/** A tool or header name that is a prototype key, as `mix.constructor`; zod's records hide which key. */
function prototypeName(settings: Record<string, unknown>): string | null {
  for (const field of ['mix', 'args', 'headers', 'headerEnv']) {
    const names = settings[field];
    if (typeof names !== 'object' || names === null || Array.isArray(names)) continue;
    const found = Object.keys(names).find(isPrototypeKey);
    if (found) return `${field}.${found}`;
  }
  return null;
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
  const proto = protoKeyPath(value) ?? prototypeName(value as Record<string, unknown>);
  if (proto)
    throw new ConfigError(
      `--config ${file}: ${proto}: __proto__, constructor and prototype are not allowed as names; remove it`,
    );
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
