import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadedPackages } from '../bench/loaded-packages.js';
import { root, runCli } from './support/processes.js';
import { demoForFile, startDemo } from './support/servers.js';

const demo = demoForFile();

/** The build's record of what each output file holds and loads (scripts/build.mjs writes it). */
async function bundleMeta(): Promise<{
  inputs: Record<string, unknown>;
  outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}> {
  return JSON.parse(await readFile(`${root}dist/meta.json`, 'utf8')) as never;
}
const tracer = `${root}bench/module-trace.mjs`;
/** What a headless run with a JSON report and no exporter has no use for. */
const UNUSED = [
  ...['react', 'ink', 'xmlbuilder2', 'asciichart', 'parse-prometheus-text-format', 'prom-client'],
  // Only the legacy SSE transport uses it (source/mcp-client/lazy-eventsource.ts).
  'eventsource',
  // The 1.x SDK drives stdio and legacy SSE sessions only: Streamable HTTP sessions of 2025-11-25 run on
  // the lean client (source/mcp-client/lean-client.ts).
  '@modelcontextprotocol/sdk',
  // The 2.x SDK's client is loaded only where a server's discover answer is unclear: this demo serves
  // 2025-11-25, which `--protocol auto`'s probe (source/mcp-client/lean-probe.ts) tells without it, and
  // a clear 2026-07-28 answer gets the lean 2026 client (source/mcp-client/lean-modern-client.ts).
  '@modelcontextprotocol/client',
];

/** A headless 2-client run against `url` under the module tracer (it must succeed): the packages it loaded. */
async function tracedRun(url: string, dir: string, args: readonly string[]): Promise<Set<string>> {
  const trace = join(dir, 'modules');
  const result = await runCli(
    [
      ...['--url', url, '--mix', 'fast:1', '-n', '2', '--think', '100-200', '--jitter', '0'],
      ...['--warmup', '0', '--headless', ...args],
    ],
    { env: { NODE_OPTIONS: `--import=${tracer}`, MODULE_TRACE: trace } },
  );
  assert.equal(result.code, 0, result.stderr);
  return new Set(loadedPackages(await readFile(trace, 'utf8')));
}

