import { readFileSync } from 'node:fs';

/**
 * The version in package.json: unbundled, source/run/version.ts sits two folders down (.test-build/ holds a
 * copy, scripts/build-tests.mjs); bundled, this code is in a bundle or chunk directly in dist/.
 */
export function packageVersion(): string {
  const unbundled = /\/version\.[jt]s$/.test(import.meta.url);
  const text = readFileSync(
    new URL(unbundled ? '../../package.json' : '../package.json', import.meta.url),
    'utf8',
  );
  return (JSON.parse(text) as { version: string }).version;
}
