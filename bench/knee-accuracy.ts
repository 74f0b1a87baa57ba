// The live half of the knee's validation (the seeded simulation grid is the other, in npm test): the demo
// server's pool bottleneck in several regimes, each walked past its N*, the knee printed against N*.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReportSchema } from '../source/report/report-schema.js';
import type { BenchContext, Scenario } from './bench-context.js';
import { SERVER_KINDS, startServerOfKind, type ServerKind } from './demo-server.js';
import { cliPath, root } from './paths.js';

const NAME = 'knee-accuracy';

interface LiveRegime {
  readonly name: string;
  /** Pool workers C and the time each call holds one, ms. */
  readonly pool: number;
  readonly serviceMs: number;
  /** Think time range, ms (N* uses its mean). */
  readonly think: readonly [number, number];
  readonly steps: readonly number[];
  readonly holdS: number;
}

/** N* = C·(S + Z)/S for one pool (the demo's pool is the only queue; its other work is negligible). */
const saturation = (regime: LiveRegime): number =>
  (regime.pool * (regime.serviceMs + (regime.think[0] + regime.think[1]) / 2)) / regime.serviceMs;

const REGIMES: readonly LiveRegime[] = [
  // The textbook case of issue 14: no think time, the knee at N = C.
  {
    name: 'C=4 S=50 ms Z=0',
    pool: 4,
    serviceMs: 50,
    think: [0, 0],
    steps: [1, 2, 3, 4, 5, 6, 8, 10, 12, 16],
    holdS: 5,
  },
  // The demo pool of the README: think time three times the service time.
  {
    name: 'C=4 S=200 ms Z=600',
    pool: 4,
    serviceMs: 200,
    think: [500, 700],
    steps: [4, 8, 12, 14, 16, 18, 20, 24, 28, 32],
    holdS: 5,
  },
  // A wider pool and long think time: N* far above the pool's size.
  {
    name: 'C=16 S=100 ms Z=1000',
    pool: 16,
    serviceMs: 100,
    think: [800, 1200],
    steps: [20, 60, 100, 140, 160, 180, 220, 260, 320],
    holdS: 6,
  },
  // One worker: every call queues behind the last.
  {
    name: 'C=1 S=100 ms Z=300',
    pool: 1,
    serviceMs: 100,
    think: [200, 400],
    steps: [1, 2, 3, 4, 5, 6, 8, 10],
    holdS: 8,
  },
];

async function measure(context: BenchContext, regime: LiveRegime, kind: ServerKind): Promise<void> {
  const server = await startServerOfKind(context.registry, kind, [
    ...['--bottleneck', 'pool', '--pool-size', String(regime.pool), '--pool-ms', String(regime.serviceMs)],
    ...['--pool-queue', '100000'],
  ]);
  try {
    const reportPath = join(context.tmpDir, `${NAME}-${kind}-${regime.pool}-${regime.serviceMs}.json`);
    const args = [
      ...['--url', server.url, '--pid', String(server.pid), '--mix', 'work:1', '--jitter', '0'],
      ...['--think', `${regime.think[0]}-${regime.think[1]}`, '--session-calls', '1000000'],
      ...['--steps', regime.steps.join(','), '--hold', String(regime.holdS), '--warmup', '1'],
      ...['--report', reportPath, '--headless'],
    ];
    const child = context.registry.start(
      `${NAME} ${kind} ${regime.name}`,
      process.execPath,
      [cliPath, ...args],
      {
        cwd: root,
      },
    );
    const code = await child.exited;
    if (code !== 0) throw new Error(`${regime.name}: the CLI exited ${code}`);
    const report = ReportSchema.parse(JSON.parse(await readFile(reportPath, 'utf8')));
    // The settings' N* leaves out what a call costs outside the pool (HTTP, JSON, the client): on a busy
    // machine that is tens of ms a call. It lengthens each session's cycle, not the pool's hold, so the
    // system as run saturates at C·(R₀ + Z)/S, R₀ the mean latency at the lowest level.
    const nominal = saturation(regime);
    const lowest = report.levels.find((level) => level.latencyMs && level.calls >= 20);
    const thinkMs = (regime.think[0] + regime.think[1]) / 2;
    const expected = lowest ? (regime.pool * (lowest.latencyMs!.mean + thinkMs)) / regime.serviceMs : nominal;
    const { kneeConcurrency: knee, kneeInterval: interval, kneeReason } = report.analysis;
    const error = knee === null ? null : (knee - expected) / expected;
    const inside = interval !== null && interval[0] <= expected && interval[1] >= expected;
    context.figure({
      scenario: NAME,
      text:
        `${SERVER_KINDS[kind].label}, ${regime.name}: N* ${expected.toFixed(1)} as run (${nominal.toFixed(1)} from the settings, R₀ ${lowest?.latencyMs?.mean.toFixed(0) ?? '?'} ms), knee ${knee ?? 'none'}` +
        `${interval ? ` [${interval[0]}, ${interval[1]}]` : ''}` +
        `${error === null ? ` (${kneeReason})` : ` (${(error * 100).toFixed(1)}%, N* ${inside ? 'inside' : 'outside'} the interval)`}`,
      target: 'within ±15% of N*',
      met: error !== null && Math.abs(error) <= 0.15,
      reproduce: context.reproduce(NAME, kind),
    });
  } finally {
    await server.stop();
  }
}

/** Each regime once per server kind (a run takes a minute or so); `--runs` repeats the whole set. */
export const kneeAccuracy: Scenario = async (context) => {
  for (let run = 0; run < context.runs; run += 1)
    for (const kind of context.servers)
      for (const regime of REGIMES) await context.attempt(() => measure(context, regime, kind));
};
