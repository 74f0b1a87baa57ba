import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EXAMPLE_CONFIG, FLAGS_DOC, renderFlagsDoc } from '../scripts/flags-doc.js';
import { help as compareHelp, run as compare } from '../source/commands/compare.js';
import { help as demoServerHelp, run as demoServer } from '../source/commands/demo-server.js';
import { run as explore } from '../source/commands/explore.js';
import { help as mergeHelp, run as merge } from '../source/commands/merge.js';
import { help as replayHelp, run as replay } from '../source/commands/replay.js';
import { help as schemaHelp, run as schema } from '../source/commands/schema.js';
import { readConfigFile } from '../source/config/load-config.js';
import { applyWorkloadChange } from '../source/config/workload-change.js';
import { OPTIONS } from '../source/config/options.js';
import { ConfigSchema } from '../source/config/schema.js';
import { ReportSchema } from '../source/report/report-schema.js';
import { flagsToConfig } from '../source/run/flags.js';
import { mainHelp, optionLabel } from '../source/run/help.js';
import { exploreInProcess } from './support/explore-in-process.js';
import { root, runCli, type CliResult } from './support/processes.js';

/** Runs the CLI once per argument list, all at once: each is a short process of its own. */
async function runAll(runs: readonly string[][]): Promise<[string[], CliResult][]> {
  return Promise.all(runs.map(async (args): Promise<[string[], CliResult]> => [args, await runCli(args)]));
}

type Command = (args: readonly string[]) => Promise<number>;

/**
 * A help or version answered by the command's own `run(args)` (what dist/cli.js calls) in this process. Each
 * command writes it before its first await, so stdout and stderr are captured in that one synchronous
 * stretch, into which no output of the test runner can fall; a write made later is not captured (and fails).
 */
async function answerInProcess(command: Command, args: readonly string[]): Promise<CliResult> {
  const writes = [
    process.stdout.write.bind(process.stdout),
    process.stderr.write.bind(process.stderr),
  ] as const;
  let stdout = '';
  let stderr = '';
  process.stdout.write = (chunk: string | Uint8Array): boolean => ((stdout += chunk.toString()), true);
  process.stderr.write = (chunk: string | Uint8Array): boolean => ((stderr += chunk.toString()), true);
  let answered: Promise<number>;
  try {
    answered = command(args);
  } finally {
    process.stdout.write = writes[0];
    process.stderr.write = writes[1];
  }
  return { code: await answered, stdout, stderr };
}

