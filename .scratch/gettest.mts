import { createSessionFactory } from '../source/target/open-session.ts';
import { execSync } from 'node:child_process';
const factory = createSessionFactory(
  { transport: 'streamable-http', url: 'http://127.0.0.1:39222/mcp', headers: {}, getStream: true } as never,
  { timeoutMs: () => 30000, onTransportError: (e) => console.log('transport error', e.message) },
);
const pre = createSessionFactory(
  { transport: 'streamable-http', url: 'http://127.0.0.1:39222/mcp', headers: {}, getStream: true } as never,
  { timeoutMs: () => 30000 },
);
const p = await pre.open();
await p.client.listTools();
await p.close();
await pre.destroy();
const sessions = [];
for (let i = 0; i < 5; i++) sessions.push(await factory.open());
for (const s of sessions)
  await s.client.callTool({ name: 'fast', arguments: {} }, undefined, { timeout: 30000 });
for (let t = 1; t <= 8; t++) {
  await new Promise((r) => setTimeout(r, 1000));
  const est = execSync("ss -tn state established '( dport = :39222 )' | tail -n +2 | wc -l")
    .toString()
    .trim();
  console.log(`t=${t} est=${est}`);
}
for (const s of sessions) await s.close();
await factory.destroy();
