// One side of `npm run bench -- connection-memory`, in a process of its own:
//   node bench/connection-memory-child.mjs serve
//     an HTTP server that answers every GET with an event stream it never ends; prints `listening on PORT`;
//   node --expose-gc bench/connection-memory-child.mjs undici|node-http PORT N
//     holds N such streams open, each on a connection of its own (an undici `Client`, or a node:http request
//     on an Agent of one socket), and prints one JSON line: RSS and heap per held connection.
import console from 'node:console';
import http from 'node:http';
import { createRequire } from 'node:module';
import process from 'node:process';

const [mode, portText, countText] = process.argv.slice(2);

if (mode === 'serve') {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': open\n\n');
  });
  server.keepAliveTimeout = 0;
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
} else {
  const port = Number(portText);
  const count = Number(countText);
  const { Client } = createRequire(import.meta.url)('undici');
  const origin = `http://127.0.0.1:${port}`;
  const held = [];
  const settle = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage();
  };
  const before = settle();
  await new Promise((resolve, reject) => {
    let started = 0;
    let open = 0;
    const opened = () => (++open === count ? resolve() : next());
    const next = () => {
      if (started >= count) return;
      started += 1;
      if (mode === 'undici') {
        const client = new Client(origin, { bodyTimeout: 0, headersTimeout: 0, pipelining: 1 });
        client.dispatch(
          { origin, path: '/', method: 'GET', headers: { accept: 'text/event-stream' } },
          {
            onConnect() {},
            onHeaders: () => (opened(), true),
            onData: () => true,
            onComplete() {},
            onError: reject,
          },
        );
        held.push(client);
      } else {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        const request = http.request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
          res.on('data', () => undefined);
          opened();
        });
        request.on('error', reject);
        request.end();
        held.push(request);
      }
    };
    for (let index = 0; index < 20; index += 1) next();
  });
  const after = settle();
  const perConnection = (key) => (after[key] - before[key]) / count / 1024;
  console.log(
    JSON.stringify({ rssKb: perConnection('rss'), heapKb: perConnection('heapUsed'), held: held.length }),
  );
  process.exit(0);
}
