/** What the run shows: the live screen, or lines (status lines, JSON, or the summary alone). */
export interface ScreenChoice {
  readonly interactive: boolean;
  /** One line for stderr that says why there are lines instead of the screen asked for by default. */
  readonly note: string | null;
}

/** `CI=true`, `CI=1`, any value but empty, `0` or `false`: what CI services set. */
export function ciSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '' && !/^(0|false)$/i.test(value.trim());
}

/**
 * The live screen only on a terminal (stdin and stdout), when no flag asks for lines, and, with `CI` set,
 * only if `--tui` insists: a CI log that happens to have a terminal would otherwise record a blank screen.
 */
export function chooseScreen(
  config: {
    readonly headless: boolean;
    readonly json: boolean;
    readonly quiet: boolean;
    readonly tui: boolean;
  },
  terminal: boolean,
  ci: boolean,
): ScreenChoice {
  if (config.headless || config.json || config.quiet) return { interactive: false, note: null };
  if (!terminal)
    return {
      interactive: false,
      note: 'no terminal (stdin or stdout is not a TTY): status lines instead of the live screen; pass --headless to say so',
    };
  if (ci && !config.tui)
    return {
      interactive: false,
      note: 'CI is set: status lines instead of the live screen; pass --tui to draw the screen anyway',
    };
  return { interactive: true, note: null };
}