test('a headless run loads neither the screen, nor the writers and exporters it was not asked for', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-load-explorer-modules-'));
  try {
    const before = await demo().stats();
    const packages = await tracedRun(demo().url, dir, [
      '--duration',
      '3',
      '--report',
      join(dir, 'report.json'),
    ]);
    const after = await demo().stats();
    // The trace saw the run's own work, and the run did its work: sessions of the 2025 era, after the probe.
    assert.ok(packages.has('undici') && packages.has('hdr-histogram-js'), [...packages].join(' '));
    assert.ok(after.sessions.opened > before.sessions.opened);
    assert.ok((after.callsByEra['2025-11-25'] ?? 0) > (before.callsByEra['2025-11-25'] ?? 0));
    assert.deepEqual(
      UNUSED.filter((name) => packages.has(name)),
      [],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a headless 2026-07-28 run loads no v2 client package: the lean client speaks the revision', async () => {
  // Before it, the v2 SDK's Client (and its zod schemas) loaded in the controller and in every worker.
  const dir = await mkdtemp(join(tmpdir(), 'mcp-load-explorer-modern-modules-'));
  const modern = await startDemo(['--bottleneck', 'none', '--protocol', '2026-07-28']);
  try {
    const before = await modern.stats();
    const packages = await tracedRun(modern.url, dir, ['--duration', '2']);
    const after = await modern.stats();
    assert.ok(packages.has('undici'), [...packages].join(' '));
    // The probe found 2026-07-28 (`auto`), and the server answered calls of that revision.
    assert.ok((after.callsByEra['2026-07-28'] ?? 0) > (before.callsByEra['2026-07-28'] ?? 0));
    assert.deepEqual(
      UNUSED.filter((name) => packages.has(name)),
      [],
    );
  } finally {
    await modern.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

/** The packages a demo server serving `protocol` loaded by the time it answered /stats. */
async function demoPackages(dir: string, protocol: string): Promise<{ packages: Set<string> }> {
  const trace = join(dir, `modules-${protocol}`);
  const server = await startDemo(['--protocol', protocol], {
    env: { NODE_OPTIONS: `--import=${tracer}`, MODULE_TRACE: trace },
  });
  try {
    await server.stats();
    return { packages: new Set(loadedPackages(await readFile(trace, 'utf8'))) };
  } finally {
    await server.stop();
  }
}

test('a demo server of the 2025 era alone does not load the 2.x SDK server; one that serves 2026-07-28 does', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-load-explorer-demo-modules-'));
  try {
    const [legacy, all] = await Promise.all([demoPackages(dir, '2025-11-25'), demoPackages(dir, 'all')]);
    // Both serve the 2025 era with the 1.x SDK; the trace sees the 2.x server where it is used.
    assert.ok(legacy.packages.has('@modelcontextprotocol/sdk'), [...legacy.packages].join(' '));
    assert.ok(all.packages.has('@modelcontextprotocol/server'), [...all.packages].join(' '));
    assert.equal(legacy.packages.has('@modelcontextprotocol/server'), false, [...legacy.packages].join(' '));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the shipped bundle holds the production builds of React, never the development ones', async () => {
  // The development builds check props and mark every component's render: about twice the main thread's
  // time per frame of the live screen. The build sets NODE_ENV so that only the production ones are bundled.
  const bundled = Object.keys((await bundleMeta()).inputs).filter((path) =>
    /node_modules\/(react|react-reconciler|scheduler)\//.test(path),
  );
  assert.ok(
    bundled.some((path) => path.endsWith('.production.js')),
    bundled.join(', '),
  );
  assert.deepEqual(
    bundled.filter((path) => path.endsWith('.development.js')),
    [],
  );
});

test('the bundle holds zod with its English messages only, not every locale', async () => {
  // zod re-exports its 40-odd locales (366 KB of its 751 KB) where it is imported: every process that
  // loads zod compiled them. scripts/build.mjs builds zod's locale index with English alone.
  const zod = Object.keys((await bundleMeta()).inputs).filter((path) => path.includes('node_modules/zod/'));
  assert.ok(
    zod.some((path) => path.endsWith('zod/v4/core/schemas.js')),
    'zod is in the bundle',
  );
  assert.deepEqual(zod.filter((path) => path.includes('/locales/')).sort(), [
    'node_modules/zod/v3/locales/en.js',
    'node_modules/zod/v4/locales/en.js',
  ]);
});

test('package.json depends on exactly the packages the bundle loads from node_modules at run time', async () => {
  // Everything else is bundled into dist/ and is a devDependency: `npm install mcp-load-explorer` fetches
  // 8 packages (12 MB) instead of 172 (115 MB).
  const meta = await bundleMeta();
  const loaded = new Set<string>();
  const packageOf = (specifier: string) =>
    specifier
      .split('/')
      .slice(0, specifier.startsWith('@') ? 2 : 1)
      .join('/');
  for (const [file, output] of Object.entries(meta.outputs)) {
    if (!file.endsWith('.js')) continue;
    for (const { path, external } of output.imports)
      if (external && !/^(node:|\.)/.test(path)) loaded.add(packageOf(path));
    // What the code loads through createRequire (undici's parts, the histogram class, eventsource).
    const text = await readFile(`${root}${file}`, 'utf8');
    for (const match of text.matchAll(/requireHere\d*\("([^"]+)"\)/g)) loaded.add(packageOf(match[1]!));
  }
  // Node's built-ins imported without `node:`, the optional ones ws and Ink try (bufferutil, utf-8-validate,
  // react-devtools-core, only with DEV=true) and ajv's standalone-code strings are not loaded here.
  const { builtinModules } = await import('node:module');
  const optional = new Set(['bufferutil', 'utf-8-validate', 'react-devtools-core']);
  const runtime = [...loaded].filter((name) => !builtinModules.includes(name) && !optional.has(name));
  const { dependencies } = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as {
    dependencies: Record<string, string>;
  };
  assert.deepEqual(runtime.sort(), Object.keys(dependencies).sort());
});
