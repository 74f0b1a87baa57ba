import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ReportSchema } from '../source/report/report-schema.js';
import { root, runCommand } from './support/processes.js';
import { demoStats } from './support/servers.js';

const exec = promisify(execFile);
const npm = (args: string[], cwd: string) =>
  exec('npm', args, { cwd, maxBuffer: 16 << 20, timeout: 300_000 });

test(
  'npm pack builds, and the tarball installs and runs in an empty folder',
  { timeout: 600_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mle-pack-'));
    try {
      // A copy without dist/, as a fresh clone is: `npm pack` must build it (prepack).
      const clone = join(dir, 'clone');
      await mkdir(clone);
      for (const file of [
        'package.json',
        'tsconfig.json',
        'scripts/build.mjs',
        'scripts/bundle-options.mjs',
        'README.md',
        'LICENSE',
        'source',
      ])
        await cp(join(root, file), join(clone, file), { recursive: true });
      await symlink(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
      const { stdout } = await npm(['pack', '--json', '--pack-destination', dir], clone);
      const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
        filename: string;
        files: { path: string }[];
      }[];
      const files = packed!.files.map((file) => file.path);
      assert.ok(files.includes('dist/cli.js'), 'the build is in the tarball');
      assert.deepEqual(
        files.filter((file) => file.endsWith('.map')),
        [],
        'no source maps pointing at sources the tarball does not ship',
      );
      assert.deepEqual(
        files.filter((file) => !/^(dist\/|package\.json$|README\.md$|LICENSE)/.test(file)),
        [],
        'only the build, package.json, README and LICENSE',
      );

      const app = join(dir, 'app');
      await mkdir(app);
      await writeFile(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
      await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed!.filename)], app);
      const bin = join(app, 'node_modules', '.bin', 'mcp-load-explorer');
      const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
        version: string;
      };
      const shown = await runCommand(bin, ['--version'], { cwd: app });
      assert.equal(shown.code, 0, shown.stderr);
      assert.equal(shown.stdout, `${version}\n`);

      // The installed demo server, and a 3-second headless run against it from the installed CLI.
      const demo = spawn(bin, ['demo-server', '--port', '0'], {
        cwd: app,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          createInterface({ input: demo.stdout }).on('line', (line) => {
            const match = /listening on (http:\/\/\S+)/.exec(line);
            if (match?.[1]) resolve(match[1]);
          });
          demo.once('exit', (code) => reject(new Error(`the installed demo-server exited ${code}`)));
        });
        const args = ['--url', url, '--mix', 'fast:1', '-n', '2', '--think', '50ms-100ms', '--jitter', '0'];
        const run = await runCommand(
          bin,
          [
            ...args,
            '--warmup',
            '0',
            '--duration',
            '3s',
            '--workers',
            '0',
            '--report',
            'run.json',
            '--headless',
          ],
          { cwd: app },
        );
        assert.equal(run.code, 0, run.stderr);
        const report = ReportSchema.parse(JSON.parse(await readFile(join(app, 'run.json'), 'utf8')));
        const stats = await demoStats(url);
        assert.ok(report.totals.calls > 0, 'calls were made');
        assert.equal(
          stats.calls.byTool['fast'],
          report.totals.calls,
          'every call counted reached the server',
        );
        assert.equal(stats.sessions.active, 0, 'no session left open on the server');
      } finally {
        demo.kill('SIGTERM');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
