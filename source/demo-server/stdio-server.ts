import { setImmediate as nextTurn } from 'node:timers/promises';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createWorkHandler } from './bottleneck.js';
import { DemoStatsRecorder } from './demo-stats.js';
import { DemoServerOptionsSchema, type DemoServerOptionsInput } from './options.js';
import { createSessionServer } from './session-server.js';
import { StatsFile } from './stats-file.js';

/** Ways to end a stdio session other than the client closing stdin. */
export interface DemoStdioControls {
  /** Aborting it ends the session as if stdin had closed (SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
}

/**
 * Serves one session over stdin/stdout until stdin closes or `signal` aborts. Stats go to
 * `statsDir/<pid>.json` when a directory is given, with `sessions.active` back at 0 before this resolves.
 */
export async function runDemoStdioServer(
  input: DemoServerOptionsInput = {},
  controls: DemoStdioControls = {},
): Promise<void> {
  const options = DemoServerOptionsSchema.parse({ ...input, stdio: true });
  let statsFile: StatsFile | undefined;
  const stats = new DemoStatsRecorder('stdio', options.bottleneck, (change) => {
    if (change === 'session') statsFile?.writeNow();
    else statsFile?.writeSoon();
  });
  if (options.statsDir) {
    statsFile = new StatsFile(options.statsDir, () => stats.snapshot());
    statsFile.writeNow();
  }
  const { server } = createSessionServer({ options, stats, work: createWorkHandler(options) });

  let opened = false;
  server.server.oninitialized = () => {
    opened = true;
    stats.sessionOpened();
  };

  const ended = new Promise<void>((resolve) => {
    if (controls.signal?.aborted) resolve();
    controls.signal?.addEventListener('abort', () => resolve(), { once: true });
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
  });
  await server.connect(new StdioServerTransport());
  await ended;

  if (opened) stats.sessionClosed();
  await server.close();
  // One turn of the loop lets the calls aborted by the close count themselves (as errors) first.
  await nextTurn();
  statsFile?.writeNow();
  // The transport only pauses stdin; destroying it lets the process exit once the last call is aborted.
  process.stdin.destroy();
}
