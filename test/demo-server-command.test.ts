import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { runDemoServerCommand } from '../source/demo-server/command.js';
import type { DemoStats } from '../source/demo-server/demo-stats.js';
import { startDemoHttpServer, type DemoHttpServer } from '../source/demo-server/http-server.js';
import { describeCapacity, DemoServerOptionsSchema } from '../source/demo-server/options.js';
import { eventually, textOf } from './support/demo-clients.js';
import { scriptArgs } from './support/processes.js';

// The demo server's command (flags, a port in use) and its stdio mode.
const held: DemoHttpServer[] = [];
after(async () => {
  for (const server of held.splice(0)) await server.close();
});

async function startServer(): Promise<DemoHttpServer> {
  const server = await startDemoHttpServer({ port: 0 });
  held.push(server);
  return server;
}

describe('demo server command and stdio', () => {
  it('rejects bad flags and a port in use with one line and exit code 2', async () => {
    const errors = mock.method(console, 'error', () => {});
    const server = await startServer();
    try {
      assert.equal(await runDemoServerCommand(['--bottleneck', 'gpu']), 2);
      assert.equal(await runDemoServerCommand(['--port', String(server.port)]), 2);
      const lines = errors.mock.calls.map((call) => String(call.arguments[0]));
      assert.match(lines[0] ?? '', /^demo-server: --bottleneck: /);
      assert.equal(lines[1], `demo-server: port ${server.port} is in use: pass --port 0 or another port`);
    } finally {
      errors.mock.restore();
    }
    const options = DemoServerOptionsSchema.parse({});
    assert.equal(
      describeCapacity(options),
      "pool: C=8 connections × S=100 ms → 80 calls/s max; queue 64, then 'connection pool full'",
    );
  });

  it('stdio: one session per process, reported in DIR/<pid>.json', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'demo-stats-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        ...scriptArgs('source/demo-server/main.ts'),
        '--stdio',
        '--stats-dir',
        dir,
        '--bottleneck',
        'none',
      ],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'demo-server-test', version: '1' });
    try {
      await client.connect(transport);
      assert.equal(textOf(await client.callTool({ name: 'fast', arguments: {} })), 'ok');
      const file = path.join(dir, `${transport.pid}.json`);
      const read = async () => JSON.parse(await readFile(file, 'utf8')) as DemoStats;
      await eventually(async () => {
        const stats = await read();
        assert.equal(stats.transport, 'stdio');
        assert.deepEqual(stats.sessions, { active: 1, opened: 1, closed: 0 });
        assert.equal(stats.calls.byTool.fast, 1);
      });
      await client.close();
      assert.deepEqual((await read()).sessions, { active: 0, opened: 1, closed: 1 });
    } finally {
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
