import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** RSS and cumulative CPU time of one process. */
export interface ProcessSample {
  readonly rssBytes: number;
  /** user + system CPU time consumed so far, ms. */
  readonly cpuMs: number;
}

const TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

function readProc(pid: number): ProcessSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { rssBytes: rssPages * PAGE_SIZE, cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

function readPs(pid: number): ProcessSample | null {
  try {
    const out = execFileSync('ps', ['-o', 'rss=,time=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const [rss, time] = out.split(/\s+/);
    const parts = (time ?? '0').split(/[-:]/).map(Number).reverse();
    const seconds = (parts[0] ?? 0) + (parts[1] ?? 0) * 60 + (parts[2] ?? 0) * 3600 + (parts[3] ?? 0) * 86400;
    return { rssBytes: Number(rss) * 1024, cpuMs: seconds * 1000 };
  } catch {
    return null;
  }
}

/** Reads a process's RSS and CPU time (Linux /proc, else `ps`); null when it is gone. */
export function sampleProcess(pid: number): ProcessSample | null {
  return process.platform === 'linux' ? readProc(pid) : readPs(pid);
}

/** A series the server exports, followed with `--server-metric`: its latest value and per-second trend. */
export interface ServerSeries {
  readonly value: number | null;
  readonly trend: readonly number[];
}

/** Server resources: RSS summed over its processes, CPU as % of one core since the last sample. */
export interface ServerResources {
  readonly rssBytes: number;
  readonly cpuPercent: number;
  /** Processes sampled, or replicas scraped (`--server-metrics`). */
  readonly processes: number;
  /** Where the figures come from: local processes, or the server's own metrics. @default 'process' */
  readonly source?: 'process' | 'metrics';
  /** The server's own event-loop delay p99, ms (Node servers exporting prom-client's defaults). */
  readonly eventLoopDelayP99Ms?: number | null;
  /** GC pause time per second of wall clock, ms (Node servers). */
  readonly gcMsPerS?: number | null;
  /** `--server-metric` series, by name. */
  readonly series?: Readonly<Record<string, ServerSeries>>;
}

/** Tracks CPU deltas of a changing set of processes (stdio servers come and go). */
export class ServerSampler {
  private last = new Map<number, number>();
  private lastAt = 0;

  sample(pids: readonly number[], now = Date.now()): ServerResources | null {
    if (pids.length === 0) return null;
    let rssBytes = 0;
    let cpuDeltaMs = 0;
    let processes = 0;
    const next = new Map<number, number>();
    for (const pid of new Set(pids)) {
      const sample = sampleProcess(pid);
      if (!sample) continue;
      processes += 1;
      rssBytes += sample.rssBytes;
      next.set(pid, sample.cpuMs);
      const previous = this.last.get(pid);
      if (previous !== undefined) cpuDeltaMs += sample.cpuMs - previous;
    }
    const elapsed = this.lastAt ? now - this.lastAt : 0;
    this.last = next;
    this.lastAt = now;
    if (processes === 0) return null;
    return { rssBytes, processes, cpuPercent: elapsed > 0 ? (100 * cpuDeltaMs) / elapsed : 0 };
  }
}
