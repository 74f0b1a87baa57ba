import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * Imports go one way: CLI → run → ui/headless/report/replay → format/chart → analysis → engine →
 * mcp-client, metrics, config, files. Each layer lists the folders it must not import.
 */
const TOP = ['run', 'commands'];
/** The outputs side by side: none imports another (the replay screen is the one ui import of replay). */
const OUTPUTS = ['ui', 'headless', 'report', 'replay', 'observability'];
const besides = (self) => OUTPUTS.filter((folder) => folder !== self);
const presentation = [...OUTPUTS, ...TOP];
const analysis = ['format', 'chart', ...presentation];
const engine = ['analysis', ...analysis];
const ABOVE = {
  leaves: ['engine', ...engine],
  engine,
  analysis,
  presentation,
  ui: [...besides('ui').filter((folder) => folder !== 'replay'), ...TOP],
  headless: [...besides('headless'), ...TOP],
  report: [...besides('report'), ...TOP],
  replay: [...besides('replay'), ...TOP],
  observability: [...besides('observability'), 'format', 'chart', ...TOP],
  run: ['commands'],
};

const UI_LIBRARIES = [
  { name: 'react', message: 'React belongs to source/ui/ only: the engine knows nothing of React.' },
  { name: 'ink', message: 'Ink belongs to source/ui/ only: the engine knows nothing of the terminal.' },
];

function boundary(files, layer, extra = []) {
  const folders = ABOVE[layer];
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: layer === 'ui' ? [] : UI_LIBRARIES,
          patterns: [
            {
              regex: `^(\\.\\./)+(${folders.join('|')})/`,
              message: `imports go one way (see ARCHITECTURE.md): ${layer} must not import ${folders.join(', ')}`,
            },
            ...extra,
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'media/', '.tmp/', '.test-build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    // The tsconfig's one program: the project service took a third more CPU for the same findings (33 s → 25 s).
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // node:test's test() and it() return promises the runner awaits; anything else left running says `void`.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe'] },
          ],
        },
      ],
      // An async method that does not await still meets a Promise-returning interface (an MCP Transport).
      '@typescript-eslint/require-await': 'off',
      'no-console': 'off',
    },
  },
  boundary(['source/{metrics,config,mcp-client,demo-server,files}/**'], 'leaves'),
  boundary(['source/engine/**'], 'engine', [
    {
      regex: '/config/load-config\\.js$',
      message: 'the engine takes an EngineConfig; it does not load config files',
    },
  ]),
  boundary(['source/analysis/**'], 'analysis'),
  boundary(['source/{format,chart}/**'], 'presentation'),
  boundary(['source/ui/**'], 'ui'),
  boundary(['source/headless/**'], 'headless'),
  boundary(['source/report/**'], 'report'),
  boundary(['source/replay/**'], 'replay'),
  boundary(['source/observability/**'], 'observability'),
  boundary(['source/run/**'], 'run'),
  // Plain JavaScript files (this one, bench probes) are not in the TypeScript project.
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
