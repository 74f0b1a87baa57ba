// The validation grid of the knee (docs/findings.md): think time 0…20× the service time, pools of 1…64,
// one or two pools in series, fixed or exponential service, short and long holds, two kinds of walk.
import { saturationPoint, type Regime, type Station } from './queue-sim.js';

/** Levels at fixed shares of N* (the operator guessed the range), or doubling from 1 (`--find-ceiling`). */
function walkFor(saturation: number, kind: 'around' | 'doubling'): number[] {
  const levels =
    kind === 'around'
      ? [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5].map((share) => Math.max(1, Math.round(saturation * share)))
      : Array.from({ length: 16 }, (_, index) => 2 ** index).filter(
          (level, index, all) => index < 3 || all[index - 1]! < saturation * 2,
        );
  return [...new Set(levels)];
}

/** The tolerance the issue sets: ±15% of N*, or one level of the walk around N*, whichever is larger. */
export function tolerance(saturation: number, walk: readonly number[]): number {
  // The spacing of the levels on either side of N* (both gaps when N* is itself a level).
  const below = walk.filter((level) => level < saturation);
  const above = walk.filter((level) => level > saturation);
  const at = walk.includes(saturation) ? saturation : null;
  const previous = below[below.length - 1] ?? walk[0]!;
  const next = above[0] ?? walk[walk.length - 1]!;
  const step = at === null ? next - previous : Math.max(at - previous, next - at);
  return Math.max(saturation * 0.15, step);
}

export function kneeGrid(): Regime[] {
  const regimes: Regime[] = [];
  let seed = 1;
  for (const thinkRatio of [0, 1, 5, 20])
    for (const servers of [1, 4, 16, 64])
      for (const series of [1, 2])
        for (const service of ['fixed', 'exponential'] as const) {
          seed += 1;
          // Larger pools get longer service times so each level stays a few thousand simulated calls.
          const serviceMs = servers >= 16 ? 200 : servers === 4 ? 50 : 20;
          const stations: Station[] = [{ servers, serviceMs, service }];
          // A second pool that is nearly as busy as the first: the hard case for a single-queue model.
          if (series === 2)
            stations.push({ servers: Math.max(1, servers >> 1), serviceMs: serviceMs * 0.4, service });
          const thinkMs = thinkRatio * serviceMs;
          // Half the regimes get a short hold, balanced over every other axis (a parity design).
          const short = (thinkRatio + servers + series + (service === 'fixed' ? 1 : 0)) % 2 === 0;
          const kind = seed % 3 === 0 ? 'doubling' : 'around';
          const walk = walkFor(saturationPoint({ stations, thinkMs }), kind);
          regimes.push({
            name: `Z=${thinkRatio}S C=${servers}${series === 2 ? `+${stations[1]!.servers}` : ''} ${service} ${short ? 'short' : 'long'} ${kind}`,
            stations,
            thinkMs,
            walk,
            warmupMs: 1000,
            // A short hold: 2 s or twenty service times; a long one five times that.
            holdMs: Math.max(2000, serviceMs * 20) * (short ? 1 : 5),
            seed,
          });
        }
  return regimes;
}
