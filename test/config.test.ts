import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../source/config/config-error.js';
import { loadConfig } from '../source/config/load-config.js';
import { applyWorkloadChange } from '../source/config/workload-change.js';
import { ConfigSchema } from '../source/config/schema.js';

test('flag strings become typed settings', () => {
  const config = ConfigSchema.parse({
    url: 'http://127.0.0.1:3001/mcp',
    thinkMs: '100-300',
    sessionCalls: '5',
    mix: 'echo:80, get-sum:20',
    args: ['echo={"message":"hi"}'],
    headers: ['Authorization: Bearer abc', 'X-Key:k'],
    steps: '1,5,10',
  });
  assert.deepEqual(config.thinkMs, { min: 100, max: 300 });
  assert.deepEqual(config.sessionCalls, { min: 5, max: 5 });
  assert.deepEqual(config.mix, [
    { tool: 'echo', weight: 80 },
    { tool: 'get-sum', weight: 20 },
  ]);
  assert.deepEqual(config.args, { echo: { message: 'hi' } });
  assert.deepEqual(config.headers, { Authorization: 'Bearer abc', 'X-Key': 'k' });
  assert.deepEqual(config.steps, [1, 5, 10]);
  assert.equal(config.timeoutMs, 30_000);
  assert.equal(config.sloMs, 2000);
});

test('bad flags give one line that names the flag', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ thinkMs: '5000-1000' }, /^--think: MIN must not exceed MAX$/],
    [{ thinkMs: 'fast' }, /^--think: expected MIN-MAX/],
    [{ mix: 'echo:-1' }, /^--mix: "echo:-1" is not tool:weight/],
    [{ args: ['echo={bad'] }, /^--args: "echo=\{bad": /],
    [{ headers: ['no colon'] }, /^--header: "no colon…" is not "Name: value"$/],
    [{ url: 'ftp://x/mcp' }, /^--url: must start with http/],
    [{ url: 'not a url' }, /^--url: not a URL/],
    [{ concurrency: '-3' }, /^--concurrency: /],
    [{ steps: '1,x' }, /^--steps: expected a list/],
  ];
  for (const [flags, expected] of cases) {
    await assert.rejects(loadConfig(flags), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, expected);
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  }
});

test('a config file uses the same schema, and flags override it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mle-config-'));
  const file = join(dir, 'run.json');
  await writeFile(file, JSON.stringify({ concurrency: 7, thinkMs: { min: 10, max: 20 }, mix: { echo: 1 } }));
  const config = await loadConfig({ concurrency: '9' }, file);
  assert.equal(config.concurrency, 9);
  assert.deepEqual(config.thinkMs, { min: 10, max: 20 });
  assert.deepEqual(config.mix, [{ tool: 'echo', weight: 1 }]);

  await writeFile(file, JSON.stringify({ thinkMs: { min: 30, max: 20 } }));
  await assert.rejects(loadConfig({}, file), /run\.json: thinkMs: MIN must not exceed MAX/);
  await writeFile(file, JSON.stringify({ thinkTime: 5 }));
  await assert.rejects(loadConfig({}, file), /unknown setting "thinkTime"/);
  await writeFile(file, '{ nope');
  await assert.rejects(loadConfig({}, file), /not valid JSON/);
  await assert.rejects(loadConfig({}, join(dir, 'missing.json')), /cannot read it \(ENOENT\)/);
});

test('live changes are checked by the same schema', () => {
  const workload = ConfigSchema.parse({});
  const next = applyWorkloadChange(workload, { concurrency: 25, thinkMs: '10-20' });
  assert.equal(next.concurrency, 25);
  assert.deepEqual(next.thinkMs, { min: 10, max: 20 });
  assert.throws(() => applyWorkloadChange(workload, { concurrency: -1 }), /--concurrency/);
});

test('--no-get-stream turns the GET stream off; without it the stream stays on, or as the config file says', async () => {
  assert.equal((await loadConfig({ url: 'http://127.0.0.1:3001/mcp', getStream: false })).getStream, false);
  assert.equal((await loadConfig({ url: 'http://127.0.0.1:3001/mcp' })).getStream, true);
  const file = join(await mkdtemp(join(tmpdir(), 'mle-config-')), 'run.json');
  await writeFile(file, JSON.stringify({ url: 'http://127.0.0.1:3001/mcp', getStream: false }));
  assert.equal((await loadConfig({ sse: false }, file)).getStream, false);
});

test('a --header-env variable that is set but empty is refused, as an unset one is', async () => {
  process.env['MLE_EMPTY_TOKEN'] = '';
  try {
    await assert.rejects(
      loadConfig({ headerEnv: ['Authorization=MLE_EMPTY_TOKEN'] }),
      /--header-env: environment variable MLE_EMPTY_TOKEN \(for header Authorization\) is empty/,
    );
  } finally {
    delete process.env['MLE_EMPTY_TOKEN'];
  }
});

test('a think time of a few milliseconds gets a hint that seconds may have been meant; 0 or stress values do not', async () => {
  const { thinkTimeHint } = await import('../source/run/prepare-run.js');
  assert.match(thinkTimeHint({ min: 1, max: 5 }) ?? '', /is milliseconds.*--think 1000-5000/);
  assert.equal(thinkTimeHint({ min: 0, max: 0 }), null);
  assert.equal(thinkTimeHint({ min: 1000, max: 5000 }), null);
});
