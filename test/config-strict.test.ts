import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../source/config/config-error.js';
import { loadConfig } from '../source/config/load-config.js';
import { applyWorkloadChange } from '../source/config/workload-change.js';
import { exploreInProcess } from './support/explore-in-process.js';
import { runCli, type CliResult } from './support/processes.js';

async function configFile(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'mle-config-')), 'config.json');
  await writeFile(file, text);
  return file;
}

/**
 * Refused before any connection: the URL points at nothing, so a config that got through fails otherwise.
 * Through the CLI's own run(args) in this process, or (`real`) as the real CLI.
 */
async function assertRefused(args: readonly string[], expected: RegExp, real = false): Promise<void> {
  const argv = ['--url', 'http://127.0.0.1:9/mcp', '--headless', ...args];
  const result: CliResult = real ? await runCli(argv) : await exploreInProcess(argv);
  assert.equal(result.code, 2, `exit code 2 for ${args.join(' ')}: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, expected);
}

test('a config file with an empty mix is refused with one line (it used to run 0 calls and exit 0)', async () => {
  await assertRefused(
    ['--config', await configFile('{"mix":{}}')],
    /mix: the mix is empty; give at least one tool/,
    true,
  );
  await assert.rejects(loadConfig({}, await configFile('{"mix":[]}')), /mix: /);
});

test('prototype keys are refused as tool and header names, in the config file and on the command line', async () => {
  const files: [string, RegExp][] = [
    ['{"mix":{"__proto__":1}}', /mix\.__proto__: __proto__, constructor and prototype are not allowed/],
    ['{"mix":{"constructor":1}}', /mix\.constructor: /],
    ['{"args":{"__proto__":{"a":1}}}', /args\.__proto__: /],
    ['{"args":{"echo":{"nested":{"__proto__":{"admin":true}}}}}', /args\.echo\.nested\.__proto__: /],
    ['{"headers":{"__proto__":"x"}}', /headers\.__proto__: /],
    ['{"headers":{"prototype":"x"}}', /headers\.prototype: /],
    ['{"headerEnv":{"constructor":"HOME"}}', /headerEnv\.constructor: /],
  ];
  for (const [text, expected] of files)
    await assert.rejects(loadConfig({}, await configFile(text)), expected);
  const flags: [Record<string, unknown>, RegExp][] = [
    [{ mix: 'constructor:1' }, /--mix: "constructor": a tool name may not be/],
    [{ mix: 'echo:1', args: ['__proto__={"a":1}'] }, /--args: "__proto__": a tool name/],
    [{ mix: 'echo:1', args: ['echo={"__proto__":{"a":1}}'] }, /--args: .*__proto__ key/],
    [{ headers: ['constructor: x'] }, /--header: "constructor": a header name/],
    [{ headerEnv: ['prototype=HOME'] }, /--header-env: "prototype"/],
  ];
  for (const [given, expected] of flags) await assert.rejects(loadConfig(given), expected);
  // And from the command line: one line, exit code 2.
  await assertRefused(['--config', await configFile(files[0]![0])], files[0]![1]);
  await assertRefused(
    ['--mix', 'echo:1', '--header', 'constructor: x'],
    /--header: "constructor": a header name/,
  );
});

test('think times beyond the timer range are refused, not wrapped to 1 ms', async () => {
  await assertRefused(
    ['--mix', 'echo:1', '--think', '3000000000-3000000000'],
    /--think: at most 2147483647 ms/,
  );
  await assert.rejects(
    loadConfig({}, await configFile('{"mix":"echo:1","thinkMs":{"min":1,"max":2147483648}}')),
    /thinkMs: at most 2147483647 ms/,
  );
  const config = await loadConfig({ mix: 'echo:1', thinkMs: '2147483647' });
  assert.deepEqual(config.thinkMs, { min: 2147483647, max: 2147483647 }, 'the largest timer value is fine');
});

test('live changes are checked as strictly: an empty mix, a prototype key, a think time beyond the timer', async () => {
  const current = await loadConfig({ mix: 'echo:1' });
  assert.throws(() => applyWorkloadChange(current, { mix: {} }), ConfigError);
  assert.throws(() => applyWorkloadChange(current, { mix: 'prototype:2' }), /a tool name may not be/);
  assert.throws(() => applyWorkloadChange(current, { thinkMs: '1-3000000000' }), /at most 2147483647 ms/);
  assert.deepEqual(applyWorkloadChange(current, { thinkMs: '5-10' }).thinkMs, { min: 5, max: 10 });
});
