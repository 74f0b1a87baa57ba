import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunTotals } from '../source/engine/run-totals.js';
import { ServerText } from '../source/mcp-client/server-text.js';
import { serverEvent } from '../source/metrics/recorder.js';
import { openServerLog } from '../source/run/server-log.js';

const text = new ServerText(['s3cret-token']);
const toolNote = { at: 1, level: 'warn', message: 'a note of the tool' } as const;

test('live screen without --server-log: server lines stay in the event log only', () => {
  assert.equal(openServerLog(undefined, false, text), null);
});

test('--server-log: server lines go to the file, cleaned, and leave the event log (live screen or not)', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'mle-server-log-')), 'server.log');
  const log = openServerLog(file, false, text)!;
  const totals = new RunTotals(log);
  totals.log(serverEvent('token s3cret-token \x1b[2Jcleared'));
  totals.log(toolNote);
  log.close();
  log.write('after close is dropped');
  assert.deepEqual(totals.events, [toolNote], 'only the tool note in the event log');
  const written = await readFile(file, 'utf8');
  assert.match(written, /^\S+Z token \[redacted\] cleared\n$/);
});

test('headless without --server-log: server lines go to stderr prefixed, and stay in the event log', () => {
  const stderr: string[] = [];
  const log = openServerLog(undefined, true, text, (line) => stderr.push(line))!;
  const totals = new RunTotals(log);
  totals.log(serverEvent('listening'));
  totals.log(toolNote);
  assert.deepEqual(stderr, ['[server] listening\n']);
  assert.deepEqual(
    totals.events.map((event) => event.message),
    ['server: listening', 'a note of the tool'],
  );
});
