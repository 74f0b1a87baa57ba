// `npm run typecheck` and `eslint .` in one process, on one TypeScript program: the type-aware lint rules
// read the types the type check has already computed instead of building and checking the same program a
// second time. Same tsconfig, same ESLint config, same findings; `npm test` runs this, and `npm run
// typecheck` and `npm run lint` stay as they are. Measured 2026-12-02 on 2 vCPUs: 42–46 CPU-s against
// 20.5 (tsc) + 46–48 (ESLint) run apart.
import { ESLint } from 'eslint';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

const parsed = ts.getParsedCommandLineOfConfigFile(
  `${root}tsconfig.json`,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      process.stderr.write(
        `tsconfig.json: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}\n`,
      );
      process.exit(1);
    },
  },
);
const program = ts.createProgram({
  rootNames: parsed.fileNames,
  options: parsed.options,
  projectReferences: parsed.projectReferences,
});
const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
if (diagnostics.length > 0) {
  const host = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stdout.write(format(diagnostics, host));
  process.stdout.write(`\ntypecheck: ${diagnostics.length} error(s)\n`);
}

// The TypeScript files read their types from the program above instead of the config's `project`; plain
// JavaScript files keep the config's own settings (no type information).
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parserOptions: { programs: [program], project: false } },
    },
  ],
});
const results = await eslint.lintFiles(['.']);
const errors = results.reduce((sum, result) => sum + result.errorCount + result.fatalErrorCount, 0);
const report = await (await eslint.loadFormatter('stylish')).format(results);
if (report) process.stdout.write(report);
process.exitCode = diagnostics.length > 0 || errors > 0 ? 1 : 0;
