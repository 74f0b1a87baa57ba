import { parentPort, workerData } from 'node:worker_threads';
import { SessionPool } from './session-pool.js';
import { encodeReport, type FromWorker, type ToWorker, type WorkerData } from './shard.js';

const data = workerData as WorkerData;
const pool = new SessionPool(data.target, data.workload);
const port = parentPort!;

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'workload':
      pool.setWorkload(message.workload);
      break;
    case 'collect':
      port.postMessage({
        type: 'report',
        id: message.id,
        report: encodeReport(pool.report()),
      } satisfies FromWorker);
      break;
    case 'stop':
      void pool.stop(message.timeoutMs).then(() => {
        port.postMessage({
          type: 'report',
          id: message.id,
          report: encodeReport(pool.report()),
        } satisfies FromWorker);
      });
      break;
  }
});
