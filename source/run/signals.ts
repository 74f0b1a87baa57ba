import { constants } from 'node:os';

/** The signals that end a run: Ctrl-C, `kill`, and an SSH connection dropping. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type EndSignal = (typeof SIGNALS)[number];

/** The exit code shells expect of a process ended by `signal`: 128 + its number (130, 143, 129). */
export function signalExitCode(signal: EndSignal): number {
  return 128 + constants.signals[signal];
}

export interface Interrupts {
  /** Resolves on the first signal. */
  readonly interrupted: Promise<'interrupted'>;
  /** The first signal received, or null. */
  readonly signal: EndSignal | null;
  /** Resolves on the second signal: stop waiting for calls in flight (the report is still written). */
  readonly hurried: Promise<void>;
  dispose(): void;
}

/**
 * Resolves on the first Ctrl-C, SIGTERM or SIGHUP; a second one hurries the shutdown; a third exits at
 * once, with nothing more written.
 */
export function onInterrupt(): Interrupts {
  let count = 0;
  let first: EndSignal | null = null;
  let resolve!: (value: 'interrupted') => void;
  let hurry!: () => void;
  const interrupted = new Promise<'interrupted'>((done) => (resolve = done));
  const hurried = new Promise<void>((done) => (hurry = done));
  const handler = (signal: EndSignal): void => {
    count += 1;
    first ??= signal;
    if (count === 1) return resolve('interrupted');
    if (count === 2) {
      process.stderr.write(
        'mcp-load-explorer: interrupted again: ending sessions without waiting for calls in flight (once more to exit at once)\n',
      );
      return hurry();
    }
    process.stderr.write('mcp-load-explorer: interrupted three times: exiting now, no report written\n');
    process.exit(signalExitCode(first));
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    interrupted,
    hurried,
    get signal() {
      return first;
    },
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, handler);
    },
  };
}

/** Routes console output and process warnings into the event log while the TUI owns the screen. */
export function captureConsole(log: (level: 'info' | 'warn' | 'error', message: string) => void): () => void {
  const original = {
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
    debug: console.debug,
  };
  const format = (args: unknown[]): string =>
    args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' ');
  console.log = console.info = console.debug = (...args: unknown[]) => log('info', format(args));
  console.warn = (...args: unknown[]) => log('warn', format(args));
  console.error = (...args: unknown[]) => log('error', format(args));
  const warningListeners = process.listeners('warning');
  process.removeAllListeners('warning');
  const onWarning = (warning: Error): void => log('warn', `${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  return () => {
    Object.assign(console, original);
    process.off('warning', onWarning);
    for (const listener of warningListeners) process.on('warning', listener);
  };
}
