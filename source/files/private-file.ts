import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  type Stats,
} from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Output files hold server text and settings: readable by the user only. */
export const PRIVATE_MODE = 0o600;

/** What a path is when an output file cannot go there (a device, FIFO, socket or folder); null if it can. */
export function unfitKind(stats: Stats): string | null {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return null;
}

/** What is at `file` when it is not a regular file, or null (a regular file, or nothing yet). */
export async function unfitPath(file: string): Promise<string | null> {
  const found = await stat(file).catch(() => null);
  return found ? unfitKind(found) : null;
}

/**
 * Writes a whole file safely: into a temporary file in the same folder, then renamed over `file`, so a
 * reader never sees half of it and a crash leaves the old one. A device, FIFO or socket at `file` is refused,
 * never replaced. The file ends with mode 0600, whether it is new or existed.
 */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const unfit = await unfitPath(file);
  if (unfit) throw new Error(`${file} is ${unfit}, not a regular file; not written`);
  await mkdir(dirname(file), { recursive: true });
  const temporary = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temporary, 'wx', PRIVATE_MODE);
    try {
      await handle.writeFile(text);
      // The umask may take bits away; the mode must be exactly 0600 whatever it is.
      await handle.chmod(PRIVATE_MODE);
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * Opens a file written as the run goes (`--record`, `--hdr-log`): created or emptied, mode 0600 even when it
 * existed with another. Checked on the open descriptor, so a device, FIFO or socket put there after the
 * up-front check is refused too; non-blocking, so a FIFO with no reader cannot hang the run.
 */
export function openPrivateFileSync(file: string): number {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK, PRIVATE_MODE);
  try {
    const unfit = unfitKind(fstatSync(fd));
    if (unfit) throw new Error(`${file} is ${unfit}, not a regular file`);
    ftruncateSync(fd, 0);
    fchmodSync(fd, PRIVATE_MODE);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
