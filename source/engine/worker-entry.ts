import { parentPort, workerData } from 'node:worker_threads';
import { SessionPool } from './session-pool.js';
import {
  encodeReport,
  type FromWorker,
  type SessionChange,
  type ToWorker,
  type WorkerData,
} from './shard.js';

const data = workerData as WorkerData;
const port = parentPort!;
/** Session ids opened and released, sent once per turn of the loop: the controller ends them if we crash. */
let changes: SessionChange[] = [];
const sendChanges = (): void => {
  port.postMessage({ type: 'sessions', changes } satisfies FromWorker);
  changes = [];
};
const pool = new SessionPool(data.target, data.workload, (session, open) => {
  if (changes.push({ ...session, open }) === 1) setImmediate(sendChanges);
});
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
    case 'hurry':
      pool.hurry();
      break;
    case 'stop':
      void pool.stop(message.timeoutMs).then(() => reply(message.id));
      break;
  }
});
