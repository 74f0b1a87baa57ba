// An esbuild plugin for every build that bundles zod (the CLI's, and the tests' vendor files).
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
