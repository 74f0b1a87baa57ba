import { ConfigError } from '../config/config-error.js';
import { PreflightError } from '../engine/preflight-error.js';

/** One line, no stack trace (unless DEBUG and unexpected), a non-zero exit code. */
export function fail(message: string, code: number, error?: unknown): number {
  process.stderr.write(`mcp-load-explorer: ${message}\n`);
  const expected = error instanceof ConfigError || error instanceof PreflightError;
  if (process.env['DEBUG'] && error instanceof Error && !expected) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
  return code;
}

/** `-h` or `--help` among a command's arguments (before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  const at = args.indexOf('--');
  return (at === -1 ? args : args.slice(0, at)).some((arg) => arg === '-h' || arg === '--help');
}

/** meow's "The flag --x can only be set once." as one line that says what to do. */
export function flagError(error: unknown): string {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  const twice = /^The flag --(\S+) can only be set once/.exec(message);
  return twice ? `--${twice[1]} is given more than once; give it once` : message;
}
