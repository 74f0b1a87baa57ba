import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { root, runCommand } from './support/processes.js';

/**
 * The official conformance suite needs Node 22. It lives in a package of its own (test/conformance/), so
 * its `node` binary does not become the one every npm script of the project runs.
 */
const suite = `${root}test/conformance/`;
const node22 = `${suite}node_modules/node/bin/node`;
const conformance = `${suite}node_modules/@modelcontextprotocol/conformance/dist/index.js`;

before(() => {
  if (existsSync(node22) && existsSync(conformance)) return;
  // .ci/run installs it; a fresh clone's `npm test` installs it here, from its lockfile.
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', suite], {
    encoding: 'utf8',
  });
  assert.equal(install.status, 0, `npm ci --prefix test/conformance: ${install.stderr}`);
});

async function scenario(name: string, extra: string): Promise<{ code: number | null; output: string }> {
  const command = `node test/support/conformance-client.mjs${extra}`;
  const { code, stdout, stderr } = await runCommand(
    node22,
    [conformance, 'client', '--command', command, '--scenario', name],
    { cwd: root },
  );
  return { code, output: stdout + stderr };
}

// Each scenario runs its own conformance server on its own port, and mostly waits on it: all six at once.
describe('conformance client', { concurrency: 6 }, () => {
  for (const extra of ['', ' --no-listen-stream']) {
    for (const name of ['initialize', 'tools_call', 'sse-retry']) {
      test(`conformance client scenario ${name}${extra ? ' without the long-lived stream' : ''}`, async () => {
        const { code, output } = await scenario(name, extra);
        assert.match(output, /OVERALL: PASSED/, output);
        assert.doesNotMatch(output, /FAILURE|WARNING/, output);
        assert.equal(code, 0, output);
      });
    }
  }
});
