/** The longest a Node timer waits, ms (2^31-1, about 24.8 days); a longer one fires after 1 ms instead. */
export const TIMER_MAX_MS = 2 ** 31 - 1;

export const TIMER_RANGE_MESSAGE = `at most ${TIMER_MAX_MS} ms (about 24.8 days), the longest a timer can wait`;

/** Names that reach an object's prototype instead of being a key of it: never a tool or a header name. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isPrototypeKey = (name: string): boolean => PROTOTYPE_KEYS.has(name);

export const prototypeKeyMessage = (what: string): string =>
  `${what} may not be __proto__, constructor or prototype`;

/** In a zod transform: adds the issue and says so when `name` is a prototype key. */
export function refusePrototypeName(
  ctx: { addIssue(issue: { code: 'custom'; message: string }): void },
  name: string | undefined,
  what: string,
): boolean {
  if (name === undefined || !isPrototypeKey(name)) return false;
  ctx.addIssue({ code: 'custom', message: `"${name}": ${prototypeKeyMessage(what)}` });
  return true;
}

/**
 * The path of the first `__proto__` key at any depth of parsed JSON (`JSON.parse` keeps it as an own key,
 * which zod's records skip and a spread or assignment turns into a prototype), or null.
 */
export function protoKeyPath(value: unknown, path: readonly string[] = []): string | null {
  if (typeof value !== 'object' || value === null) return null;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return [...path, key].join('.');
    const found = protoKeyPath((value as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return null;
}