function assertOneLineError(result: CliResult, expected: RegExp): void {
  assert.equal(result.code, 2, `exit code 2, stderr:\n${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^mcp-load-explorer: /);
  assert.match(lines[0]!, expected);
}

// The tests wait on short processes of their own, or check files and tables: side by side.
describe('the command line', { concurrency: 2 }, () => {
  test('-h, --help and help print the help on stdout, with every option of the table', async () => {
    const help = mainHelp();
    for (const option of OPTIONS) assert.ok(help.includes(optionLabel(option)), optionLabel(option));
    assert.match(help, /--check-independence TOOL\.ARG/);
    // `--help` and `help` as the real CLI; the others through the main command's run(args) in this process.
    const inProcess = [['-h'], ['--url', 'http://127.0.0.1:9/mcp', '-h']];
    const answers = await Promise.all(inProcess.map((args) => answerInProcess(explore, args)));
    const results = [...inProcess.map((args, at): [string[], CliResult] => [args, answers[at]!])];
    for (const [args, result] of [...results, ...(await runAll([['--help'], ['help']]))]) {
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, help, args.join(' '));
      assert.equal(result.stderr, '');
    }
  });

  test('-v and --version print the version of package.json', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const short = await answerInProcess(explore, ['-v']);
    for (const [, result] of [...(await runAll([['--version']])), [['-v'], short] as const]) {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${version}\n`);
    }
  });

  test('each command answers --help, -h and help COMMAND with its own help', async () => {
    const commands: Readonly<Record<string, string>> = {
      'demo-server': demoServerHelp,
      compare: compareHelp,
      replay: replayHelp,
      merge: mergeHelp,
      schema: schemaHelp,
    };
    const runs: Readonly<Record<string, Command>> = {
      'demo-server': demoServer,
      compare,
      replay,
      merge,
      schema,
    };
    // `help COMMAND`, and two of the others, as the real CLI: its table of commands; the rest through each
    // command's own run(args) in this process.
    const real = [
      ['replay', '-h'],
      ['schema', '--help'],
      ...Object.keys(commands).map((name) => ['help', name]),
    ];
    const inProcess = Object.keys(commands)
      .flatMap((name) => [
        [name, '--help'],
        [name, '-h'],
      ])
      .filter((args) => !real.some((other) => other.join(' ') === args.join(' ')));
    assert.equal(inProcess.length, 8);
    const answered: [string[], CliResult][] = [];
    for (const [name, ...args] of inProcess)
      answered.push([[name!, ...args], await answerInProcess(runs[name!]!, args)]);
    for (const [args, result] of [...answered, ...(await runAll([...real, ['help', 'nope']]))]) {
      const name = args[0] === 'help' ? args[1]! : args[0]!;
      if (name === 'nope') {
        assertOneLineError(result, /help: no command "nope"; commands: demo-server, compare/);
        continue;
      }
      const help = commands[name]!;
      assert.match(help, new RegExp(`^Usage: mcp-load-explorer ${name} `));
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout.trimEnd(), help.trimEnd(), args.join(' '));
    }
  });

  test(`${FLAGS_DOC} is what the options table generates (run npm run docs)`, async () => {
    const committed = await readFile(join(root, FLAGS_DOC), 'utf8');
    assert.equal(committed, await renderFlagsDoc(), `${FLAGS_DOC} is stale: run npm run docs`);
    for (const option of OPTIONS)
      assert.ok(committed.includes(option.doc), `${option.flag} has its paragraph`);
  });

  test('every config field has a flag, and each flag lands on its field', () => {
    const fields = Object.keys(ConfigSchema.shape).filter((field) => field !== 'command');
    // A field may have two flags (`--no-listen-stream` and its older name `--no-get-stream`).
    assert.deepEqual([...new Set(OPTIONS.flatMap((option) => option.field ?? []))].sort(), fields.sort());
    const flags = Object.fromEntries(
      OPTIONS.map((option, at) => [
        option.flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
        `v${at}`,
      ]),
    );
    const argv = OPTIONS.map((option) => `--${option.flag}`);
    const config = flagsToConfig(flags, [], argv);
    // Every flag typed: a field with two flags takes the later one's value.
    const last = new Map(
      OPTIONS.flatMap((option, at) => (option.field ? [[option.field, at] as const] : [])),
    );
    for (const [field, at] of last) assert.equal(config[field], `v${at}`, OPTIONS[at]!.flag);
    const one = flagsToConfig({ listenStream: false, getStream: false }, [], ['--no-listen-stream']);
    assert.equal(one['getStream'], false, '--no-listen-stream alone turns the stream off');
  });

  test('durations take units; bare numbers keep the unit of the field', async () => {
    const config = ConfigSchema.parse({
      holdS: '5m',
      durationS: '90s',
      warmupS: '1500ms',
      windowS: '1m',
      thinkMs: '1s-5s',
      jitterMs: '2s',
      timeoutMs: '0.5m',
      sloMs: '2s',
    });
    assert.equal(config.holdS, 300);
    assert.equal(config.durationS, 90);
    assert.equal(config.warmupS, 1.5);
    assert.equal(config.windowS, 60);
    assert.deepEqual(config.thinkMs, { min: 1000, max: 5000 });
    assert.equal(config.jitterMs, 2000);
    assert.equal(config.timeoutMs, 30_000);
    assert.equal(config.sloMs, 2000);
    const bare = ConfigSchema.parse({ holdS: '300', thinkMs: '1000-5000', jitterMs: 2000, sloMs: '1h' });
    assert.equal(bare.holdS, 300);
    assert.deepEqual(bare.thinkMs, { min: 1000, max: 5000 });
    assert.equal(bare.jitterMs, 2000);
    assert.equal(bare.sloMs, 3_600_000);
    // A live change goes through the same schema.
    assert.deepEqual(applyWorkloadChange(config, { thinkMs: '200ms-1s', timeoutMs: '10s' }).thinkMs, {
      min: 200,
      max: 1000,
    });
    const dir = await mkdtemp(join(tmpdir(), 'mle-cli-'));
    try {
      const file = join(dir, 'config.json');
      await writeFile(file, JSON.stringify(EXAMPLE_CONFIG));
      const settings = ConfigSchema.parse(await readConfigFile(file));
      assert.equal(settings.holdS, 120);
      assert.deepEqual(settings.thinkMs, { min: 1000, max: 5000 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a run with durations in units walks its steps; a bad unit is one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-cli-'));
    try {
      const report = join(dir, 'run.json');
      const args = [
        '--steps',
        '1,2',
        '--hold',
        '1s',
        '--warmup',
        '0s',
        '--jitter',
        '0ms',
        '--think',
        '20ms-50ms',
      ];
      const result = await runCli([
        ...args,
        '--timeout',
        '5s',
        '--workers',
        '0',
        '--report',
        report,
        '--headless',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const run = ReportSchema.parse(JSON.parse(await readFile(report, 'utf8')));
      assert.equal(run.config['holdS'], 1);
      assert.deepEqual(run.config['thinkMs'], { min: 20, max: 50 });
      assert.equal(run.config['timeoutMs'], 5000);
      assert.deepEqual(
        run.levels.map((level) => level.concurrency),
        [1, 2],
      );
      for (const level of run.levels)
        assert.ok(level.durationMs >= 900 && level.durationMs < 5000, `${level.durationMs}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const bad: [string[], RegExp][] = [
      [['--hold', '5x'], /--hold: expected a number \(s\) or a duration with a unit, e\.g\. 90s, 5m/],
      [['--timeout', '30 sec'], /--timeout: expected a number \(ms\) or a duration/],
      [['--think', '1s-x'], /--think: expected MIN-MAX in ms or with units, e\.g\. 1000-5000 or 1s-5s/],
      [['--duration=-5s'], /--duration: Too small/],
    ];
    // Through the CLI's own run(args) in this process (each is refused before any connection), and the first
    // as the real CLI too.
    for (const [args, expected] of bad)
      assertOneLineError(await exploreInProcess([...args, '--headless']), expected);
    assertOneLineError(await runCli([...bad[0]![0], '--headless']), bad[0]![1]);
  });

  test('a flag given twice is one line and exit 2, for the main command and replay', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['-n', '2', '-n', '3', '--headless'],
        /^mcp-load-explorer: --concurrency is given more than once; give it once$/,
      ],
      [['--url', 'http://a/mcp', '--url', 'http://b/mcp'], /--url is given more than once/],
      [['replay', 'x.ndjson', '--speed', '1', '--speed', '2'], /replay: --speed is given more than once/],
      [['replay', 'x.ndjson', '--fast'], /replay: unknown flag --fast/],
      [['--no-url', '--headless'], /--url: /],
    ];
    // The main command's through its own run(args) in this process; replay's, and the first, as the real CLI.
    for (const [args, expected] of cases.filter(([args]) => args[0] !== 'replay'))
      assertOneLineError(await exploreInProcess(args), expected);
    const real = cases.filter(([args], at) => at === 0 || args[0] === 'replay');
    const results = await runAll(real.map(([args]) => args));
    results.forEach(([, result], at) => assertOneLineError(result, real[at]![1]));
  });
});
