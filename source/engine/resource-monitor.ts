import { LoopDelay } from '../metrics/loop-delay.js';
import { ServerSampler, type ServerResources } from '../metrics/process-stats.js';
import { appendHistory, emptyHistory, type History } from './history.js';
import type { GeneratorFigures } from './levels.js';

/** The generator's RSS; Node reads it from /proc, which fails when every file descriptor is taken. */
function ownRss(previous: number): number {
  try {
    return process.memoryUsage.rss();
  } catch {
    return previous;
  }
}

/** The server's own figures from elsewhere (its metrics endpoint), read once a second. */
export interface RemoteServerFigures {
  latest(): ServerResources | null;
}

/**
 * Local process figures win for RSS and CPU (they are exact and of this instant); the server's own metrics
 * add what a process table does not show: its event-loop delay, GC and followed series.
 */
function mergeServer(local: ServerResources | null, remote: ServerResources | null): ServerResources | null {
  if (!local || !remote) return local ?? remote;
  return {
    ...remote,
    rssBytes: local.rssBytes,
    cpuPercent: local.cpuPercent,
    processes: local.processes,
    source: 'process',
  };
}

/** Once a second: the generator's CPU, RSS and event-loop delay, the server's RSS and CPU, and their trends. */
export class ResourceMonitor {
  private readonly sampler = new ServerSampler();
  private readonly loopDelay = new LoopDelay();
  private lastCpu = process.cpuUsage();
  private lastAt = Date.now();
  server: ServerResources | null = null;
  generator: GeneratorFigures = { cpuPercent: 0, rssBytes: 0, eventLoopDelayP99Ms: 0 };
  history: History = emptyHistory;

  constructor(private readonly remote: RemoteServerFigures | null = null) {}

  start(): void {
    this.loopDelay.enable();
  }

  stop(): void {
    this.loopDelay.disable();
  }

  due(now: number): boolean {
    return now - this.lastAt >= 1000;
  }

  sample(
    now: number,
    input: {
      readonly pids: readonly number[];
      readonly shardLoopDelayP99Ms: number;
      readonly p99Ms: number | null;
      readonly throughput: number;
    },
  ): void {
    const cpu = process.cpuUsage();
    const wall = now - this.lastAt;
    const cpuMicros = cpu.user - this.lastCpu.user + cpu.system - this.lastCpu.system;
    this.lastCpu = cpu;
    this.lastAt = now;
    const mainDelay = this.loopDelay.takeP99Ms();
    this.generator = {
      cpuPercent: wall > 0 ? Math.round((cpuMicros / 10 / wall) * 10) / 10 : 0,
      rssBytes: ownRss(this.generator.rssBytes),
      eventLoopDelayP99Ms: Math.round(Math.max(mainDelay, input.shardLoopDelayP99Ms) * 100) / 100,
    };
    this.server = mergeServer(this.sampler.sample(input.pids, now), this.remote?.latest() ?? null);
    this.history = appendHistory(this.history, {
      p99Ms: input.p99Ms,
      throughput: input.throughput,
      serverRssBytes: this.server?.rssBytes ?? null,
      serverCpuPercent: this.server?.cpuPercent ?? null,
      serverEventLoopDelayMs: this.server?.eventLoopDelayP99Ms ?? null,
      generatorCpuPercent: this.generator.cpuPercent,
      generatorRssBytes: this.generator.rssBytes,
      eventLoopDelayMs: this.generator.eventLoopDelayP99Ms,
    });
  }
}
