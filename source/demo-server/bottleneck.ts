import { setTimeout as delay } from 'node:timers/promises';
import { burnCpu, spinFor } from './busy-work.js';
import { ConnectionPool } from './connection-pool.js';
import type { DemoServerOptions } from './options.js';

/** One call of the `work` tool as its bottleneck sees it. */
export interface WorkCall {
  readonly sessionId: string;
  readonly nonce: string | undefined;
  readonly signal?: AbortSignal;
}

/** Pays the bottleneck's cost for one call and returns the nonce the server believes it got. */
export type WorkHandler = (call: WorkCall) => Promise<string | null>;

/** Never cleared, not even when a session closes: that is the `memory` bottleneck. */
const retainedBySession = new Map<string, Buffer[]>();

/** Shared by every session of the process: that is the `state-leak` bottleneck. */
let lastNonce: string | null = null;

const STATE_LEAK_AWAIT_MS = 20;

/** The `work` handler of one server; stateful parts (pool, block counter) are shared by its sessions. */
export function createWorkHandler(options: DemoServerOptions): WorkHandler {
  const fast = (signal?: AbortSignal) => delay(options.fastMs, undefined, { signal });
  switch (options.bottleneck) {
    case 'none':
      return async ({ nonce, signal }) => {
        await fast(signal);
        return nonce ?? null;
      };
    case 'cpu':
      return async ({ nonce, signal }) => {
        await burnCpu(options.cpuMs, signal);
        return nonce ?? null;
      };
    case 'event-loop': {
      let calls = 0;
      return async ({ nonce, signal }) => {
        await fast(signal);
        calls += 1;
        if (calls % options.blockEvery === 0) spinFor(options.blockMs);
        return nonce ?? null;
      };
    }
    case 'memory':
      return async ({ sessionId, nonce, signal }) => {
        // Filled, not just allocated, so the pages really count in RSS.
        const block = Buffer.allocUnsafe(options.leakKb * 1024).fill(retainedBySession.size % 251);
        const retained = retainedBySession.get(sessionId);
        if (retained) retained.push(block);
        else retainedBySession.set(sessionId, [block]);
        await fast(signal);
        return nonce ?? null;
      };
    case 'pool': {
      const pool = new ConnectionPool(options.poolSize, options.poolQueue);
      return async ({ nonce, signal }) => {
        await pool.use(() => delay(options.poolMs, undefined, { signal }), signal);
        return nonce ?? null;
      };
    }
    case 'state-leak':
      return async ({ nonce, signal }) => {
        lastNonce = nonce ?? null;
        await delay(STATE_LEAK_AWAIT_MS, undefined, { signal });
        return lastNonce;
      };
  }
}
