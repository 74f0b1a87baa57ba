import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { root } from './support/processes.js';

/** The official conformance suite (it needs Node 22: the `node` devDependency's binary runs it). */
const node22 = `${root}node_modules/node/bin/node`;
const conformance = `${root}node_modules/@modelcontextprotocol/conformance/dist/index.js`;

function scenario(name: string, extra: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      node22,
      [
        conformance,
        'client',
        '--command',
        `node test/support/conformance-client.mjs${extra}`,
        '--scenario',
        name,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

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
