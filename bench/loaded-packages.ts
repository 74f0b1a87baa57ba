// The npm packages a traced run loaded (bench/module-trace.mjs). Packages required at run time appear as
// node_modules paths; the ones bundled into dist/ (scripts/build.mjs) appear as the bundle files that
// hold them, named by the build's metafile.
import { readFileSync } from 'node:fs';
import { root } from './paths.js';

const PACKAGE = /node_modules\/((?:@[^/]+\/)?[^/]+)\//;

interface Metafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, unknown> }>;
}

/** Package names each built file holds, by its path under the project (`dist/chunk-….js`). */
export function bundledPackages(): Map<string, Set<string>> {
  const meta = JSON.parse(readFileSync(`${root}dist/meta.json`, 'utf8')) as Metafile;
  const byFile = new Map<string, Set<string>>();
  for (const [file, { inputs }] of Object.entries(meta.outputs)) {
    const names = Object.keys(inputs).flatMap((input) => PACKAGE.exec(input)?.[1] ?? []);
    byFile.set(file, new Set(names));
  }
  return byFile;
}

/** Every package the trace's lines show loaded, bundled or not, sorted. */
export function loadedPackages(trace: string): string[] {
  const bundled = bundledPackages();
  const packages = new Set<string>();
  for (const line of trace.split('\n')) {
    const name = PACKAGE.exec(line)?.[1];
    if (name) packages.add(name);
    const built = /\/(dist\/[^/\s]+\.js)$/.exec(line)?.[1];
    if (built && line.includes(root)) for (const each of bundled.get(built) ?? []) packages.add(each);
  }
  return [...packages].sort();
}
