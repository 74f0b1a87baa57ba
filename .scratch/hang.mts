import { startDemo } from '../test/support/servers.ts';
import { startFaultProxy } from '../test/support/fault-proxy.ts';
import { startCli, sleep, waitFor } from '../test/support/processes.ts';
const demo = await startDemo(['--bottleneck', 'none']);
const proxy = await startFaultProxy(demo.url);
const cli = startCli([
  '--url',
  proxy.url,
  '--mix',
  'fast:1',
  '--concurrency',
  '4',
  '--think',
  '100-200',
  '--timeout',
  '1000',
  '--jitter',
  '0',
  '--warmup',
  '0',
  '--headless',
]);
await waitFor(async () => (await demo.stats()).sessions.active === 4, 15000, '4');
proxy.mode = 'hang';
for (let t = 1; t <= 12; t++) {
  await sleep(1000);
  console.log(`t=${t} open=${proxy.sockets().open} peak=${proxy.sockets().peak}`);
}
cli.child.kill('SIGTERM');
const started = Date.now();
await cli.done;
console.log(`stopped in ${Date.now() - started} ms`);
await proxy.close();
await demo.stop();
