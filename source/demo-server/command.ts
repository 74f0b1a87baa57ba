import { parseArgs } from 'node:util';
import { DemoListenError, startDemoHttpServer } from './http-server.js';
import { describeCapacity, DemoServerOptionsSchema, type DemoServerOptions } from './options.js';
import { runDemoStdioServer } from './stdio-server.js';

export const DEMO_SERVER_USAGE = `Usage: mcp-load-explorer demo-server [options]

The built-in demo MCP server: tools fast, slow, sleep {ms}, work {nonce?} and stats.
Streamable HTTP at /mcp, legacy HTTP+SSE at /sse, stats at GET /stats (calls and requests by era).

Options
  --port N            HTTP port, 0 for any free port (default 3001)
  --host H            interface to bind (default 127.0.0.1)
  --protocol ERA      HTTP eras: all | 2025-11-25 | stateless | 2026-07-28 (default all: 2026-07-28
                      and 2025-11-25 stateful at /mcp, the 2025 stateless posture at /stateless)
  --stdio             serve one session over stdin/stdout instead of HTTP
  --bottleneck KIND   what \`work\` costs: none | cpu | event-loop | memory | pool | state-leak (default pool)
  --fast-ms N         latency of \`fast\` and of cheap \`work\` calls (default 5)
  --slow-min-ms N     \`slow\` answers after a uniform random MIN..MAX ms (default 500)
  --slow-max-ms N     (default 5000)
  --cpu-ms N          cpu: ms of computation per call (default 20)
  --block-ms N        event-loop: ms a blocking call holds the loop (default 200)
  --block-every N     event-loop: one call in N blocks (default 20)
  --leak-kb N         memory: KB kept forever per call (default 256)
  --pool-size N       pool: connections C (default 8)
  --pool-ms N         pool: ms each call holds a connection S (default 100)
  --pool-queue N      pool: callers that may wait; the next get 'connection pool full' (default 64)
  --starting-ms N     answer /mcp with 503 for N ms after listening, like a slow start (default 0)
  --sse-responses     answer Streamable HTTP POSTs with SSE streams instead of JSON
  --stats-dir DIR     stdio: write stats to DIR/<pid>.json (also env DEMO_STATS_DIR)
  -h, --help          show this help
`;

/** Numeric flags and the option each one sets. */
const NUMERIC_FLAGS = {
  port: 'port',
  'fast-ms': 'fastMs',
  'slow-min-ms': 'slowMinMs',
  'slow-max-ms': 'slowMaxMs',
  'cpu-ms': 'cpuMs',
  'block-ms': 'blockMs',
  'block-every': 'blockEvery',
  'leak-kb': 'leakKb',
  'pool-size': 'poolSize',
  'pool-ms': 'poolMs',
  'pool-queue': 'poolQueue',
  'starting-ms': 'startingMs',
} as const satisfies Record<string, keyof DemoServerOptions>;

const FLAG_OF_OPTION: Record<string, string> = {
  ...Object.fromEntries(Object.entries(NUMERIC_FLAGS).map(([flag, option]) => [option, flag])),
  sseResponses: 'sse-responses',
  protocol: 'protocol',
  statsDir: 'stats-dir',
};

type Parsed = { help: true } | { help: false; options: DemoServerOptions } | { error: string };

function parseDemoServerArgs(argv: string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(NUMERIC_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        host: { type: 'string' },
        stdio: { type: 'boolean' },
        bottleneck: { type: 'string' },
        protocol: { type: 'string' },
        'sse-responses': { type: 'boolean' },
        'stats-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };

  const input: Record<string, unknown> = {
    host: values.host,
    stdio: values.stdio,
    bottleneck: values.bottleneck,
    protocol: values.protocol,
    sseResponses: values['sse-responses'],
    statsDir: values['stats-dir'] ?? (process.env.DEMO_STATS_DIR || undefined),
  };
  for (const [flag, option] of Object.entries(NUMERIC_FLAGS)) {
    const text = (values as Record<string, unknown>)[flag];
    if (typeof text !== 'string') continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      return { error: `--${flag}: expected a number, got "${text}"` };
    input[option] = value;
  }
  const result = DemoServerOptionsSchema.safeParse(input);
  if (result.success) return { help: false, options: result.data };
  const issue = result.error.issues[0];
  const option = String(issue?.path[0] ?? '');
  const flag = FLAG_OF_OPTION[option] ?? option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return { error: `--${flag}: ${issue?.message ?? 'invalid value'}` };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): { promise: Promise<void>; signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const promise = new Promise<void>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve()),
  );
  return {
    promise,
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/** `mcp-load-explorer demo-server …`: runs until SIGINT/SIGTERM (or stdin closes); returns the exit code. */
export async function runDemoServerCommand(argv: string[]): Promise<number> {
  const parsed = parseDemoServerArgs(argv);
  if ('error' in parsed) {
    console.error(`demo-server: ${parsed.error}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(DEMO_SERVER_USAGE);
    return 0;
  }
  const { options } = parsed;
  const stop = untilSignal();
  try {
    if (options.stdio) {
      // stdout is the protocol: everything human goes to stderr.
      console.error(`demo-server on stdio (pid ${process.pid}, bottleneck: ${describeCapacity(options)})`);
      await runDemoStdioServer(options, { signal: stop.signal });
      return 0;
    }
    let server;
    try {
      server = await startDemoHttpServer(options);
    } catch (error) {
      if (!(error instanceof DemoListenError)) throw error;
      console.error(`demo-server: ${error.message}`);
      return 2;
    }
    console.log(
      `demo-server listening on ${server.url} (protocol ${options.protocol}; bottleneck: ${describeCapacity(options)})`,
    );
    await stop.promise;
    await server.close();
    return 0;
  } finally {
    stop.dispose();
  }
}
