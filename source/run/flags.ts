import { camel, kebab, OPTIONS } from '../config/options.js';
import { ConfigError } from '../config/config-error.js';

type FlagDefinition = {
  readonly type: 'string' | 'boolean';
  readonly shortFlag?: string;
  readonly isMultiple?: boolean;
};

/** meow flag definitions from the options table: numbers stay strings so the zod schema gives the messages. */
export const flagDefinitions: Readonly<Record<string, FlagDefinition>> = Object.fromEntries(
  OPTIONS.map((option) => [
    camel(option.flag),
    {
      type: option.type === 'switch' ? 'boolean' : 'string',
      ...(option.alias ? { shortFlag: option.alias } : {}),
      ...(option.repeatable ? { isMultiple: true } : {}),
    },
  ]),
);

/** `-h`/`--help` and `-v`/`--version`: answered before any flag is checked. */
export const helpFlags = {
  help: { type: 'boolean', shortFlag: 'h' },
  version: { type: 'boolean', shortFlag: 'v' },
} as const;

/**
 * Renames flags to config fields (`--think` → `thinkMs`). meow reports a switch that was not typed as
 * `false`; only switches on the command line (`--sse`, `--no-get-stream`) are passed on, so an absent one
 * neither overrides the config file nor turns off what is on by default.
 */
export function flagsToConfig(
  flags: Readonly<Record<string, unknown>>,
  command: readonly string[],
  argv: readonly string[],
): Record<string, unknown> {
  const typed = (flag: string): boolean => argv.some((arg) => new RegExp(`^--(no-)?${flag}(=|$)`).test(arg));
  return {
    ...Object.fromEntries(
      OPTIONS.flatMap((option) =>
        option.field
          ? [
              [
                option.field,
                option.type === 'switch' && !typed(option.flag) ? undefined : flags[camel(option.flag)],
              ],
            ]
          : [],
      ),
    ),
    command: command.length > 0 ? [...command] : undefined,
  };
}

/** Rejects flags this tool does not have, with the closest one it does. */
export function checkUnknownFlags(given: Readonly<Record<string, unknown>>): void {
  const known = new Set<string>([
    ...Object.keys(flagDefinitions),
    ...OPTIONS.flatMap((option) => (option.alias ? [option.alias] : [])),
    ...Object.keys(helpFlags),
    'h',
    'v',
  ]);
  for (const name of Object.keys(given)) {
    if (known.has(name) || known.has(camel(name))) continue;
    const near = OPTIONS.find((option) => option.flag.startsWith(kebab(name).slice(0, 3)));
    throw new ConfigError(
      `unknown flag --${kebab(name)}${near ? `; did you mean --${near.flag}?` : ''} (see --help)`,
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
