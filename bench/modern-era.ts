import type { BenchContext, Scenario } from './bench-context.js';
import type { BenchDemoServer, DemoStats } from './demo-server.js';
import { formatNumber, median, runsNote } from './figures.js';
import { microsPerCall, runLoad } from './load-cli.js';
import { root } from './paths.js';

const NAME = 'modern-era';
const SESSIONS = 50;
const WARMUP_S = 2;
const HOLD_S = 10;
/** Clients held for the memory figure: idle (long think), each with its subscriptions/listen stream. */
const HELD_LOW = 50;
const HELD_HIGH = 500;
const ECHO = ['--mix', 'echo:1', '--args', 'echo={"text":"x"}'];

/**
 * A 2026-07-28-only server built with `@modelcontextprotocol/server` 2.x (`legacy: 'reject'`), the era
 * test server, as the bench's server: its `/counts` stand in for the demo server's stats.
 */
async function startModernServer(context: BenchContext): Promise<BenchDemoServer> {
  const args = ['--import', 'tsx', 'test/support/era-server.ts', 'modern'];
  const child = context.registry.start('era-server', process.execPath, args, { cwd: root, graceMs: 5000 });
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!url) {
    url = /listening on (http:\/\/\S+)/.exec(child.stdout())?.[1];
    if (Date.now() > deadline) throw new Error('the era server did not start within 30 s');
    if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const countsUrl = new URL('/counts', url).toString();
  const stats = async (): Promise<DemoStats> => {
    const { rpc } = (await (await fetch(countsUrl)).json()) as { rpc: Record<string, number> };
    // Stateless: the server holds no sessions, so none can be left open.
    return {
      pid: child.pid,
      sessions: { active: 0, opened: 0, closed: 0 },
      calls: { total: rpc['tools/call'] ?? 0, errors: 0 },
    };
  };
  return { url, pid: child.pid, args, stats, stop: () => child.stop() };
}

/** µs of generator CPU per call on 2026-07-28: the v2 client's per-request `_meta` over the lean transport. */
async function microsPerModernCall(
  context: BenchContext,
  server: BenchDemoServer,
  run: number,
): Promise<number> {
  const label = `${NAME}-cpu-${run}`;
  const result = await runLoad(context.registry, {
    server,
    mode: 'headless',
    workload: [
      ...['--concurrency', String(SESSIONS), '--think', '0-0', '--jitter', '0', '--workers', '1'],
      ...['--session-calls', '1000000-1000000', '--protocol', '2026-07-28', ...ECHO],
    ],
    warmupS: WARMUP_S,
    holdS: HOLD_S,
    tmpDir: context.tmpDir,
    label,
  });
  for (const warning of result.warnings) context.warn(warning);
  const micros = microsPerCall(result.level);
  context.progress(`${label}: ${formatNumber(micros)} µs/call, ${result.level.calls} calls`);
  return micros;
}

/** Generator memory per held 2026-07-28 client: RSS growth from HELD_LOW to HELD_HIGH clients, shared out. */
async function bytesPerHeldClient(
  context: BenchContext,
  server: BenchDemoServer,
  run: number,
): Promise<number> {
  const label = `${NAME}-memory-${run}`;
  const result = await runLoad(context.registry, {
    server,
    mode: 'headless',
    workload: [
      ...['--steps', `${HELD_LOW},${HELD_HIGH}`, '--hold', String(WARMUP_S + HOLD_S), '--workers', '1'],
      ...[
        '--think',
        '60000-60000',
        '--jitter',
        '1000',
        '--session-calls',
        '1000-1000',
        '--protocol',
        '2026-07-28',
      ],
      ...ECHO,
    ],
    warmupS: WARMUP_S,
    holdS: 2 * (WARMUP_S + HOLD_S),
    tmpDir: context.tmpDir,
    label,
  });
  for (const warning of result.warnings) context.warn(warning);
  const [low, high] = result.report.levels;
  if (!low || !high) throw new Error(`${label}: the report has ${result.report.levels.length} levels, not 2`);
  const bytes = (high.generator.rssBytes - low.generator.rssBytes) / (HELD_HIGH - HELD_LOW);
  context.progress(`${label}: ${formatNumber(bytes / 1024)} KiB per held client`);
  return bytes;
}

/** The 2026-07-28 path beside the 2025 figures: CPU per call and memory per held client against the v2 server. */
export const modernEra: Scenario = async (context) => {
  const server = await startModernServer(context);
  try {
    const cpu: number[] = [];
    const memory: number[] = [];
    for (let run = 1; run <= context.runs; run += 1) {
      const micros = await context.attempt(() => microsPerModernCall(context, server, run));
      if (micros !== null && Number.isFinite(micros)) cpu.push(micros);
      const bytes = await context.attempt(() => bytesPerHeldClient(context, server, run));
      if (bytes !== null && Number.isFinite(bytes)) memory.push(bytes);
    }
    context.figure({
      scenario: NAME,
      text: `generator CPU per 2026-07-28 call ${formatNumber(median(cpu))} µs${runsNote(cpu.length, context.runs)}`,
      target: 'no target, compare with cpu-per-call (2025-11-25)',
      met: null,
      reproduce: context.reproduce(NAME),
    });
    context.figure({
      scenario: NAME,
      text: `generator memory per held 2026-07-28 client (with subscriptions/listen) ${formatNumber(median(memory) / 1024)} KiB${runsNote(memory.length, context.runs)}`,
      target: 'no target, compare with sessions-held (2025-11-25)',
      met: null,
      reproduce: context.reproduce(NAME),
    });
  } finally {
    await server.stop();
  }
};
