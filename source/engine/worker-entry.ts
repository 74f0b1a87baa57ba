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
/**
 * Session ids opened and released, gathered for SESSION_CHANGES_MS (and before every report): the controller
 * ends them if we crash. Sent once per turn of the loop, these messages took 9% of a churning worker's CPU.
 */
const SESSION_CHANGES_MS = 20;
let changes: SessionChange[] = [];
let changesTimer: NodeJS.Timeout | null = null;
const sendChanges = (): void => {
  if (changesTimer) clearTimeout(changesTimer);
  changesTimer = null;
  if (changes.length === 0) return;
  port.postMessage({ type: 'sessions', changes } satisfies FromWorker);
  changes = [];
};
const pool = new SessionPool(data.target, data.workload, (session, open) => {
  if (changes.push({ ...session, open }) === 1) changesTimer = setTimeout(sendChanges, SESSION_CHANGES_MS);
});
if (data.crashAfterMs !== undefined) {
  setTimeout(() => {
    throw new Error('test-only crash');
  }, data.crashAfterMs);
}

/** Answers a request with what the pool measured since the last report. */
function reply(id: number): void {
  sendChanges();
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
