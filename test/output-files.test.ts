import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, statSync, type Stats } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openPrivateFileSync, writePrivateFile } from '../source/files/private-file.js';
import { loadConfig } from '../source/config/load-config.js';
import { ReportSchema } from '../source/report/report-schema.js';
import { checkOutputPaths } from '../source/run/output-paths.js';
import { exploreInProcess } from './support/explore-in-process.js';
import { runCli, type CliResult } from './support/processes.js';
import { demoForFile } from './support/servers.js';

const demo = demoForFile();
const OUTPUT_FLAGS = ['--report', '--report-md', '--report-csv', '--record', '--hdr-log'] as const;
const isRoot = process.getuid?.() === 0;
const FIELD = {
  '--report': 'report',
  '--report-md': 'reportMd',
  '--report-csv': 'reportCsv',
  '--record': 'record',
  '--hdr-log': 'hdrLog',
} as const;

/** Special files made in a temp folder: never the real /dev/null or /dev/full. */
interface Node {
  readonly kind: string;
  readonly path: string;
  readonly is: (stats: Stats) => boolean;
}

const sockets: Server[] = [];
after(() => sockets.forEach((server) => server.close()));

async function specialNodes(): Promise<Node[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mle-nodes-'));
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const socket = join(dir, 'socket');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  sockets.push(server);
  const nodes: Node[] = [
    { kind: 'a FIFO', path: fifo, is: (stats) => stats.isFIFO() },
    { kind: 'a socket', path: socket, is: (stats) => stats.isSocket() },
  ];
  if (isRoot) {
    // A null device of our own (major 1, minor 3), in the temp folder.
    const device = join(dir, 'nul');
    execFileSync('mknod', [device, 'c', '1', '3']);
    nodes.push({ kind: 'a character device', path: device, is: (stats) => stats.isCharacterDevice() });
  }
  return nodes;
}

test('every output flag refuses a FIFO, a socket and a device with one line, and leaves it as it was', async (t) => {
  if (!isRoot) t.diagnostic('not root: the character device case is skipped (mknod needs root)');
  const nodes = await specialNodes();
  // Every flag with every kind, through the check the CLI runs before anything else.
  for (const flag of OUTPUT_FLAGS) {
    for (const node of nodes) {
      const config = await loadConfig({ url: 'http://127.0.0.1:9/mcp', [FIELD[flag]]: node.path });
      await assert.rejects(checkOutputPaths(config), {
        message: `${flag} ${node.path}: is ${node.kind}, not a regular file; give a file path`,
      });
    }
  }
  // Every flag through the CLI's own run(args) in this process, the kinds taken in turn, and the first as
  // the real CLI too: one line, a non-zero exit, the node untouched.
  const runs = OUTPUT_FLAGS.map((flag, index) => ({ flag, node: nodes[index % nodes.length]! }));
  // An unreachable server: without the up-front check the failure report would be written.
  const argv = (flag: string, path: string): string[] => [
    '--url',
    'http://127.0.0.1:9/mcp',
    '--mix',
    'echo:1',
    '--headless',
    flag,
    path,
  ];
  const results: CliResult[] = [];
  for (const { flag, node } of runs) results.push(await exploreInProcess(argv(flag, node.path)));
  results.push(await runCli(argv(runs[0]!.flag, runs[0]!.node.path)));
  [...runs, runs[0]!].forEach(({ flag, node }, index) => {
    const result = results[index]!;
    assert.notEqual(result.code, 0, `${flag} ${node.kind}: exit code`);
    assert.equal(
      result.stderr,
      `mcp-load-explorer: ${flag} ${node.path}: is ${node.kind}, not a regular file; give a file path\n`,
    );
  });
  for (const node of nodes) assert.ok(node.is(statSync(node.path)), `${node.path} is still ${node.kind}`);
});

test('a report written at the end refuses a FIFO made after the start; --record and --hdr-log do not hang on one', async () => {
  const nodes = await specialNodes();
  for (const node of nodes) {
    await assert.rejects(
      writePrivateFile(node.path, 'report'),
      new RegExp(`is ${node.kind}, not a regular file`),
    );
    assert.throws(() => openPrivateFileSync(node.path));
    assert.ok(node.is(statSync(node.path)), `${node.path} is still ${node.kind}`);
  }
});

test('every output ends with mode 0600, new or existing (an existing 0644 file too); no temporary file is left', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mle-modes-'));
  const names = ['run.json', 'run.md', 'run.csv', 'run.ndjson', 'run.hlog'];
  for (const name of names.slice(0, 5)) {
    await writeFile(join(dir, name), 'old contents of a file made by the user\n');
    chmodSync(join(dir, name), 0o644);
  }
  const result = await runCli([
    ...['--url', demo().url, '--mix', 'fast:1', '--concurrency', '1', '--think', '20-40', '--jitter', '0'],
    ...['--warmup', '0', '--duration', '1', '--workers', '0', '--headless'],
    ...OUTPUT_FLAGS.flatMap((flag, index) => [flag, join(dir, names[index]!)]),
  ]);
  assert.equal(result.code, 0, result.stderr);
  for (const name of names) {
    const mode = statSync(join(dir, name)).mode & 0o777;
    assert.equal(mode.toString(8), '600', `${name} mode`);
    assert.doesNotMatch(await readFile(join(dir, name), 'utf8'), /old contents/, `${name} was rewritten`);
  }
  ReportSchema.parse(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')));
  assert.deepEqual((await readdir(dir)).sort(), [...names].sort(), 'no temporary file left behind');
});
