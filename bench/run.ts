// `npm run bench [-- SCENARIO…] [--runs N]`: timing figures of the built CLI against the demo server.
// A benchmark, not a test: it prints figures with their targets and never fails on a missed target.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchContext, Scenario } from './bench-context.js';
import { ChildRegistry } from './child-processes.js';
import { connectionMemory } from './connection-memory.js';
import { cpuPerCall } from './cpu-per-call.js';
import { fidelity } from './fidelity.js';
import { SERVER_KINDS, type ServerKind } from './demo-server.js';
import { formatFigure } from './figures.js';
import { histogramCost } from './histogram-cost.js';
import { histogramMemory } from './histogram-memory.js';
import { kneeAccuracy } from './knee-accuracy.js';
import { modernEra } from './modern-era.js';
import { multiCore } from './multi-core.js';
import { sdkCost, sdkStartup } from './sdk-cost.js';
import { sessionsHeld } from './sessions-held.js';

const SCENARIOS: Record<string, Scenario> = {
  fidelity,
  'cpu-per-call': cpuPerCall,
  'multi-core': multiCore,
  'sessions-held': sessionsHeld,
  'histogram-memory': histogramMemory,
  'histogram-cost': histogramCost,
  'knee-accuracy': kneeAccuracy,
  'modern-era': modernEra,
  'sdk-cost': sdkCost,
  'sdk-startup': sdkStartup,
  'connection-memory': connectionMemory,
};
const DEFAULT_RUNS = 3;
const USAGE = `usage: npm run bench -- [${Object.keys(SCENARIOS).join('|')}]… [--runs N] [--server lean|sdk|both]`;

function parseCommandLine(): { names: string[]; runs: number; servers: ServerKind[] } {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: String(DEFAULT_RUNS) },
      server: { type: 'string', default: 'both' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: give a whole number ≥ 1`);
  const server = values.server;
  if (server !== 'both' && !(server in SERVER_KINDS))
    throw new Error(`--server ${server}: give lean, sdk or both`);
  const servers = server === 'both' ? (Object.keys(SERVER_KINDS) as ServerKind[]) : [server as ServerKind];
  const unknown = positionals.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; ${USAGE}`);
  return { names: positionals.length > 0 ? positionals : Object.keys(SCENARIOS), runs, servers };
}

function header(runs: number): string {
  const model = cpus()[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU';
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const medians = runs === 1 ? 'one run per figure' : `medians of ${runs} runs`;
  return `bench  ${cpus().length} cores · ${model} · Node ${process.version} · ${date} UTC · ${medians}`;
}

let options: { names: string[]; runs: number; servers: ServerKind[] };
try {
  options = parseCommandLine();
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(2);
}

const registry = new ChildRegistry();
const tmpDir = await mkdtemp(join(tmpdir(), 'mcp-load-explorer-bench-'));
const cleanup = async (): Promise<void> => {
  await registry.stopAll();
  await rm(tmpDir, { recursive: true, force: true });
};

let interrupts = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts > 1) {
    registry.killAllNow();
    process.exit(130);
  }
  process.stderr.write(`bench: ${signal}, stopping every child process…\n`);
  void cleanup().finally(() => process.exit(130));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
process.on('exit', () => registry.killAllNow());

const startedAt = Date.now();
const elapsed = (): string => {
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};

const context: BenchContext = {
  runs: options.runs,
  servers: options.servers,
  registry,
  tmpDir,
  reproduce: (scenario, server) =>
    `npm run bench -- ${scenario}${options.runs === DEFAULT_RUNS ? '' : ` --runs ${options.runs}`}` +
    (server ? ` --server ${server}` : ''),
  figure: (figure) => console.log(formatFigure(figure)),
  warn: (message) => console.log(`warning  ${message}`),
  progress: (message) => process.stderr.write(`  [${elapsed()}] ${message}\n`),
  attempt: async (measurement) => {
    try {
      return await measurement();
    } catch (error) {
      if (interrupts > 0) throw error;
      context.warn(`run failed: ${(error as Error).message}`);
      return null;
    }
  },
};

console.log(header(options.runs));
try {
  for (const name of options.names) await SCENARIOS[name]!(context);
} catch (error) {
  // After a signal, failures are the children being stopped under the scenario's feet.
  if (interrupts === 0) console.log(`bench: stopped: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
