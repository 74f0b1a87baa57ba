import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ReportSchema } from '../source/report/report-schema.js';
import { hostileStdioCommand, watchRss } from './support/hostile-servers.js';
import { runCli, startCli, waitFor } from './support/processes.js';

const MAX_RSS_MB = 300;

/** The `start` and `call` lines the hostile stdio servers wrote. */
function counts(file: string): { starts: number; calls: number } {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  return {
    starts: lines.filter((l) => l === 'start').length,
    calls: lines.filter((l) => l === 'call').length,
  };
}

async function runStdio(mode: string): Promise<{
  code: number | null;
  stderr: string;
  served: { starts: number; calls: number };
  peakRssMb: number;
  reportWritten: boolean;
}> {
  const folder = await mkdtemp(join(tmpdir(), 'mle-hostile-stdio-'));
  const countsFile = join(folder, 'counts');
  const report = join(folder, 'run.json');
  const cli = startCli(
    [
      ...['--concurrency', '2', '--jitter', '0', '--warmup', '0', '--think', '50-100', '--mix', 'fast:1'],
      ...['--session-calls', '1000-1000', '--report', report, '--headless', '--'],
      ...hostileStdioCommand(mode, countsFile),
    ],
    { timeoutMs: 60_000 },
  );
  const rss = watchRss(cli.child.pid!);
  try {
    // The preflight's server, then both sessions' servers, answered calls.
    await waitFor(() => counts(countsFile).calls >= 10 || cli.child.exitCode !== null, 60_000, 'calls');
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    const reportWritten =
      existsSync(report) && ReportSchema.safeParse(JSON.parse(readFileSync(report, 'utf8'))).success;
    return { ...result, served: counts(countsFile), peakRssMb: rss.peakMb(), reportWritten };
  } finally {
    rss.stop();
    cli.child.kill('SIGKILL');
  }
}

// Both groups go side by side, and each group's tests too: each has its own servers and mostly waits.
describe('hostile stdio servers', { concurrency: 2 }, () => {
  describe('stdio servers that misbehave on stderr', { concurrency: 2 }, () => {
    test('a server writing 200 lines a second on stderr as it starts: the run goes on and reports', async () => {
      const run = await runStdio('stderr-flood');
      assert.notEqual(run.code, 13, `exit 13 (an unsettled await): ${run.stderr}`);
      assert.ok(run.served.calls >= 10, `the servers answered calls: ${JSON.stringify(run)}`);
      assert.ok(run.reportWritten, run.stderr);
    });

    test('a server writing stderr with no newline: memory flat, the run goes on', async () => {
      const run = await runStdio('stderr-no-newline');
      assert.ok(run.served.calls >= 10, `the servers answered calls: ${JSON.stringify(run)}`);
      assert.ok(run.reportWritten, run.stderr);
      assert.ok(run.peakRssMb > 0 && run.peakRssMb < MAX_RSS_MB, `peak RSS ${run.peakRssMb} MB`);
      assert.doesNotMatch(run.stderr, /Invalid string length/);
      console.log(`stderr-no-newline: peak RSS ${Math.round(run.peakRssMb)} MB`);
    });
  });

  describe('failures that say what happened, quickly', { concurrency: 2 }, () => {
    test('a stdio command that does not exist: command-not-found, with a hint', async () => {
      const result = await runCli(['--mix', 'fast:1', '--headless', '--', 'mle-no-such-command-xyz'], {
        timeoutMs: 30_000,
      });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /no such command "mle-no-such-command-xyz".*PATH.*\(command-not-found\)/);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    });

    test('a stdio server that exits at once: its exit code and last stderr line', async () => {
      const script = 'console.error("config file missing"); process.exit(3)';
      const result = await runCli(['--mix', 'fast:1', '--headless', '--', process.execPath, '-e', script], {
        timeoutMs: 30_000,
      });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /exited with code 3 .*config file missing \(server-exited\)/);
    });

    test('preflight against a server that never accepts: bounded by --timeout, then the tool ends', async () => {
      // Listens, then blocks its event loop: connections queue in the kernel and nothing is ever read.
      const script =
        "require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () {" +
        ' console.log(this.address().port); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); })';
      const server = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const port = await new Promise<string>((resolve) =>
          server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
        );
        const cli = startCli(
          ['--url', `http://127.0.0.1:${port}/mcp`, '--mix', 'fast:1', '--timeout', '2000', '--headless'],
          { timeoutMs: 60_000 },
        );
        const started = Date.now();
        let printedAt = 0;
        cli.child.stderr!.once('data', () => (printedAt = Date.now()));
        const result = await cli.done;
        const exitedAt = Date.now();
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /\(timeout\)/);
        // The tool itself starts in a few seconds here; unbounded, it waited 10 s for a connect, then for
        // the server to let go.
        assert.ok(exitedAt - printedAt < 1500, `exited ${exitedAt - printedAt} ms after its message`);
        assert.ok(exitedAt - started < 30_000, `took ${exitedAt - started} ms`);
      } finally {
        server.kill('SIGKILL');
      }
    });
  });
});
