// The yardstick for cpu-per-call: the load a user would write with the SDK and its defaults (no custom
// fetch), measured the same way. Run: node --import tsx bench/plain-sdk-client.ts --url URL [options].
// Prints one JSON line: {"calls":…,"errors":…,"cpuMicros":…,"wallMs":…,"microsPerCall":…}.
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** What the plain client measured over the calls it made after warm-up. */
export interface PlainClientResult {
  readonly calls: number;
  readonly errors: number;
  /** user + system CPU of this whole process over the measured period, µs. */
  readonly cpuMicros: number;
  readonly wallMs: number;
  readonly microsPerCall: number;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    sessions: { type: 'string', default: '50' },
    tool: { type: 'string', default: 'fast' },
    'warmup-s': { type: 'string', default: '2' },
    'duration-s': { type: 'string', default: '10' },
  },
});
const url = new URL(values.url ?? '');
if (url.hostname !== '127.0.0.1') throw new Error(`--url ${url}: the bench only targets 127.0.0.1`);
const sessions = Number(values.sessions);
const warmupMs = Number(values['warmup-s']) * 1000;
const durationMs = Number(values['duration-s']) * 1000;

let measuring = false;
let stopping = false;
let calls = 0;
let errors = 0;

async function openSession(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'plain-sdk-client', version: '0.0.0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(url);
  await client.connect(transport);
  return { client, transport };
}

async function callLoop(client: Client): Promise<void> {
  while (!stopping) {
    try {
      await client.callTool({ name: values.tool, arguments: {} });
      if (measuring) calls += 1;
    } catch {
      if (measuring) errors += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const opened = await Promise.all(Array.from({ length: sessions }, () => openSession()));
const loops = opened.map(({ client }) => callLoop(client));
await new Promise((resolve) => setTimeout(resolve, warmupMs));
measuring = true;
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
await new Promise((resolve) => setTimeout(resolve, durationMs));
const cpu = process.cpuUsage(cpuStart);
const wallMs = performance.now() - wallStart;
measuring = false;
const measured = { calls, errors };
stopping = true;
await Promise.all(loops);
await Promise.all(
  opened.map(async ({ client, transport }) => {
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }),
);

const cpuMicros = cpu.user + cpu.system;
const result: PlainClientResult = {
  ...measured,
  cpuMicros,
  wallMs: Math.round(wallMs),
  microsPerCall: measured.calls > 0 ? cpuMicros / measured.calls : Number.NaN,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
