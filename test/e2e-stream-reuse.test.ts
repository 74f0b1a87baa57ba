import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHostileHttp, type HostileMode, type HostileStats } from './support/hostile-servers.js';
import { runCli } from './support/processes.js';

// A session's GET stream has a connection of its own. When the session ends, the server ends the stream
// with it (as the SDKs do) and the connection serves the next session's stream instead of being closed,
// which costs a TCP connect and close per session. A server that keeps the stream past the DELETE gets
// it closed by the client within a second, and no stream is left behind. Counted by the server.

/** Sessions of one call each, two at a time, for 2 s: many sessions, each with its GET stream. */
async function churn(
  mode: HostileMode,
): Promise<{ stats: HostileStats; stderr: string; code: number | null }> {
  const server = await startHostileHttp(mode);
  try {
    const result = await runCli([
      ...['--url', server.url, '--protocol', '2025-11-25', '--concurrency', '2', '--jitter', '0'],
      ...['--think', '0-0', '--session-calls', '1-1', '--mix', 'fast:1', '--warmup', '0'],
      ...['--duration', '2', '--workers', '0', '--headless'],
    ]);
    return { stats: await server.stats(), stderr: result.stderr, code: result.code };
  } finally {
    await server.stop();
  }
}

test('each ending session hands its GET stream connection to the next session', async () => {
  const { stats, stderr, code } = await churn('stream');
  assert.equal(code, 0, stderr);
  assert.ok(stats.initializes >= 20, `${stats.initializes} sessions`);
  assert.ok(stats.getStreams >= stats.initializes - 2, `${stats.getStreams} GET streams`);
  assert.equal(stats.open, 0, 'every session ended with DELETE');
  assert.equal(stats.streamsEnded + stats.streamsDropped, stats.getStreams, 'no stream left open');
  assert.ok(stats.streamsDropped <= 2, `${stats.streamsDropped} streams closed by the client`);
  // Streams on connections of their own, reused: a few connections for all of them (and the calls'
  // pool, and the stats request), where one each would be at least as many as the streams.
  assert.ok(
    stats.connections < stats.getStreams / 4,
    `${stats.connections} connections for ${stats.getStreams} streams`,
  );
});

test('a server that keeps the GET stream after DELETE: the client closes it, nothing is left', async () => {
  const { stats, stderr, code } = await churn('stream-kept');
  assert.equal(code, 0, stderr);
  assert.ok(stats.initializes >= 10, `${stats.initializes} sessions`);
  assert.equal(stats.open, 0, 'every session ended with DELETE');
  assert.equal(stats.streamsEnded, 0);
  assert.equal(stats.streamsDropped, stats.getStreams, 'every stream closed by the client');
  assert.doesNotMatch(stderr, /error|lost/i);
});
