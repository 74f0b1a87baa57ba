/** Resolves on the first Ctrl-C, SIGTERM or SIGHUP (an SSH connection dropping); a second forces exit. */
export function onInterrupt(): { readonly interrupted: Promise<'interrupted'>; dispose(): void } {
  let count = 0;
  let resolve!: (value: 'interrupted') => void;
  const interrupted = new Promise<'interrupted'>((done) => {
    resolve = done;
  });
  const handler = (): void => {
    count += 1;
    if (count > 1) {
      process.stderr.write('mcp-load-explorer: interrupted twice, exiting without closing sessions\n');
      process.exit(130);
    }
    resolve('interrupted');
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, handler);
  return {
    interrupted,
    dispose: () => {
      for (const signal of signals) process.off(signal, handler);
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
