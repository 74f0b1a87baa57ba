// A seeded discrete-event simulation of a closed system: N sessions that think, then call a server made of
// one or two FIFO pools in series. It walks levels as the tool does (sessions added at each level, a warm-up,
// then a measured hold) and returns what the tool would measure: per-level calls, throughput, mean and P99.
import type { CapacityPoint } from '../../source/analysis/capacity.js';

/** One FIFO pool of `servers` workers. */
export interface Station {
  readonly servers: number;
  readonly serviceMs: number;
  readonly service: 'fixed' | 'exponential';
}

export interface Regime {
  readonly name: string;
  readonly stations: readonly Station[];
  /** Mean think time; each think is uniform in [0.5·Z, 1.5·Z]. */
  readonly thinkMs: number;
  readonly walk: readonly number[];
  readonly warmupMs: number;
  readonly holdMs: number;
  readonly seed: number;
}

/** N* = (D + Z) / D_max: where the bottleneck's asymptote meets the no-queueing line. */
export function saturationPoint(regime: Pick<Regime, 'stations' | 'thinkMs'>): number {
  const demand = regime.stations.reduce((sum, station) => sum + station.serviceMs, 0);
  const bottleneck = Math.max(...regime.stations.map((station) => station.serviceMs / station.servers));
  return (demand + regime.thinkMs) / bottleneck;
}

/** A seeded uniform generator (mulberry32): the same sequence on every run. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A binary min-heap of events keyed by time (ties by insertion order, for determinism). */
class EventQueue {
  private readonly times: number[] = [];
  private readonly order: number[] = [];
  private readonly payloads: number[] = [];
  private next = 0;
  get size(): number {
    return this.times.length;
  }
  private less(a: number, b: number): boolean {
    return (
      this.times[a]! < this.times[b]! || (this.times[a] === this.times[b] && this.order[a]! < this.order[b]!)
    );
  }
  private swap(a: number, b: number): void {
    for (const array of [this.times, this.order, this.payloads])
      [array[a], array[b]] = [array[b]!, array[a]!];
  }
  push(time: number, payload: number): void {
    this.times.push(time);
    this.order.push(this.next++);
    this.payloads.push(payload);
    let index = this.times.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }
  peekTime(): number {
    return this.times[0]!;
  }
  pop(): number {
    const payload = this.payloads[0]!;
    const last = this.times.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.order.pop();
    this.payloads.pop();
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.times.length && this.less(left, smallest)) smallest = left;
      if (right < this.times.length && this.less(right, smallest)) smallest = right;
      if (smallest === index) break;
      this.swap(index, smallest);
      index = smallest;
    }
    return payload;
  }
}

// Payload encoding: session · 4 + what happened (0: think ended, 1 + k: service at station k ended).
const THINK_ENDED = 0;

/** Simulates the walk and returns one point per level, as `capacityPoints` would make from real levels. */
export function simulateWalk(regime: Regime): CapacityPoint[] {
  const random = mulberry32(regime.seed);
  const draw = (station: Station): number =>
    station.service === 'fixed' ? station.serviceMs : -Math.log(1 - random()) * station.serviceMs;
  const think = (): number => regime.thinkMs * (0.5 + random());
  const events = new EventQueue();
  const busy = regime.stations.map(() => 0);
  const queues: number[][] = regime.stations.map(() => []);
  const heads = regime.stations.map(() => 0);
  const callStart: number[] = [];
  let now = 0;
  let recording = false;
  let latencies: number[] = [];

  const enter = (session: number, k: number): void => {
    const station = regime.stations[k]!;
    if (busy[k]! < station.servers) {
      busy[k]! += 1;
      events.push(now + draw(station), session * 4 + 1 + k);
    } else queues[k]!.push(session);
  };
  const handle = (payload: number): void => {
    const session = Math.floor(payload / 4);
    const kind = payload % 4;
    if (kind === THINK_ENDED) {
      callStart[session] = now;
      enter(session, 0);
      return;
    }
    const k = kind - 1;
    const queue = queues[k]!;
    if (heads[k]! < queue.length) {
      const waiting = queue[heads[k]!]!;
      heads[k]! += 1;
      if (heads[k]! > 1024 && heads[k]! * 2 > queue.length) {
        queue.splice(0, heads[k]);
        heads[k] = 0;
      }
      events.push(now + draw(regime.stations[k]!), waiting * 4 + 1 + k);
    } else busy[k]! -= 1;
    if (k + 1 < regime.stations.length) return enter(session, k + 1);
    if (recording) latencies.push(now - callStart[session]!);
    events.push(now + think(), session * 4 + THINK_ENDED);
  };
  const runUntil = (end: number): void => {
    while (events.size > 0 && events.peekTime() <= end) {
      now = events.peekTime();
      handle(events.pop());
    }
    now = end;
  };

  const points: CapacityPoint[] = [];
  let sessions = 0;
  for (const concurrency of regime.walk) {
    // New sessions start with a think (or at once without think time), spread over one think as ramps do.
    for (; sessions < concurrency; sessions += 1) {
      callStart.push(0);
      events.push(now + (regime.thinkMs > 0 ? random() * regime.thinkMs : 0), sessions * 4 + THINK_ENDED);
    }
    runUntil(now + regime.warmupMs);
    recording = true;
    latencies = [];
    runUntil(now + regime.holdMs);
    recording = false;
    const sorted = latencies.sort((a, b) => a - b);
    const calls = sorted.length;
    points.push({
      concurrency,
      calls,
      errors: 0,
      settled: true,
      enoughCalls: true,
      p99Ms: calls ? sorted[Math.min(calls - 1, Math.ceil(calls * 0.99) - 1)]! : 0,
      meanMs: calls ? sorted.reduce((sum, value) => sum + value, 0) / calls : 0,
      throughput: (calls * 1000) / regime.holdMs,
    });
  }
  return points;
}
