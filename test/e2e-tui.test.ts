import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { childProcesses } from './support/proc.js';
import { cliPath, root, waitFor } from './support/processes.js';
import { CURSOR, KEY } from './support/ink-keys.js';
import { demoForFile, startDemo } from './support/servers.js';

const demo = demoForFile();

/**
 * A demo of the test's own, for a test that counts the sessions the server holds while the others run.
 */
async function ownDemo(): Promise<Awaited<ReturnType<typeof startDemo>>> {
  return startDemo(['--bottleneck', 'none']);
}

/** Runs the real CLI in a pseudo-terminal (util-linux `script`), as an operator's terminal does. */
function inTerminal(args: readonly string[], columns = 100, rows = 30, cwd = root) {
  const command = `stty cols ${columns} rows ${rows}; exec ${[process.execPath, cliPath, ...args].map((word) => `'${word}'`).join(' ')}`;
  // Ink draws only the last frame when CI is set (as it is under .ci/run): a person's terminal has no CI.
  const { CI: _ci, ...env } = process.env;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd,
    env: { ...env, TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let closed = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      closed = true;
      resolve(code);
    }),
  );
  return {
    screen: (): string => stripVTControlCharacters(output),
    raw: (): string => output,
    /** The CLI itself: `script` execs it through a shell. */
    cliPid: (): number | undefined => childProcesses(child.pid!)[0],
    /** Only what was drawn since the last clear, roughly the current frame. */
    latest: (): string => stripVTControlCharacters(output.slice(-4000)),
    press: (keys: string): void => {
      child.stdin.write(keys);
    },
    exited,
    /** After a failed assertion: quit the CLI (every session closed) so the file does not hang on it. */
    end: async (): Promise<void> => {
      if (closed) return;
      child.stdin.write('q');
      await exited;
    },
  };
}

