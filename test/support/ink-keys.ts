/** What a terminal sends for the keys the tests press. */
export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  end: '\u001B[F',
  home: '\u001B[H',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  escape: '\u001B',
  enter: '\r',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

/** Lets React apply a key's state updates before the next key (no time passes). */
export const flush = async (): Promise<void> => {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** What the screen writes to show and hide the cursor (Ink hides it while drawing). */
export const CURSOR = { show: '\u001B[?25h', hide: '\u001B[?25l' } as const;
