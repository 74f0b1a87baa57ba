import type { Workload } from '../config/schema.js';
import type { EngineConfig } from './engine-config.js';
import { endSessions, type SessionRef } from '../mcp-client/end-sessions.js';
import { serverTextOf, type Target } from '../mcp-client/target.js';
import type { ShardReport } from './session-pool.js';
import { InProcessShard, TEST_WORKER_CRASH_ENV, WorkerShard, type Shard } from './shard.js';
import type { LoadModel } from './load-model.js';
import { shareOf, type ShardWorkload } from './shard-workload.js';
import type { RunState } from './snapshot.js';

/** What the shards need from the controller: the live workload and run state, and where to report. */
export interface ShardSetHost {
  workload(): Workload;
  state(): RunState;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** A worker crashed and was replaced (for the operator's timeline). */
  onReplaced(index: number): void;
}

/**
 * The controller's worker threads (or one in-process shard): each holds its share of the sessions. A
 * worker that crashes is replaced by a new one that opens its share again.
 */
export class ShardSet {
  private readonly shards: Shard[] = [];

  constructor(
    private readonly config: EngineConfig,
    private readonly target: Target,
    private readonly host: ShardSetHost,
    private readonly model: LoadModel,
  ) {}

  /** Starts the shards idle (no sessions until the load begins). */
  start(): void {
    const count = Math.max(1, this.config.workers);
    const crashAfter = process.env[TEST_WORKER_CRASH_ENV];
    for (let index = 0; index < count; index += 1) {
      this.shards.push(this.create(index, count, index === 0 && crashAfter ? Number(crashAfter) : undefined));
    }
  }

  private create(index: number, count: number, crashAfterMs?: number): Shard {
    const workload = this.workloadOf(index, count);
    if (this.config.workers === 0) return new InProcessShard(this.target, workload);
    return new WorkerShard(
      this.target,
      workload,
      (error) => this.replace(index, error),
      (line) => this.host.log('warn', `worker ${index}: ${line}`),
      crashAfterMs,
    );
  }

  /** A crashed worker's sessions are gone with it: a new worker opens its share again. */
  private replace(index: number, error: Error): void {
    const state = this.host.state();
    if (state === 'stopping' || state === 'stopped') {
      this.host.log('error', `worker ${index} crashed while stopping: ${error.message}`);
      return;
    }
    const share = shareOf(this.host.workload().concurrency, index, this.shards.length);
    this.host.log(
      'error',
      `worker ${index} crashed: ${error.message}; a new worker takes over its ${share} sessions`,
    );
    const orphans = this.shards[index]?.orphans?.() ?? [];
    this.shards[index] = this.create(index, this.shards.length);
    this.host.onReplaced(index);
    if (orphans.length > 0) void this.endOrphans(index, orphans);
  }

  /** The crashed worker's transports died with it: its sessions are ended on the server from here. */
  private async endOrphans(index: number, orphans: SessionRef[]): Promise<void> {
    const { ended, failed, lastError } = await endSessions(
      this.target,
      orphans,
      this.host.workload().timeoutMs,
    );
    if (failed === 0) {
      this.host.log('info', `worker ${index}'s ${ended} sessions ended on the server (DELETE)`);
    } else {
      this.host.log(
        'warn',
        `worker ${index}'s sessions: ${ended} ended on the server, ${failed} could not be ` +
          `(${serverTextOf(this.target).clean(lastError ?? '')}); ` +
          'the server keeps those until its own session timeout',
      );
    }
  }

  /** One shard's share of the workload. */
  private workloadOf(index: number, count: number): ShardWorkload {
    const workload = this.host.workload();
    const state = this.host.state();
    const idle = state === 'starting' || state === 'waiting';
    return {
      ...workload,
      mix: workload.mix ?? [],
      // No sessions before the load begins: shards are created idle, then told their share.
      ...(idle ? this.model.idle : this.model.share(workload, index, count)),
      maxSessions: Math.max(1, shareOf(this.config.maxSessions, index, count)),
      paused: state === 'paused',
    };
  }

  /** Tells every shard its share of the current workload. */
  broadcast(): void {
    this.shards.forEach((shard, index) => shard.setWorkload(this.workloadOf(index, this.shards.length)));
  }

  collect(): Promise<ShardReport>[] {
    return this.shards.map((shard) => shard.collect());
  }

  stop(timeoutMs: number): Promise<ShardReport>[] {
    return this.shards.map((shard) => shard.stop(timeoutMs));
  }

  /** While stopping: sessions with a call in flight are ended now instead of after the call. */
  hurry(): void {
    for (const shard of this.shards) shard.hurry();
  }
}
