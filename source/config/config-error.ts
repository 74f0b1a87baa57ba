import { z } from 'zod';
import { FLAG_OF_FIELD, kebab } from './flag-names.js';

/** The flag that sets each config field, so errors speak the user's language. */
export const flagOf: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(FLAG_OF_FIELD).map(([field, flag]) => [field, `--${kebab(flag)}`])),
  command: 'the stdio command',
};

/** A bad flag, config file or live change: its message is one line that says what to do. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function describeIssues(error: z.ZodError, where: 'flags' | string): string {
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
