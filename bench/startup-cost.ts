import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { loadedPackages } from './loaded-packages.js';
import { cpuSoFar } from './process-cpu.js';
import { cliPath, root } from './paths.js';
import type { BenchSdkServer } from './sdk-server-child.js';

/**
 * Packages a headless Streamable HTTP run with no exporter, no Markdown or JUnit report and no recording
 * has no use for: the screen, the exporters, the report writers' helpers, the SSE transport's EventSource.
 */
const UNUSED = [
  /^react/,
  /^ink/,
  /^yoga/,
  /^prom-client$/,
  /^@opentelemetry\//,
  /^xmlbuilder2$/,
  /^asciichart$/,
  /^parse-prometheus-text-format$/,
  /^eventsource$/,
];
const SAMPLE_MS = 10;

export interface StartupCost {
  /** Launch to the server's first tool call, s. */
  readonly wallS: number;
  /** CPU of the CLI (every thread) from launch to that call, s (10 ms resolution). */
  readonly cpuS: number;
  /** Every package the process and its workers loaded. */
  readonly packages: readonly string[];
  /** Those in UNUSED. */
  readonly unwanted: readonly string[];
}

function runArgs(server: BenchSdkServer): string[] {
  return [
    ...[cliPath, '--url', server.url, '--concurrency', '50', '--think', '0-0', '--mix', 'noop:1'],
    // Long enough for a first call on a loaded machine; the run is stopped once the server has seen it.
    ...['--duration', '30', '--headless'],
    ...(server.kind === 'v2' ? ['--protocol', '2026-07-28'] : []),
  ];
}

/** The CLI's CPU and wall time from launch to its first call, then (a second run) the packages it loaded. */
export async function startupCost(
  context: BenchContext,
  server: BenchSdkServer,
  label: string,
): Promise<StartupCost> {
  await server.mark();
  const launchedAt = Date.now();
  const child = context.registry.start(label, process.execPath, runArgs(server), { cwd: root });
  const samples: { at: number; cpuS: number }[] = [];
  let firstCallAt: number | null = null;
  let polled = 0;
  while (firstCallAt === null) {
    const cpuS = cpuSoFar(child.pid);
    if (cpuS === null) throw new Error(`${label}: the CLI exited before its first call`);
    samples.push({ at: Date.now(), cpuS });
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    // The server says when it saw the call; ask it every few samples (its answer costs it, not the CLI).
    if (++polled % 5 === 0) firstCallAt = (await server.stats()).firstCallAt;
    if (Date.now() - launchedAt > 60_000) throw new Error(`${label}: no call within 60 s of launch`);
  }
  await child.stop();
  const at = firstCallAt;
  const cpuS = samples.filter((sample) => sample.at <= at).at(-1)?.cpuS ?? 0;

  const trace = join(context.tmpDir, `${label}.modules`);
  await server.mark();
  const traced = context.registry.start(
    `${label}-modules`,
    process.execPath,
    ['--import', './bench/module-trace.mjs', ...runArgs(server)],
    { cwd: root, env: { ...process.env, MODULE_TRACE: trace } },
  );
  await waitForFirstCall(server, traced.exited);
  await traced.stop();
  const sorted = loadedPackages(await readFile(trace, 'utf8').catch(() => ''));
  context.progress(
    `${label}: ${(at - launchedAt) / 1000} s to the first call, ${cpuS} s CPU; ${sorted.join(' ')}`,
  );
  return {
    wallS: (at - launchedAt) / 1000,
    cpuS,
    packages: sorted,
    unwanted: sorted.filter((name) => UNUSED.some((pattern) => pattern.test(name))),
  };
}

/** Until the server has seen a call since its last mark (or the run ended). */
async function waitForFirstCall(server: BenchSdkServer, exited: Promise<unknown>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  while (!ended && (await server.stats()).firstCallAt === null)
    await new Promise((resolve) => setTimeout(resolve, 100));
}
