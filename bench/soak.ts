// `npm run soak [-- --minutes 30 --sessions 200 --warmup-minutes 5]`: a long headless run against the demo
// server that prints the generator's RSS after warm-up and at the end. Not part of `npm test` or the CI.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemoHttpServer } from '../source/demo-server/http-server.js';
import { SnapshotLineSchema } from '../source/headless/json-lines.js';
import { cliPath, root } from './paths.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    sessions: { type: 'string', default: '200' },
    'warmup-minutes': { type: 'string', default: '5' },
    think: { type: 'string', default: '2000-4000' },
  },
});
const minutes = Number(values.minutes);
const warmupMinutes = Math.min(Number(values['warmup-minutes']), minutes / 2);
const sessions = Number(values.sessions);
if (![minutes, warmupMinutes, sessions].every((value) => Number.isFinite(value) && value > 0)) {
  console.error('soak: --minutes, --sessions and --warmup-minutes take positive numbers');
  process.exit(2);
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// In this process, not a child: nothing outside can end the server under test half-way through the soak.
const demo = await startDemoHttpServer({ port: 0, host: '127.0.0.1', bottleneck: 'none' });
const url = demo.url;

const args = [
  ...['--url', url, '--pid', String(process.pid), '--mix', 'fast:1', '--concurrency', String(sessions)],
  ...['--think', values.think, '--jitter', '5000', '--warmup', '0'],
  ...['--duration', String(minutes * 60), '--json'],
];
console.log(`soak: ${sessions} sessions for ${minutes} min against ${url} (warm-up ${warmupMinutes} min)`);
console.log(`soak: node dist/cli.js ${args.join(' ')}`);
// Each thread of the CLI writes its V8 heap figures here (bench/soak-probe.mjs), to explain what RSS does.
const probeFile = join(await mkdtemp(join(tmpdir(), 'mle-soak-')), 'heap.ndjson');
const probe = pathToFileURL(join(root, 'bench', 'soak-probe.mjs')).href;
const cli = spawn(process.execPath, [cliPath, ...args], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, SOAK_PROBE_FILE: probeFile, NODE_OPTIONS: `--import=${probe}` },
});
const cliStarted = Date.now();

/** Generator RSS once a second, with the elapsed seconds. */
const samples: { readonly s: number; readonly rss: number; readonly active: number }[] = [];
let calls = 0;
let errors = 0;
createInterface({ input: cli.stdout }).on('line', (line) => {
  if (!line.startsWith('{')) return;
  const message = JSON.parse(line) as { type: string };
  if (message.type !== 'snapshot') return;
  const snapshot = SnapshotLineSchema.parse(message);
  const s = Math.round(snapshot.elapsedS);
  samples.push({ s, rss: snapshot.generator.rssBytes, active: snapshot.n.active });
  calls = snapshot.totals.calls;
  errors = snapshot.totals.errors;
  if (s % 60 === 0 && snapshot.generator.rssBytes > 0)
    console.log(`soak: ${s / 60} min  rss ${mb(snapshot.generator.rssBytes)}  sessions ${snapshot.n.active}`);
});

const stop = (): void => {
  cli.kill('SIGTERM');
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
await demo.close();

const measured = samples.filter((sample) => sample.rss > 0);
const afterWarmup = measured.filter((sample) => sample.s >= warmupMinutes * 60);
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
/** A minute's median, so one garbage collection does not decide the figure. */
const minuteRss = (from: number): number =>
  median(
    afterWarmup.filter((sample) => sample.s >= from && sample.s < from + 60).map((sample) => sample.rss),
  );
if (afterWarmup.length < 60) {
  console.error(`soak: the CLI exited ${code} with too few samples after warm-up`);
  process.exit(1);
}
const first = afterWarmup[0]!.s;
const last = afterWarmup[afterWarmup.length - 1]!.s;
const start = minuteRss(first);
const end = minuteRss(last - 59);
const peak = Math.max(...afterWarmup.map((sample) => sample.rss));
const growth = ((end - start) / start) * 100;
const perHour = ((end - start) / ((last - 59 - first) / 3600)) | 0;
console.log(
  `soak  generator RSS after ${(first / 60).toFixed(1)} min warm-up ${mb(start)}, at ${(last / 60).toFixed(0)} min ${mb(end)}: ` +
    `${growth >= 0 ? '+' : ''}${growth.toFixed(1)}% (${mb(perHour)}/h; peak ${mb(peak)}); ` +
    `${sessions} sessions, ${calls} calls, ${errors} errors, CLI exit ${code}`,
);

/** One thread's V8 heap at the start of the measured part and at the end (medians of those minutes). */
interface ProbeLine {
  readonly at: number;
  readonly thread: number;
  readonly gc?: 'major';
  readonly heapUsed: number;
  readonly heapTotal?: number;
  readonly youngSize?: number;
  /** Young-generation collections since the previous sample (10 s before). */
  readonly scavenges?: number;
}
const probeLines = (await readFile(probeFile, 'utf8').catch(() => ''))
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as ProbeLine);
const fromS = (line: ProbeLine): number => (line.at - cliStarted) / 1000;
const threads = [...new Set(probeLines.map((line) => line.thread))].sort((a, b) => a - b);
for (const thread of threads) {
  const mine = probeLines.filter((line) => line.thread === thread);
  /** The two minutes from `from` (seconds into the run). */
  const inWindow = (lines: ProbeLine[], from: number): ProbeLine[] =>
    lines.filter((line) => fromS(line) >= from && fromS(line) < from + 120);
  const afterGc = mine.filter((line) => line.gc === 'major');
  const samples = mine.filter((line) => !line.gc);
  const pick = (lines: ProbeLine[], key: 'heapUsed' | 'heapTotal' | 'youngSize' | 'scavenges'): number =>
    median(lines.map((line) => line[key] ?? 0));
  const [early, late] = [first, last - 119];
  console.log(
    `soak  ${thread === 0 ? 'main thread' : `worker ${thread}`}: heap after full GC ` +
      `${mb(pick(inWindow(afterGc, early), 'heapUsed'))} → ${mb(pick(inWindow(afterGc, late), 'heapUsed'))}` +
      ` (${afterGc.length} full GCs); heap size ${mb(pick(inWindow(samples, early), 'heapTotal'))} → ` +
      `${mb(pick(inWindow(samples, late), 'heapTotal'))}, of it young generation ` +
      `${mb(pick(inWindow(samples, early), 'youngSize'))} → ${mb(pick(inWindow(samples, late), 'youngSize'))}` +
      ` (${pick(inWindow(samples, early), 'scavenges') / 10} → ${pick(inWindow(samples, late), 'scavenges') / 10} scavenges/s)`,
  );
}
const fiveMinutes: string[] = [];
for (let from = 0; from < last; from += 300) {
  const values = measured.filter((sample) => sample.s >= from && sample.s < from + 300).map((s) => s.rss);
  if (values.length)
    fiveMinutes.push(`${from / 60}–${(Math.min(last, from + 300) / 60) | 0} min ${mb(median(values))}`);
}
console.log(`soak  generator RSS, median of each 5 minutes: ${fiveMinutes.join(', ')}`);
