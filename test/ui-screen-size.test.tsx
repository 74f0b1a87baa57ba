import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { analyseSnapshot } from '../source/analysis/findings.js';
import { App } from '../source/ui/app.js';
import { FakeEngine, levelFixture, snapshotFixture } from './support/fake-engine.js';
import { flush, KEY } from './support/ink-keys.js';
import { waitFor } from './support/processes.js';

// The screen at a terminal's size: 80×24 fits, a smaller one is asked to grow, long text wraps whole.
test('fits 80×24 and asks for more room on a smaller terminal', async () => {
  const { lastFrame, stdin, stdout, unmount } = render(
    <App engine={new FakeEngine()} onQuit={() => undefined} />,
  );
  // The resize re-renders asynchronously: wait for the frame to reflect it (a loaded machine may be slow).
  const settle = async (done: (frame: string) => boolean): Promise<void> => {
    for (let waited = 0; waited < 3000 && !done(lastFrame() ?? ''); waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
  };
  Object.defineProperty(stdout, 'columns', { value: 80, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: 24, configurable: true });
  stdout.emit('resize');
  await settle((frame) =>
    stripVTControlCharacters(frame)
      .split('\n')
      .every((line) => line.length <= 80),
  );
  const frame = stripVTControlCharacters(lastFrame() ?? '');
  assert.ok(frame.split('\n').length <= 23, `${frame.split('\n').length} rows`);
  for (const line of frame.split('\n')) assert.ok(line.length <= 80, `fits 80 columns: ${line}`);
  assert.match(frame, /q:quit \?:keys .* e:rep$/m, 'the key hints fit, uncut, in 80 columns');
  // The help is taller than the room it has at 80×24: it scrolls instead of pushing the screen down.
  stdin.write('?');
  await settle((frame) => /Keys \d+–\d+ of \d+/.test(stripVTControlCharacters(frame)));
  const help = stripVTControlCharacters(lastFrame() ?? '');
  assert.ok(help.split('\n').length <= 23, `help: ${help.split('\n').length} rows`);
  assert.doesNotMatch(help, /quit: close sessions/, 'the last key is below the first page');
  stdin.write(KEY.pageDown);
  await settle((frame) => /quit: close sessions/.test(stripVTControlCharacters(frame)));
  assert.match(stripVTControlCharacters(lastFrame() ?? ''), /quit: close sessions/, 'PgDn scrolls to it');
  stdin.write(KEY.escape);
  Object.defineProperty(stdout, 'columns', { value: 60, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: 20, configurable: true });
  stdout.emit('resize');
  await settle((frame) => /too small/.test(frame));
  const small = stripVTControlCharacters(lastFrame() ?? '');
  assert.match(small, /^Terminal 60×20 too small, need 80×24: enlarge it/);
  assert.match(small.replace(/\n/g, ' '), /or q and use --headless/, 'the advice is whole, wrapped not cut');
  for (const line of small.split('\n')) assert.ok(line.length <= 60, `fits 60 columns: ${line}`);
  unmount();
});

/** The screen at `columns`×`rows`, once a resize has been drawn, with keys pressed after it. */
async function screenAt(engine: FakeEngine, columns: number, rows: number, keys: readonly string[] = []) {
  const view = render(<App engine={engine} onQuit={() => undefined} />);
  Object.defineProperty(view.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(view.stdout, 'rows', { value: rows, configurable: true });
  view.stdout.emit('resize');
  const frame = (): string => stripVTControlCharacters(view.lastFrame() ?? '');
  await waitFor(
    () =>
      frame()
        .split('\n')
        .every((line) => line.length <= columns),
    3000,
    'the resize',
  );
  for (const key of keys) {
    view.stdin.write(key);
    await flush();
  }
  return { frame, unmount: view.unmount };
}

/** The text of a bordered panel's rows, joined: what wrapping split reads as one. */
const joined = (frame: string): string =>
  frame
    .split('\n')
    .map((line) =>
      line
        .replace(/^[│╭╰]\s?/, '')
        .replace(/\s?[│╮╯]$/, '')
        .trim(),
    )
    .join(' ')
    .replace(/\s+/g, ' ');

test('80×24: the header keeps the target’s host and path end; findings wrap the plan and memory whole', async () => {
  const levels = [10, 20, 30, 40, 50].map((n, index) =>
    levelFixture(index, n, n <= 30 ? 50 + n / 10 : n * 50),
  );
  const long = 'https://mcp.prod.example.com/tenants/acme-corporation/regions/eu-west-1/v2/mcp';
  const snapshot = snapshotFixture({
    levels,
    target: { transport: 'streamable-http', url: long, headers: {} },
    protocol: { version: '2025-11-25', stateful: true },
  });
  const findings = analyseSnapshot(snapshot);
  assert.ok(findings.recommendation.length > 80, 'a recommendation longer than a line');
  const engine = new FakeEngine(snapshot);
  for (const columns of [80, 120]) {
    const { frame, unmount } = await screenAt(engine, columns, 24, ['f']);
    const lines = frame().split('\n');
    for (const line of lines) assert.ok(line.length <= columns, `fits ${columns} columns: ${line}`);
    const header = lines[0]!;
    assert.match(header, /https:\/\/mcp\.prod\.example\.com…\S*\/v2\/mcp/, `${columns}: ${header}`);
    assert.ok(
      joined(frame()).includes(`plan ${findings.recommendation}`),
      `${columns}: the whole recommendation`,
    );
    unmount();
  }
  const { frame, unmount } = await screenAt(engine, 80, 24, ['f', KEY.pageDown]);
  const memory = `memory ${findings.memory.verdict}: ${findings.memory.evidence}`;
  assert.ok(joined(frame()).includes(memory), `the memory line whole after scrolling:\n${frame()}`);
  unmount();
});
