import type { Workload } from '../config/schema.js';
import { cycleOf } from './call-cycle.js';
import type { GeneratorFigures, LevelSummary } from './levels.js';
import { Level } from './levels.js';
import type { LevelOutcome } from './ceiling-search.js';
import type { ShardInterval } from '../metrics/recorder.js';
import type { ServerResources } from '../metrics/process-stats.js';

/**
 * The run's levels: the one being held keeps its histograms; ended ones live on as summaries, so memory
 * stays bounded however long the run.
 */
export class LevelBook {
  private current: Level | null = null;
  private readonly ended: LevelSummary[] = [];

  constructor(private readonly warmupMs: number) {}

  /** Ends the level being held (if any) and starts one at the workload's N or arrival rate. */
  begin(now: number, workload: Workload): void {
    this.end(now);
    const { concurrency, arrivalRate } = workload;
    const cycle = cycleOf(workload) ?? null;
    this.current = new Level(
      this.ended.length,
      concurrency,
      now,
      now + this.warmupMs,
      arrivalRate ?? null,
      cycle,
    );
  }

  /** The workload changed without a new level (think time, session length…): the level notes it. */
  noteWorkload(workload: Workload): void {
    this.current?.noteCycle(cycleOf(workload) ?? null);
  }

  end(now: number): void {
    const level = this.current;
    if (!level || level.endedAt !== null) return;
    level.endedAt = now;
    this.ended.push(level.summary(now, true));
  }

  add(interval: ShardInterval, now: number): void {
    this.current?.add(interval, now);
  }

  /** Sessions open now (arriving, held or closing): the open model's N is their mean. */
  addSessions(now: number, open: number): void {
    this.current?.addSessions(now, open);
  }

  addResources(
    now: number,
    server: ServerResources | null,
    generator: GeneratorFigures,
    windowP99Ms: number | null,
  ): void {
    this.current?.addResources(now, server, generator, windowP99Ms);
  }

  /** How the level being held is doing, for the step walk or the ceiling search. */
  outcome(): LevelOutcome {
    // Every second while a plan runs: only the tool-call P99, not the whole summary the snapshot makes.
    const level = this.current;
    return {
      p99Ms: level?.callP99Ms() ?? null,
      calls: level?.calls ?? 0,
      errors: level?.errors ?? 0,
      settled: !level?.stillMoving(),
    };
  }

  /** Ended levels and the one being held (last). */
  summaries(now: number): LevelSummary[] {
    const level = this.current;
    return level && level.endedAt === null ? [...this.ended, level.summary(now, false)] : [...this.ended];
  }
}
