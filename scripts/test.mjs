// `npm test`: build, the checks (types, lint, format; in two lanes), then the test files that may share
// the machine, three at a time with the slowest started first, then the few that need it to themselves
// (test/serial/).
// The shared phase is bound by CPU (the two vCPUs here are hyperthreads of one core): the checks beside it
// starved (tsc 11 s → 43 s) and made timed tests flaky, so they run first, and a failed check stops here.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const bin = (name) => `${root}node_modules/.bin/${name}`;

/** Runs a command; `quiet` collects its output instead of passing it through. */
function run(command, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (quiet) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** Runs one check with its output held; a failure's output is returned for the report. */
async function check(name, command, args) {
  const started = Date.now();
  const { code, output } = await run(command, args, { quiet: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) return `check ${name} FAILED (${seconds} s):\n${output}`;
  process.stderr.write(`check ${name} passed (${seconds} s)\n`);
  return '';
}

/**
 * The checks in two lanes: ESLint beside the type check and then Prettier, each lane one thread (measured
 * 2026-12-02: 46–50 s one after another, 35 s in two lanes; three at once took 50 s). Every failure is
 * reported.
 */
async function checks() {
  const reports = await Promise.all([
    check('eslint', bin('eslint'), ['.']),
    (async () =>
      (await check('typecheck', bin('tsc'), ['-p', 'tsconfig.json'])) +
      (await check('prettier', bin('prettier'), ['--check', '.'])))(),
  ]);
  const report = reports.join('');
  return { code: report ? 1 : 0, report };
}

// The slowest files start first, so that none of them is left running alone at the end.
const SLOW_FIRST = [
  'e2e-faults',
  'e2e-find-ceiling',
  'e2e-tui',
  'e2e-hostile-http',
  'package',
  'e2e-open-model',
  'e2e-demo-http',
];
const files = (folder) =>
  readdirSync(`${root}.test-build/test/${folder}`)
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => `.test-build/test/${folder}${name}`);
const rank = (file) => {
  const index = SLOW_FIRST.findIndex((name) => file.endsWith(`/${name}.test.js`));
  return index === -1 ? SLOW_FIRST.length : index;
};
const testArgs = ['--enable-source-maps', '--test'];

const step = async (command, args) => (await run(command, args)).code;
if ((await step(node, ['scripts/build.mjs'])) !== 0) process.exit(1);
if ((await step(node, ['scripts/build-tests.mjs'])) !== 0) process.exit(1);
const checked = await checks();
if (checked.code !== 0) {
  process.stderr.write(checked.report);
  process.exit(1);
}
// Listed only now: the build above made them.
const shared = files('').sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if ((await step(node, [...testArgs, '--test-concurrency=3', ...shared])) !== 0) process.exit(1);
process.exit(await step(node, [...testArgs, ...files('serial/')]));
