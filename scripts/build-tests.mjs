// The tests, compiled: every TypeScript file of source/, test/, bench/ and scripts/ turned into JavaScript one for one (no
// bundling), in .test-build/ with the same folders, so `npm test` runs them with plain `node --test`.
// Under `--import tsx` each test file's process, and each support server a test starts, spent about 0.7 s
// of CPU registering the loader and more resolving every module through it: on 2 cores that was a
// fifth of the suite. Type checking is `npm run typecheck`; tests still run from source with
// `node --import tsx --test test/FILE.test.ts` (test/support/processes.ts finds either layout).
import { build } from 'esbuild';
import { copyFileSync, rmSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}.test-build`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // Not test/**: test/conformance/ holds a package of its own, with its node_modules.
  entryPoints: [
    ...['source/**/*.ts', 'source/**/*.tsx'],
    ...['test/*.ts', 'test/*.tsx', 'test/serial/*.ts', 'test/support/*.ts'],
    // What tests import from the bench and the scripts (the start-up trace, the flags page).
    ...['bench/*.ts', 'scripts/*.ts'],
  ],
  outdir,
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // Failures point at the TypeScript line (`node --enable-source-maps`).
  sourcemap: 'inline',
  logLevel: 'warning',
});
// source/run/version.ts reads the package.json two folders up from itself: here, this copy.
copyFileSync(`${root}package.json`, `${outdir}/package.json`);
