import { parentPort, workerData } from 'node:worker_threads';
import { SessionPool } from './session-pool.js';
import { encodeReport, type FromWorker, type ToWorker, type WorkerData } from './shard.js';

const data = workerData as WorkerData;
const pool = new SessionPool(data.target, data.workload);
const port = parentPort!;
if (data.crashAfterMs !== undefined) {
  setTimeout(() => {
    throw new Error('test-only crash');
  }, data.crashAfterMs);
}

/** Answers a request with what the pool measured since the last report. */
function reply(id: number): void {
  port.postMessage({ type: 'report', id, report: encodeReport(pool.report()) } satisfies FromWorker);
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'workload':
      pool.setWorkload(message.workload);
      break;
    case 'collect':
      reply(message.id);
      break;
    case 'stop':
      void pool.stop(message.timeoutMs).then(() => reply(message.id));
      break;
  }
});
