// The tests, compiled: every TypeScript file of source/, test/, bench/ and scripts/ turned into JavaScript one for one (no
// bundling), in .test-build/ with the same folders, so `npm test` runs them with plain `node --test`.
// Under `--import tsx` each test file's process, and each support server a test starts, spent about 0.7 s
// of CPU registering the loader and more resolving every module through it: on 2 cores that was a
// fifth of the suite. Type checking is `npm run typecheck`; tests still run from source with
// `node --import tsx --test test/FILE.test.ts` (test/support/processes.ts finds either layout).
//
// The heavy packages (VENDORED) are bundled once into .test-build/vendor/, one file per import path with
// their shared code in chunks beside them, and the compiled files import them from there: loading zod's
// ~100 modules, Ink's and React's, or the SDKs' one by one cost each test process and support server
// 0.2–1.1 CPU-s (an Ink test file 1.6 CPU-s before its first test, 0.4 bundled; a 2.x SDK server 0.67 to
// start, 0.38), measured 2026-12-02. One build of them all keeps one copy of each package per process (one
// React for Ink and the screen, one zod for the SDKs and the schemas). Every other import is left as written.
import { build } from 'esbuild';
import { copyFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { englishOnly, nodeBundle } from './bundle-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}.test-build`;
rmSync(outdir, { recursive: true, force: true });

const VENDORED =
  /^(zod|ink|ink-testing-library|react|meow|ajv|ajv-formats|asciichart|@modelcontextprotocol\/(sdk|server|client))(\/.*)?$/;
/** The vendor file of an import path: `@modelcontextprotocol/sdk/server/mcp.js` → `modelcontextprotocol+sdk+server+mcp.js`. */
const vendorName = (path) => path.replace(/^@/, '').replace(/[^\w.-]+/g, '+');
const vendored = new Set();

/** Every import stays as written, but a vendored package's, which points at its file in .test-build/vendor/. */
const toVendor = {
  name: 'to-vendor',
  setup(context) {
    context.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!VENDORED.test(args.path)) return { path: args.path, external: true };
      vendored.add(args.path);
      const from = join(outdir, relative(root, args.resolveDir));
      const to = relative(from, join(outdir, 'vendor', `${vendorName(args.path)}.js`));
      return { path: to.startsWith('.') ? to : `./${to}`, external: true };
    });
  },
};

await build({
  plugins: [toVendor],
  absWorkingDir: root,
  // Not test/**: test/conformance/ holds a package of its own, with its node_modules.
  entryPoints: [
    ...['source/**/*.ts', 'source/**/*.tsx'],
    ...['test/*.ts', 'test/*.tsx', 'test/serial/*.ts', 'test/support/*.ts'],
    // What tests import from the bench and the scripts (the start-up trace, the flags page).
    ...['bench/*.ts', 'scripts/*.ts'],
  ],
  // Each file alone: every import is external (above).
  bundle: true,
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

/**
 * Each vendor file re-exports what Node's own loader finds in its package (for a CommonJS one, the names its
 * lexer detects), so that named imports work as they do from node_modules.
 */
const vendorEntry = {
  name: 'vendor-entry',
  setup(context) {
    context.onResolve({ filter: /^vendor-entry:/ }, (args) => ({
      path: args.path.slice('vendor-entry:'.length),
      namespace: 'vendor-entry',
    }));
    context.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, async (args) => {
      const exported = Object.keys(await import(args.path));
      const names = exported.filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      const hasDefault = exported.includes('default');
      const contents = [
        `import * as m from ${JSON.stringify(args.path)};`,
        names.length > 0 ? `export const { ${names.join(', ')} } = m;` : '',
        hasDefault ? 'export default m.default;' : '',
      ].join('\n');
      return { contents, resolveDir: root, loader: 'js' };
    });
  },
};

await build({
  // zod in English only, as the CLI's own build has it (scripts/bundle-options.mjs).
  plugins: [vendorEntry, englishOnly],
  absWorkingDir: root,
  entryPoints: Object.fromEntries(
    [...vendored].map((path) => [`vendor/${vendorName(path)}`, `vendor-entry:${path}`]),
  ),
  chunkNames: 'vendor/chunk-[hash]',
  outdir,
  // As the CLI's build: scripts/bundle-options.mjs.
  ...nodeBundle,
  logLevel: 'warning',
});
// source/run/version.ts reads the package.json two folders up from itself: here, this copy.
copyFileSync(`${root}package.json`, `${outdir}/package.json`);
