import { FLAG_OF_FIELD, kebab } from '../config/flag-names.js';
import { ConfigError } from '../config/config-error.js';
import { observabilityFlagDefinitions } from '../observability/options.js';

/** meow flag definitions: numbers stay strings so the zod schema gives the error messages. */
export const flagDefinitions = {
  url: { type: 'string' },
  sse: { type: 'boolean' },
  getStream: { type: 'boolean' },
  header: { type: 'string', isMultiple: true },
  headerEnv: { type: 'string', isMultiple: true },
  spawn: { type: 'string' },
  pid: { type: 'string' },
  concurrency: { type: 'string', shortFlag: 'n' },
  arrivalRate: { type: 'string' },
  maxSessions: { type: 'string' },
  jitter: { type: 'string' },
  think: { type: 'string' },
  sessionCalls: { type: 'string' },
  mix: { type: 'string' },
  args: { type: 'string', isMultiple: true },
  timeout: { type: 'string' },
  slo: { type: 'string' },
  steps: { type: 'string' },
  findCeiling: { type: 'boolean' },
  ceilingPrecision: { type: 'string' },
  startAt: { type: 'string' },
  hold: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  window: { type: 'string' },
  workers: { type: 'string' },
  bottleneck: { type: 'string' },
  config: { type: 'string' },
  report: { type: 'string' },
  hdrLog: { type: 'string' },
  record: { type: 'string' },
  checkIndependence: { type: 'string' },
  reportMd: { type: 'string' },
  reportCsv: { type: 'string' },
  assert: { type: 'string', isMultiple: true },
  json: { type: 'boolean' },
  headless: { type: 'boolean' },
  ...observabilityFlagDefinitions,
} as const;

type Flags = { readonly [K in keyof typeof flagDefinitions]?: unknown };

/**
 * Renames flags to config fields (`--think` → `thinkMs`). meow reports a switch that was not typed as
 * `false`; only switches on the command line (`--sse`, `--no-get-stream`) are passed on, so an absent one
 * neither overrides the config file nor turns off what is on by default.
 */
export function flagsToConfig(
  flags: Flags,
  command: readonly string[],
  argv: readonly string[],
): Record<string, unknown> {
  const typed = (flag: string): boolean => {
    const name = kebab(flag);
    return argv.some((arg) => new RegExp(`^--(no-)?${name}(=|$)`).test(arg));
  };
  const definitions = flagDefinitions as Record<string, { type: string }>;
  return {
    ...Object.fromEntries(
      Object.entries(FLAG_OF_FIELD).map(([field, flag]) => [
        field,
        definitions[flag]?.type === 'boolean' && !typed(flag) ? undefined : flags[flag],
      ]),
    ),
    command: command.length > 0 ? [...command] : undefined,
  };
}

/** Rejects flags this tool does not have, with the closest one it does. */
export function checkUnknownFlags(given: Record<string, unknown>): void {
  const known = new Set<string>([...Object.keys(flagDefinitions), 'n', 'help', 'version']);
  for (const name of Object.keys(given)) {
    if (known.has(name) || known.has(name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())))
      continue;
    const near = Object.keys(flagDefinitions).find((flag) => flag.startsWith(name.slice(0, 3)));
    throw new ConfigError(
      `unknown flag --${kebab(name)}${near ? `; did you mean --${kebab(near)}?` : ''} (see --help)`,
    );
  }
}

/** Splits argv at the first `--`: the rest is the stdio server command. */
export function splitAtDashes(argv: readonly string[]): { options: string[]; command: string[] } {
  const at = argv.indexOf('--');
  return at === -1
    ? { options: [...argv], command: [] }
    : { options: argv.slice(0, at), command: argv.slice(at + 1) };
}
