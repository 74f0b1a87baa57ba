import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Polls until `check` passes: some closes reach the server a moment after the client returns. */
export async function eventually(check: () => Promise<void>, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await delay(25);
    }
  }
}

export const textOf = (result: unknown): string => {
  const [first] = (result as CallToolResult).content;
  assert.equal(first?.type, 'text');
  return first.text;
};
