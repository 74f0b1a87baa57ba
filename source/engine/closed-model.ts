import type { LoadModel, PacerHost, ShardPacer } from './load-model.js';
import { shareOf, type ShardWorkload } from './shard-workload.js';
import type { UserState } from './virtual-user.js';

/** Retire idle users first, so that calls in flight finish where possible. */
const RETIRE_ORDER: readonly UserState[] = ['arriving', 'connecting', 'active', 'calling', 'closing'];

/** Holds the shard's share of N: starts users that are missing, retires the excess. */
class HeldUsers implements ShardPacer {
  private stopped = false;
  constructor(private readonly host: PacerHost) {}

  apply(workload: ShardWorkload): void {
    if (this.stopped) return;
    const living = this.host.living();
    const excess = living.length - workload.concurrency;
    if (excess > 0) {
      living.sort((a, b) => RETIRE_ORDER.indexOf(a.state) - RETIRE_ORDER.indexOf(b.state));
      for (const user of living.slice(0, excess)) user.retire();
    }
    for (let missing = -excess; missing > 0; missing -= 1) this.host.startUser(false);
  }

  /** N held: a session that ends is replaced by its user, not here. */
  released(): void {}

  stop(): void {
    this.stopped = true;
  }
}

/** The closed model: N users, each holding a session and calling with think time between calls. */
export const CLOSED_MODEL: LoadModel = {
  kind: 'closed',
  knob: 'concurrency',
  knobLabel: 'sessions (N)',
  level: (workload) => workload.concurrency,
  setting: (level) => ({ concurrency: level }),
  refusal: (change) =>
    change.arrivalRate === undefined
      ? null
      : 'arrival rates need the open model: restart with --arrival-rate R',
  nudge: (workload, delta) => ({ concurrency: Math.max(0, workload.concurrency + delta) }),
  label: (level) => `N=${level}`,
  describe: (level) => `N=${level}`,
  share: (workload, shard, shards) => ({ concurrency: shareOf(workload.concurrency, shard, shards) }),
  idle: { concurrency: 0 },
  levelN: (set) => set,
  pacer: (host) => new HeldUsers(host),
};
