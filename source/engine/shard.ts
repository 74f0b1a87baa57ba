import { Worker } from 'node:worker_threads';
import {
  decodeInterval,
  encodeInterval,
  IntervalRecorder,
  type EncodedInterval,
} from '../metrics/recorder.js';
import { createInterface } from 'node:readline';
import type { SessionRef } from '../mcp-client/end-sessions.js';
import type { Target } from '../mcp-client/target.js';
import { SessionPool, type ShardReport } from './session-pool.js';
import type { ShardWorkload } from './shard-workload.js';

/** A slice of the sessions: in-process for small runs and tests, or in its own worker thread. */
export interface Shard {
  setWorkload(workload: ShardWorkload): void;
  /** Collects what the shard measured since the last call. */
  collect(): Promise<ShardReport>;
  /** Closes every session (bounded by `timeoutMs`) and returns the last measurements. */
  stop(timeoutMs: number): Promise<ShardReport>;
  /** While stopping: end sessions with a call in flight now instead of waiting for the call. */
  hurry(): void;
  /** A crashed worker's sessions still open on the server, as far as it told the controller. */
  orphans?(): SessionRef[];
}

export class InProcessShard implements Shard {
  private readonly pool: SessionPool;
  constructor(target: Target, workload: ShardWorkload) {
    this.pool = new SessionPool(target, workload);
  }
  setWorkload(workload: ShardWorkload): void {
    this.pool.setWorkload(workload);
  }
  collect(): Promise<ShardReport> {
    return Promise.resolve(this.pool.report());
  }
  async stop(timeoutMs: number): Promise<ShardReport> {
    await this.pool.stop(timeoutMs);
    return this.pool.report();
  }
  hurry(): void {
    this.pool.hurry();
  }
}

/** Messages from the controller to a worker. */
export type ToWorker =
  | { readonly type: 'workload'; readonly workload: ShardWorkload }
  | { readonly type: 'collect'; readonly id: number }
  | { readonly type: 'stop'; readonly id: number; readonly timeoutMs: number }
  | { readonly type: 'hurry' };

/** A session opened (`open`) or released in a worker. */
export interface SessionChange extends SessionRef {
  readonly open: boolean;
}

/** Messages from a worker to the controller. */
export type FromWorker =
  | { readonly type: 'report'; readonly id: number; readonly report: EncodedReport }
  | { readonly type: 'stopped'; readonly id: number }
  | { readonly type: 'sessions'; readonly changes: readonly SessionChange[] };

type Answer = Exclude<FromWorker, { type: 'sessions' }>;

export interface EncodedReport extends Omit<ShardReport, 'interval'> {
  readonly interval: EncodedInterval;
}

export function encodeReport(report: ShardReport): EncodedReport {
  return { ...report, interval: encodeInterval(report.interval) };
}

export interface WorkerData {
  readonly target: Target;
  readonly workload: ShardWorkload;
  /** Test only: the worker throws after this many ms (see `TEST_WORKER_CRASH_ENV`). */
  readonly crashAfterMs?: number;
}

/** Test only: makes the first worker crash after this many ms, to test that a replacement takes over. */
export const TEST_WORKER_CRASH_ENV = 'MCP_LOAD_EXPLORER_TEST_WORKER_CRASH_MS';

const fromSource = import.meta.url.endsWith('.ts');
// Beside this file in source/engine/; built, the worker's bundle sits beside the chunk holding this code.
const workerUrl = new URL(`./worker-entry.${fromSource ? 'ts' : 'js'}`, import.meta.url);

/** Built code runs the worker file itself; under tsx (tests) the worker registers tsx first. */
function startWorker(workerData: WorkerData): Worker {
  const options = { workerData, stdout: true, stderr: true } as const;
  if (!fromSource) return new Worker(workerUrl, options);
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** A shard in a worker thread: sessions there record into their own histograms. */
export class WorkerShard implements Shard {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, (message: Answer) => void>();
  /** The worker's open sessions by id, with their protocol version. */
  private readonly sessions = new Map<string, string | undefined>();
  private failure: Error | null = null;
  private stopping = false;
  private lastGauges: ShardReport['gauges'];

  constructor(
    target: Target,
    workload: ShardWorkload,
    onCrash: (error: Error) => void,
    onLog: (line: string) => void,
    crashAfterMs?: number,
  ) {
    const data: WorkerData = { target, workload, crashAfterMs };
    this.lastGauges = { target: workload.concurrency, active: 0, connecting: 0, closing: 0, inflight: 0 };
    this.worker = startWorker(data);
    // Nothing a worker prints may reach the terminal: it goes to the event log.
    createInterface({ input: this.worker.stdout }).on('line', onLog);
    createInterface({ input: this.worker.stderr }).on('line', onLog);
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'sessions') return this.track(message.changes);
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
    this.worker.on('error', (error) => {
      this.failure = error;
      onCrash(error);
      this.settleAll();
    });
    this.worker.on('exit', (code) => {
      if (!this.stopping && !this.failure) {
        this.failure = new Error(`exited with code ${code}`);
        onCrash(this.failure);
      }
      this.settleAll();
    });
  }

  private track(changes: readonly SessionChange[]): void {
    for (const { id, protocolVersion, open } of changes) {
      if (open) this.sessions.set(id, protocolVersion);
      else this.sessions.delete(id);
    }
  }

  orphans(): SessionRef[] {
    return [...this.sessions].map(([id, protocolVersion]) => ({ id, protocolVersion }));
  }

  private settleAll(): void {
    for (const [id, settle] of this.pending) settle({ type: 'stopped', id });
    this.pending.clear();
  }

  private ask(build: (id: number) => ToWorker): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (this.failure) {
        resolve({ type: 'stopped', id });
        return;
      }
      this.pending.set(id, resolve);
      this.worker.postMessage(build(id));
    });
  }

  setWorkload(workload: ShardWorkload): void {
    if (!this.failure) this.worker.postMessage({ type: 'workload', workload } satisfies ToWorker);
  }

  hurry(): void {
    if (!this.failure) this.worker.postMessage({ type: 'hurry' } satisfies ToWorker);
  }

  collect(): Promise<ShardReport> {
    return this.ask((id) => ({ type: 'collect', id })).then((message) => this.decode(message));
  }

  private decode(message: Answer): ShardReport {
    if (message.type !== 'report') {
      return {
        interval: new IntervalRecorder().drain(),
        gauges: this.lastGauges,
        pids: [],
        eventLoopDelayP99Ms: 0,
      };
    }
    this.lastGauges = message.report.gauges;
    return { ...message.report, interval: decodeInterval(message.report.interval) };
  }

  async stop(timeoutMs: number): Promise<ShardReport> {
    this.stopping = true;
    // The worker bounds its own stop; this bounds a worker that no longer answers at all.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Answer>((resolve) => {
      timer = setTimeout(() => resolve({ type: 'stopped', id: -1 }), timeoutMs + 5000);
    });
    const message = await Promise.race([this.ask((id) => ({ type: 'stop', id, timeoutMs })), late]);
    clearTimeout(timer);
    await this.worker.terminate();
    return this.decode(message);
  }
}
