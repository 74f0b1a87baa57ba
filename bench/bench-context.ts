import type { ChildRegistry } from './child-processes.js';
import type { ServerKind } from './demo-server.js';
import type { Figure } from './figures.js';

/** What every scenario gets from bench/run.ts. */
export interface BenchContext {
  /** Runs per measured side; figures are their medians. @default 3 */
  readonly runs: number;
  readonly registry: ChildRegistry;
  /** The server kinds the scenarios that take one run against (`--server`). @default ['lean', 'sdk'] */
  readonly servers: readonly ServerKind[];
  /** Reports and pid files of this bench run; removed at the end. */
  readonly tmpDir: string;
  /** The command that measures one scenario again, e.g. `npm run bench -- fidelity` (`--server sdk`). */
  reproduce(scenario: string, server?: ServerKind): string;
  /** Prints a figure line on stdout. */
  figure(figure: Figure): void;
  /** Prints something that makes a figure doubtful on stdout. */
  warn(message: string): void;
  /** Progress on stderr, so that stdout holds only the header, figures and warnings. */
  progress(message: string): void;
  /** Runs one measurement; a failure becomes a warning and null, so that the other runs still count. */
  attempt<T>(measurement: () => Promise<T>): Promise<T | null>;
}

/** A named set of figures. */
export type Scenario = (context: BenchContext) => Promise<void>;
