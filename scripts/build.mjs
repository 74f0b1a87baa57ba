// The build: one esbuild bundle of the CLI and of the worker thread's entry, with the code both share, and
// what either loads on demand (the screen, the report writers, the demo server…), in chunks beside them.
// One file per entry loads far faster than ~850 modules (zod alone is ~350): module resolution, file reads
// and per-module compilation were most of each thread's start-up. Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { englishOnly, nodeBundle } from './bundle-options.mjs';
import { rmSync, writeFileSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
rmSync(outdir, { recursive: true, force: true });
// `eventsource` is imported at the top of the 2.x client's index, which every run's preflight loads, but
// only the legacy SSE transport uses it: source/mcp-client/lazy-eventsource.ts requires it on first use.
const lazyEventSource = {
  name: 'lazy-eventsource',
  setup(context) {
    context.onResolve({ filter: /^eventsource$/ }, () => ({
      path: `${root}source/mcp-client/lazy-eventsource.ts`,
    }));
  },
};
const { metafile } = await build({
  plugins: [lazyEventSource, englishOnly],
  absWorkingDir: root,
  entryPoints: ['source/cli.tsx', 'source/engine/worker-entry.ts'],
  // cli.js and worker-entry.js side by side with their chunks: a chunk finds either as `./NAME.js`.
  entryNames: '[name]',
  outdir,
  ...nodeBundle,
  // React and its reconciler pick their development builds unless told otherwise: several times the CPU per
  // frame (prop checks, a performance-track mark per component), which showed as event-loop delay while the
  // live screen redraws. The shipped tool always runs the production builds.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  metafile: true,
});
// Which packages each output file holds: the start-up trace (bench/loaded-packages.ts) reads it. Not shipped.
writeFileSync(`${outdir}/meta.json`, JSON.stringify(metafile));
