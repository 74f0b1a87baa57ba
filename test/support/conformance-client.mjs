// The CLI as a conformance-suite client: `conformance client --command "node THIS [--no-listen-stream]"`
// appends the scenario server's URL as the last argument and names the scenario in MCP_CONFORMANCE_SCENARIO.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const args = process.argv.slice(2);
const url = args.pop();
const mixes = {
  initialize: ['--mix', 'none:1'],
  tools_call: ['--mix', 'add_numbers:1', '--args', 'add_numbers={"a":1,"b":2}'],
  'sse-retry': ['--mix', 'test_reconnection:1'],
};
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const run = spawnSync(
  process.execPath,
  [
    cli,
    '--url',
    url,
    ...(mixes[scenario] ?? []),
    '-n',
    '1',
    '--duration',
    '2.5',
    '--warmup',
    '0',
    '--jitter',
    '0',
    '--think',
    '1000-1000',
    '--session-calls',
    '100-100',
    '--workers',
    '0',
    '--headless',
    ...args,
  ],
  { encoding: 'utf8' },
);
process.stdout.write(run.stdout ?? '');
process.stderr.write(run.stderr ?? '');
// The initialize scenario's server lists no tools: the CLI initializes, then rightly refuses to load it.
const noTools = scenario === 'initialize' && /tools on this server: \(none\)/.test(run.stderr ?? '');
process.exitCode = noTools ? 0 : (run.status ?? 1);
