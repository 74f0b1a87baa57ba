import { readFileSync } from 'node:fs';

/**
 * The version in package.json: source/run/version.ts sits two folders down; built, this code is in a
 * bundle or chunk directly in dist/ (see scripts/build.mjs).
 */
export function packageVersion(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  const text = readFileSync(
    new URL(fromSource ? '../../package.json' : '../package.json', import.meta.url),
    'utf8',
  );
  return (JSON.parse(text) as { version: string }).version;
}
