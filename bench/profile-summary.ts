// Where the CPU goes in `node --cpu-prof` profiles: self time by package (or source folder) and by function.
// Run: node --import tsx bench/profile-summary.ts DIR_OR_FILES… [--top N]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledPackages } from './loaded-packages.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
const files = positionals.flatMap((path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => join(path, name))
    : [path],
);

// The build bundles packages into dist/ (scripts/build.mjs): a bundle file is named with the packages in it.
const bundled = bundledPackages();

/**
 * `undici`, `@modelcontextprotocol/sdk`, `source/engine`, `node:internal/…`, `(program)`, or a bundle file
 * with what it holds: `dist/chunk-….js (zod)`.
 */
function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const built = /\/(dist\/[^/]+\.js)$/.exec(url)?.[1];
  const held = built && bundled.get(built);
  if (built && held) return `${built} (${held.size > 0 ? [...held].join(', ') : 'own code'})`;
  const own = /\/(?:dist|source)\/([^/]+)\//.exec(url);
  if (own?.[1]) return `source/${own[1]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 3).join('/');
  return url;
}

const byArea = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = area(url, functionName);
    total += micros;
    byArea.set(where, (byArea.get(where) ?? 0) + micros);
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  });
}

const top = Number(values.top);
const print = (title: string, counts: Map<string, number>): void => {
  console.log(`${title} (self time, ${files.length} profiles, ${(total / 1e6).toFixed(2)} s busy)`);
  for (const [key, micros] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
};
print('by package or folder', byArea);
print('by function', byFunction);
