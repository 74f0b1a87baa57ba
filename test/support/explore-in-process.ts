import { run } from '../../source/commands/explore.js';
import type { CliResult } from './processes.js';

/**
 * Runs the main command in this process, through the same `run(args)` that `dist/cli.js` calls, for flags
 * refused before any connection: no process start-up per case. Its stderr is captured and `process.exitCode`
 * put back as it was, so a refusal does not fail the test file. stdout is left alone (the test runner reports
 * on it): `stdout` is always empty. A case that is not refused would start a run: after 20 s it fails, and
 * the file's process exits rather than run on. Calls take turns (stderr is one per process), even from tests
 * that run side by side.
 */
export function exploreInProcess(args: readonly string[]): Promise<CliResult> {
  const result = turn.then(() => exploreOnce(args));
  turn = result.catch(() => undefined);
  return result;
}

let turn: Promise<unknown> = Promise.resolve();

async function exploreOnce(args: readonly string[]): Promise<CliResult> {
  const saved = process.exitCode;
  const write = process.stderr.write.bind(process.stderr);
  let stderr = '';
  let limit: NodeJS.Timeout | undefined;
  process.exitCode = undefined;
  const capture = (chunk: string | Uint8Array): boolean => ((stderr += chunk.toString()), true);
  process.stderr.write = capture;
  try {
    const code = await Promise.race([
      run(args),
      new Promise<never>((_, reject) => {
        limit = setTimeout(() => {
          setTimeout(() => process.exit(1), 2000).unref();
          reject(new Error(`${args.join(' ')}: not refused within 20 s`));
        }, 20_000);
      }),
    ]);
    assertSameCode(code, process.exitCode);
    return { code, stdout: '', stderr };
  } finally {
    clearTimeout(limit);
    process.stderr.write = write;
    process.exitCode = saved;
  }
}

/** What `run` returns is what `dist/cli.js` sets as the exit code: it must agree with what `fail` set. */
function assertSameCode(code: number, exitCode: typeof process.exitCode): void {
  if (code !== (exitCode ?? 0)) throw new Error(`run returned ${code}, process.exitCode is ${exitCode}`);
}
