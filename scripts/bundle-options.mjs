// What the two esbuild bundles share: the CLI's (scripts/build.mjs) and the tests' vendor files
// (scripts/build-tests.mjs).

/**
 * ES modules for Node 20, with their shared code in chunks. Ink loads react-devtools-core only when DEV=true
 * with the React devtools installed; it is not a dependency. The histograms come from node_modules at run
 * time (source/metrics/histogram.ts loads one class of the package), so every histogram is of the one copy
 * the HdrHistogram log writer checks `instanceof` against. CommonJS dependencies inside an ES module bundle
 * call `require` for Node's built-ins: the banner gives them one.
 */
export const nodeBundle = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['react-devtools-core', 'hdr-histogram-js'],
  banner: {
    js: "import { createRequire as __mleCreateRequire } from 'node:module'; const require = __mleCreateRequire(import.meta.url);",
  },
};

// zod's index re-exports every locale (`z.locales`, 366 KB of its 751 KB), which each process that loads zod
// then compiles; zod itself and this tool use English only (zod's `config(en())`). The locale index is
// built with English alone: a stray `z.locales.fr` would be undefined, and test/startup-modules.test.ts
// keeps the bundle free of the rest.
export const englishOnly = {
  name: 'zod-english-only',
  setup(context) {
    context.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)$/.test(args.resolveDir)
        ? { path: 'zod-locales', namespace: 'zod-english-only', pluginData: args.resolveDir }
        : undefined,
    );
    context.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};
