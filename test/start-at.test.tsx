import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { loadConfig } from '../source/config/load-config.js';
import { StartAtSchema } from '../source/config/start-at.js';
import { statusLine } from '../source/format/run-text.js';
import { Header } from '../source/ui/panels/header.js';
import { snapshotFixture } from './support/fake-engine.js';

test('--start-at takes ISO 8601 with a zone or +30s/+2m/+1h, and records one instant', () => {
  const before = Date.now();
  const relative = Date.parse(StartAtSchema.parse('+30s'));
  assert.ok(relative >= before + 30_000 && relative <= Date.now() + 30_000);
  const minutes = Date.parse(StartAtSchema.parse('+2m'));
  assert.ok(minutes >= before + 120_000 && minutes <= Date.now() + 120_000);
  assert.equal(StartAtSchema.parse(' 2026-11-24T10:00:00+02:00 '), '2026-11-24T08:00:00.000Z');
  assert.equal(StartAtSchema.parse('2026-11-24T08:00Z'), '2026-11-24T08:00:00.000Z');
});

test('a bad --start-at is refused with what to type instead', async () => {
  await assert.rejects(
    loadConfig({ startAt: 'tomorrow' }),
    /^ConfigError: --start-at: "tomorrow" is not a time/,
  );
  await assert.rejects(loadConfig({ startAt: '+5d' }), /--start-at: "\+5d" is not a time/);
  await assert.rejects(loadConfig({ startAt: '2026-11-24 10:00Z' }), /--start-at: .* is not a time/);
  await assert.rejects(loadConfig({ startAt: '2026-13-40T10:00:00Z' }), /--start-at: .* is not a time/);
  await assert.rejects(loadConfig({ startAt: '+200h' }), /is more than 7 days away/);
});

test('while waiting, the status line and the TUI header say when the load starts', () => {
  const startAt = new Date(Date.now() + 12_400).toISOString();
  const waiting = snapshotFixture({ state: 'waiting', startAt, elapsedMs: 0 });
  assert.match(
    statusLine(waiting),
    new RegExp(
      `^\\[00:00\\] waiting to start at ${startAt.slice(0, 10)} ${startAt.slice(11, 19)}.*Z \\(in 1[23]s\\), then N=12$`,
    ),
  );
  const { lastFrame, unmount } = render(<Header snapshot={waiting} />);
  assert.match(lastFrame() ?? '', /mcp-load-explorer · waiting to start at .* \(in 1[23]s\) · 00:00/);
  unmount();
  assert.doesNotMatch(statusLine(snapshotFixture()), /waiting/);
});
