import {
  addHistogram,
  createHistogram,
  percentilesOf,
  type LatencyHistogram,
  type Percentiles,
} from './histogram.js';
import type { ShardInterval } from './recorder.js';
import { addInto, percentilesOrNull } from './schedule-lag.js';
import { addTools, type ToolTotals } from './tool-totals.js';

interface Slot {
  readonly second: number;
  readonly call: LatencyHistogram;
  /** Open model: corrected latency and schedule lag, made on first need. */
  corrected: LatencyHistogram | null;
  scheduleLag: LatencyHistogram | null;
  readonly initialize: LatencyHistogram;
  readonly tools: ToolTotals;
  /** Calls by the revision of the client that made them (with a protocol mix). */
  readonly protocols: ToolTotals;
  calls: number;
  errors: number;
}

function subtractTools(target: ToolTotals, tools: ToolTotals): void {
  for (const [name, tool] of tools) {
    const entry = target.get(name);
    if (!entry) continue;
    entry.latency.subtract(tool.latency);
    entry.calls -= tool.calls;
    entry.errors -= tool.errors;
  }
}

function toolFigures(tools: ToolTotals, span: number): ToolWindow[] {
  return [...tools]
    .filter(([, tool]) => tool.calls > 0)
    .map(([name, tool]) => ({
      name,
      calls: tool.calls,
      errors: tool.errors,
      throughput: tool.calls / span,
      latencyMs: percentilesOf(tool.latency),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Live figures over the last few seconds of one tool. */
export interface ToolWindow {
  readonly name: string;
  readonly calls: number;
  readonly errors: number;
  readonly throughput: number;
  readonly latencyMs: Percentiles | null;
}

/** The rolling window's figures. */
export interface WindowFigures {
  readonly seconds: number;
  readonly calls: number;
  readonly errors: number;
  /** Calls per second over the window. */
  readonly throughput: number;
  /** Tool-call latency from each call's actual start (uncorrected). */
  readonly latencyMs: Percentiles | null;
  /** Open model: tool-call latency from each call's intended start (absent in older recordings). */
  readonly latencyCorrectedMs?: Percentiles | null;
  /** Open model: how late arrivals started against their schedule (absent in older recordings). */
  readonly scheduleLagMs?: Percentiles | null;
  readonly initializeMs: Percentiles | null;
  readonly tools: readonly ToolWindow[];
  /** A row per MCP revision with a protocol mix (absent in older recordings). */
  readonly protocols?: readonly ToolWindow[];
}

/**
 * Sums one-second slots over the last `seconds`. The total is kept incrementally: a new interval is
 * added, an expired slot subtracted, so reading the window costs no merge.
 */
export class RollingWindow {
  private readonly slots: Slot[] = [];
  private readonly total: Omit<Slot, 'second'> = {
    call: createHistogram(),
    corrected: null,
    scheduleLag: null,
    initialize: createHistogram(),
    tools: new Map(),
    protocols: new Map(),
    calls: 0,
    errors: 0,
  };
  private readonly startedAt: number;

  constructor(
    private seconds: number,
    now = Date.now(),
  ) {
    this.startedAt = now;
  }

  add(interval: ShardInterval, now = Date.now()): void {
    const second = Math.floor(now / 1000);
    let slot = this.slots[this.slots.length - 1];
    if (!slot || slot.second !== second) {
      slot = {
        second,
        call: createHistogram(),
        corrected: null,
        scheduleLag: null,
        initialize: createHistogram(),
        tools: new Map(),
        protocols: new Map(),
        calls: 0,
        errors: 0,
      };
      this.slots.push(slot);
    }
    for (const target of [slot, this.total]) {
      addHistogram(target.call, interval.call);
      target.corrected = addInto(target.corrected, interval.corrected);
      target.scheduleLag = addInto(target.scheduleLag, interval.scheduleLag);
      addHistogram(target.initialize, interval.initialize);
      target.calls += interval.calls;
      target.errors += interval.errors;
      addTools(target.tools, interval.tools);
      addTools(target.protocols, interval.protocols);
    }
    this.expire(now);
  }

  private expire(now: number): void {
    const oldest = Math.floor(now / 1000) - this.seconds;
    while (this.slots.length > 0 && this.slots[0]!.second <= oldest) {
      const slot = this.slots.shift()!;
      this.total.call.subtract(slot.call);
      if (slot.corrected) this.total.corrected?.subtract(slot.corrected);
      if (slot.scheduleLag) this.total.scheduleLag?.subtract(slot.scheduleLag);
      this.total.initialize.subtract(slot.initialize);
      this.total.calls -= slot.calls;
      this.total.errors -= slot.errors;
      subtractTools(this.total.tools, slot.tools);
      subtractTools(this.total.protocols, slot.protocols);
      for (const histogram of [
        slot.call,
        ...(slot.corrected ? [slot.corrected] : []),
        ...(slot.scheduleLag ? [slot.scheduleLag] : []),
        slot.initialize,
        ...[...slot.tools.values(), ...slot.protocols.values()].map((t) => t.latency),
      ]) {
        histogram.destroy();
      }
    }
  }

  figures(now = Date.now()): WindowFigures {
    this.expire(now);
    const span = Math.max(0.25, Math.min(this.seconds, (now - this.startedAt) / 1000));
    return {
      seconds: this.seconds,
      calls: this.total.calls,
      errors: this.total.errors,
      throughput: this.total.calls / span,
      latencyMs: percentilesOf(this.total.call),
      latencyCorrectedMs: percentilesOrNull(this.total.corrected),
      scheduleLagMs: percentilesOrNull(this.total.scheduleLag),
      initializeMs: percentilesOf(this.total.initialize),
      tools: toolFigures(this.total.tools, span),
      protocols: toolFigures(this.total.protocols, span),
    };
  }
}