// Each test waits on its terminal and its server far more than it computes: three at a time. The ones that
// count the sessions a server holds have a server of their own.
describe('live screen', { concurrency: 3 }, () => {
  test('the live screen in a real terminal: keys change the sessions the server holds; q closes them all', async () => {
    const server = await ownDemo();
    try {
      const terminal = inTerminal([
        ...['--url', server.url, '--mix', 'fast:1', '--concurrency', '3', '--think', '100-200'],
        ...['--jitter', '0', '--warmup', '1'],
      ]);
      const held = async (n: number): Promise<boolean> => (await server.stats()).sessions.active === n;
      await waitFor(
        () => /sessions 3 of N=3/.test(terminal.latest()),
        20_000,
        'the screen to show 3 sessions',
      );
      await waitFor(() => held(3), 5000, 'the server to hold 3 sessions');
      assert.match(terminal.screen(), /mcp-load-explorer · running/);
      assert.match(terminal.screen(), /P99 vs N · SLO 2000 · knee/);

      terminal.press(KEY.up);
      await waitFor(() => held(4), 5000, 'the server to hold 4 sessions after ↑');
      await waitFor(() => /sessions 4 of N=4/.test(terminal.latest()), 5000, 'the screen to show 4 sessions');

      // A pasted value: the key, the digits and Enter arrive in one read.
      terminal.press(`n6${KEY.enter}`);
      await waitFor(() => held(6), 5000, 'the server to hold 6 sessions after pasting n6⏎');
      await waitFor(() => /sessions 6 of N=6/.test(terminal.latest()), 5000, 'the screen to show 6 sessions');

      terminal.press(' ');
      await waitFor(() => /· paused ·/.test(terminal.latest()), 5000, 'the screen to show paused');
      const calls = (await server.stats()).calls.total;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.ok(
        (await server.stats()).calls.total - calls <= 6,
        'paused: at most the in-flight calls finish',
      );
      assert.equal((await server.stats()).sessions.active, 6, 'paused: sessions stay held');

      terminal.press('q');
      assert.equal(await terminal.exited, 0);
      assert.equal((await server.stats()).sessions.active, 0, 'every session closed on the server');
      assert.match(terminal.screen(), /levels \(latency in ms/);
      assert.doesNotMatch(terminal.screen(), /Error|at .*\.js:\d+/);
    } finally {
      await server.stop();
    }
  });

  test('the live screen waits for --start-at: the header counts down, no session until then, then the load', async () => {
    const server = await ownDemo();
    try {
      const terminal = inTerminal([
        ...['--url', server.url, '--mix', 'fast:1', '--concurrency', '2', '--think', '100-200'],
        ...['--jitter', '0', '--warmup', '0', '--start-at', '+8s'],
      ]);
      await waitFor(
        () => /mcp-load-explorer · waiting to start at \S+ \S+ \(in \ds\)/.test(terminal.latest()),
        20_000,
        'the header to show the wait',
      );
      assert.equal((await server.stats()).sessions.active, 0, 'no session while waiting');
      await waitFor(() => /mcp-load-explorer · running/.test(terminal.latest()), 15_000, 'the load to start');
      await waitFor(async () => (await server.stats()).sessions.active === 2, 10_000, 'the server to hold 2');
      terminal.press('q');
      assert.equal(await terminal.exited, 0);
      assert.equal((await server.stats()).sessions.active, 0, 'every session closed on the server');
    } finally {
      await server.stop();
    }
  });

  test('Ctrl-C and SIGHUP (an SSH connection dropping) end the live screen as q does', async () => {
    const server = await ownDemo();
    try {
      for (const how of ['ctrl-c', 'SIGHUP'] as const) {
        const terminal = inTerminal([
          ...['--url', server.url, '--mix', 'fast:1', '--concurrency', '2', '--think', '100-200'],
          ...['--jitter', '0', '--warmup', '1'],
        ]);
        await waitFor(() => /sessions 2 of N=2/.test(terminal.latest()), 20_000, `the screen (${how})`);
        await waitFor(async () => (await server.stats()).sessions.active === 2, 5000, `2 sessions (${how})`);
        if (how === 'ctrl-c') terminal.press(KEY.ctrlC);
        else process.kill(terminal.cliPid()!, 'SIGHUP');
        // Ctrl-C is a key on the live screen (it quits as q does); SIGHUP exits as shells expect, 128 + 1.
        assert.equal(await terminal.exited, how === 'SIGHUP' ? 129 : 0, how);
        assert.equal((await server.stats()).sessions.active, 0, `${how}: every session closed on the server`);
        assert.match(terminal.screen(), /levels \(latency in ms/, `${how}: the summary printed`);
        const raw = terminal.raw();
        assert.ok(raw.lastIndexOf(CURSOR.show) > raw.lastIndexOf(CURSOR.hide), `${how}: the cursor is back`);
      }
    } finally {
      await server.stop();
    }
  });

  test('e writes a snapshot report mid-run; q without --report writes the final one over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mle-snapshot-'));
    const terminal = inTerminal(
      [
        ...['--url', demo().url, '--mix', 'fast:1', '--concurrency', '2', '--think', '100-200'],
        ...['--jitter', '0', '--warmup', '0'],
      ],
      100,
      30,
      dir,
    );
    const endReason = (file: string): unknown =>
      (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { endReason: unknown }).endReason;
    try {
      await waitFor(
        () => /sessions 2 of N=2/.test(terminal.latest()),
        20_000,
        'the screen to show 2 sessions',
      );
      terminal.press('e');
      await waitFor(() => /report written to \S+\.json/.test(terminal.screen()), 10_000, 'e to write');
      const file = /report written to (mcp-load-explorer-\S+\.json)/.exec(terminal.screen())![1]!;
      assert.equal(endReason(file), 'snapshot', 'what e wrote is marked as a snapshot');
      terminal.press('q');
      assert.equal(await terminal.exited, 0);
      assert.equal(endReason(file), 'quit', 'q wrote the final report over the snapshot');
      assert.match(
        terminal.screen(),
        new RegExp(`mcp-load-explorer: report written to ${file.replace(/\./g, '\\.')}, `),
      );
    } finally {
      await terminal.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('after q on the demo the tool started, the summary names the server RSS the screen showed', async () => {
    // Quit within the warm-up, as an operator trying the tool does: no level carries the RSS yet.
    const terminal = inTerminal(['--concurrency', '2', '--warmup', '60']);
    try {
      await waitFor(
        () => /server +rss +\d+M/.test(terminal.latest()),
        30_000,
        'the screen to show server RSS',
      );
      terminal.press('q');
      assert.equal(await terminal.exited, 0);
      const summary = terminal.screen().slice(terminal.screen().lastIndexOf('closing sessions'));
      assert.match(summary, /memory: unknown; server RSS \d+\.\d MB; no level was held past its warm-up/);
      assert.doesNotMatch(summary, /server RSS unknown/);
    } finally {
      await terminal.end();
    }
  });

  test('80×24 in a real terminal: the findings show the recommendation whole, wrapped, not cut', async () => {
    const terminal = inTerminal(
      [
        ...['--url', demo().url, '--mix', 'fast:1', '--think', '50-100', '--jitter', '0'],
        ...['--steps', '3,5', '--hold', '4', '--warmup', '1'],
      ],
      80,
      24,
    );
    try {
      // Levels have ended (the first may have measured nothing while sessions connected): the recommendation
      // names one and its figures, longer than a line.
      await waitFor(() => /sessions 5 of N=5/.test(terminal.latest()), 30_000, 'the second step');
      terminal.press('f');
      await waitFor(() => /Findings \(f or Esc closes\)/.test(terminal.latest()), 10_000, 'the findings');
      const screen = terminal.screen();
      const panel = screen.slice(screen.lastIndexOf('Findings (f or Esc closes)'));
      const rows = panel.slice(0, panel.indexOf('╰')).replace(/\r/g, '').split('\n');
      for (const row of rows) assert.ok(row.length <= 80, `fits 80 columns: ${row}`);
      const text = rows
        .map((row) => row.replace(/^[│\s]+/, '').replace(/[│\s]+$/, ''))
        .join(' ')
        .replace(/\s+/g, ' ');
      // Either sentence is longer than the 63 columns a finding has at 80: whole only if wrapped.
      assert.match(
        text,
        /plan No limit found (up to N = \d; .* --steps past \d+\)\.|yet: N=\d \(\d+ calls\).* hold the levels longer\.)/,
        text,
      );
      terminal.press('q');
      assert.equal(await terminal.exited, 0);
      // The summary after the screen: findings wrapped at spaces by the tool, not mid-word by the terminal.
      const output = terminal.screen().replace(/\r/g, '');
      const after = output.slice(output.lastIndexOf('levels (latency in ms'));
      assert.match(after, /bottleneck/);
      for (const line of after.split('\n')) assert.ok(line.length <= 80, `summary fits 80 columns: ${line}`);
    } finally {
      await terminal.end();
    }
  });
});
