// `npm test`: build, then the checks (types, lint, format) side by side with the test files that may share
// the machine, then the few that need it to themselves (test/serial/). The checks are CPU-bound and the
// shared test files spend much of their time waiting on servers, so running them together takes little
// longer than the tests alone. Output of the checks is held back and printed when they end, so that it does
// not interleave with the test runner's.
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

/** The checks, one after another; stops at the first that fails. */
async function checks() {
  const steps = [
    ['typecheck', bin('tsc'), ['-p', 'tsconfig.json']],
    ['eslint', bin('eslint'), ['.']],
    ['prettier', bin('prettier'), ['--check', '.']],
  ];
  for (const [name, command, args] of steps) {
    const started = Date.now();
    const { code, output } = await run(command, args, { quiet: true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code !== 0) return { code, report: `check ${name} FAILED (${seconds} s):\n${output}` };
    process.stderr.write(`check ${name} passed (${seconds} s)\n`);
  }
  return { code: 0, report: '' };
}

// The slowest files start first, so that none of them is left running alone at the end.
const SLOW_FIRST = ['e2e-faults', 'e2e-find-ceiling', 'e2e-bottlenecks', 'package', 'e2e-process-groups'];
const files = (folder) =>
  readdirSync(`${root}.test-build/test/${folder}`)
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => `.test-build/test/${folder}${name}`);
const rank = (file) => {
  const index = SLOW_FIRST.findIndex((name) => file.endsWith(`/${name}.test.js`));
  return index === -1 ? SLOW_FIRST.length : index;
};
const shared = files('').sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const testArgs = ['--enable-source-maps', '--test'];

const step = async (command, args) => (await run(command, args)).code;
if ((await step(node, ['scripts/build.mjs'])) !== 0) process.exit(1);
if ((await step(node, ['scripts/build-tests.mjs'])) !== 0) process.exit(1);
const [checked, tested] = await Promise.all([
  checks(),
  run(node, [...testArgs, '--test-concurrency=3', ...shared]),
]);
if (checked.code !== 0) process.stderr.write(checked.report);
if (checked.code !== 0 || tested.code !== 0) process.exit(1);
process.exit((await run(node, [...testArgs, ...files('serial/')])).code);
