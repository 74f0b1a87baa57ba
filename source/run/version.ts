import { readFileSync } from 'node:fs';

/** The version in package.json: dist/run/version.js and source/run/version.ts both sit two folders down. */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
