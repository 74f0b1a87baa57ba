// The yardstick for cpu-per-call: the load a user would write with the SDK and its defaults (no custom
// fetch), measured the same way. Run: node --import tsx bench/plain-sdk-client.ts --url URL [options].
// Prints one JSON line: {"calls":…,"errors":…,"cpuMicros":…,"wallMs":…,"microsPerCall":…,"bootCpuMicros":…}.
// `--session-calls MIN-MAX` ends each session after that many calls (DELETE) and opens another, as the
// explorer's default workload does; without it sessions last the whole run.
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
  /** CPU spent before this module ran (Node and the tsx loader, from bench/boot-cpu.mjs), µs; null without it. */
  readonly bootCpuMicros: number | null;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    sessions: { type: 'string', default: '50' },
    tool: { type: 'string', default: 'fast' },
    'warmup-s': { type: 'string', default: '2' },
    'duration-s': { type: 'string', default: '10' },
    'session-calls': { type: 'string' },
  },
});
const [minCalls, maxCalls] = (values['session-calls'] ?? '0-0').split('-').map(Number) as [number, number];
/** Calls the next session makes before it ends (0: it never ends). */
const sessionLength = (): number => minCalls + Math.floor(Math.random() * (maxCalls - minCalls + 1));
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

async function close({ client, transport }: Awaited<ReturnType<typeof openSession>>): Promise<void> {
  await transport.terminateSession().catch(() => undefined);
  await client.close();
}

/** One user: calls in a loop; with --session-calls, replaces its session after that many. */
async function callLoop(first: Awaited<ReturnType<typeof openSession>>): Promise<void> {
  let session = first;
  let left = sessionLength();
  while (!stopping) {
    try {
      await session.client.callTool({ name: values.tool, arguments: {} });
      if (measuring) calls += 1;
    } catch {
      if (measuring) errors += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (left > 0 && --left === 0 && !stopping) {
      await close(session);
      session = await openSession();
      left = sessionLength();
    }
  }
  await close(session);
}

const opened = await Promise.all(Array.from({ length: sessions }, () => openSession()));
const loops = opened.map((session) => callLoop(session));
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

const cpuMicros = cpu.user + cpu.system;
const result: PlainClientResult = {
  ...measured,
  cpuMicros,
  wallMs: Math.round(wallMs),
  microsPerCall: measured.calls > 0 ? cpuMicros / measured.calls : Number.NaN,
  bootCpuMicros: (globalThis as { bootCpuMicros?: number }).bootCpuMicros ?? null,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
