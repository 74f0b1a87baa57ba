import { open, stat, unlink } from 'node:fs/promises';
import { unfitPath } from '../files/private-file.js';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../config/config-error.js';

const OUTPUTS = [
  ['report', '--report'],
  ['reportMd', '--report-md'],
  ['reportCsv', '--report-csv'],
  ['hdrLog', '--hdr-log'],
  ['record', '--record'],
  ['junit', '--junit'],
  ['serverLog', '--server-log'],
] as const;

/**
 * Checks before any load starts that every output file can be written and is (or will be) a regular file (its folder exists and is writable,
 * or can be created in the nearest folder that does), so a typo does not cost the figures of a long run.
 */
export async function checkOutputPaths(config: Config): Promise<void> {
  for (const [field, flag] of OUTPUTS) {
    const file = config[field];
    if (!file) continue;
    let folder = dirname(resolve(file));
    for (;;) {
      const found = await stat(folder).catch(() => null);
      if (found) {
        const writable = found.isDirectory() && (await canCreateIn(folder));
        if (!writable)
          throw new ConfigError(`${flag} ${file}: cannot write into ${folder}; choose another path`);
        break;
      }
      const parent = dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
    // A device, FIFO or socket is never written: the report would replace it, the recording feed it.
    const unfit = await unfitPath(file);
    if (unfit === 'a folder') throw new ConfigError(`${flag} ${file}: is a folder; give a file name`);
    if (unfit) throw new ConfigError(`${flag} ${file}: is ${unfit}, not a regular file; give a file path`);
  }
}

/** Creates and removes a probe file: permission bits alone say nothing for root or for /proc. */
async function canCreateIn(folder: string): Promise<boolean> {
  const probe = join(folder, `.mcp-load-explorer-${process.pid}.probe`);
  try {
    await (await open(probe, 'wx', 0o600)).close();
    await unlink(probe);
    return true;
  } catch {
    return false;
  }
}
