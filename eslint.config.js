import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * Imports go one way: CLI → run → ui/headless/report/replay → format/chart → analysis → engine →
 * mcp-client, metrics, config, files. Each layer lists the folders it must not import.
 */
const ABOVE = {
  leaves: ['engine', 'analysis', 'format', 'chart', 'replay', 'report', 'headless', 'ui', 'run', 'commands'],
  engine: ['analysis', 'format', 'chart', 'replay', 'report', 'headless', 'ui', 'run', 'commands'],
  analysis: ['format', 'chart', 'replay', 'report', 'headless', 'ui', 'run', 'commands'],
  presentation: ['replay', 'report', 'headless', 'ui', 'run', 'commands'],
  ui: ['report', 'headless', 'run', 'commands'],
  headless: ['ui', 'report', 'replay', 'run', 'commands'],
  report: ['ui', 'headless', 'replay', 'run', 'commands'],
  replay: ['ui', 'headless', 'report', 'run', 'commands'],
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
  { ignores: ['dist/', 'node_modules/', 'media/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
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
  boundary(['source/run/**'], 'run'),
);
