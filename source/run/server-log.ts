import { closeSync, writeSync } from 'node:fs';
import { openPrivateFileSync } from '../files/private-file.js';
import type { ServerLineSink } from '../metrics/recorder.js';
import type { ServerText } from '../mcp-client/server-text.js';

/** What each of a server's lines on stderr starts with, so a reader tells them from the tool's own. */
export const SERVER_LINE_PREFIX = '[server] ';

/** Where a server's own output goes, and the means to close its file. */
export interface ServerLog extends ServerLineSink {
  close(): void;
}

/**
 * Where the server's own output goes (`--spawn`, the demo server, a stdio server's stderr): into the
 * `--server-log` file instead of the event log; headless, also to stderr, each line prefixed; on the live
 * screen, only the event log (null), since nothing may be drawn over it. Lines are cleaned by the engine
 * (redacted, stripped, cut) before they get here; `text` cleans them again, which changes nothing of a clean
 * line, so a line from any path is safe.
 */
export function openServerLog(
  file: string | undefined,
  headless: boolean,
  text: ServerText,
  stderr: (text: string) => void = (line) => process.stderr.write(line),
): ServerLog | null {
  if (file) {
    const fd = openPrivateFileSync(file);
    let open = true;
    return {
      replacesEventLog: true,
      write: (line) => {
        if (!open) return;
        try {
          writeSync(fd, `${new Date().toISOString()} ${text.clean(line)}\n`);
        } catch {
          // A full disk ends the server log, not the run.
          open = false;
          closeSync(fd);
        }
      },
      close: () => {
        if (open) closeSync(fd);
        open = false;
      },
    };
  }
  if (!headless) return null;
  return {
    replacesEventLog: false,
    write: (line) => stderr(`${SERVER_LINE_PREFIX}${text.clean(line)}\n`),
    close: () => undefined,
  };
}
