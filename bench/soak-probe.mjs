// Loaded into the soak's CLI (and its worker threads) with `--import`: every 10 s, and after each major GC,
// one JSON line per thread with its V8 heap figures, appended to $SOAK_PROBE_FILE. The soak reads them to
// tell live heap (what survives a full GC) from heap sizing (V8 growing a space) from native memory.
import { appendFileSync } from 'node:fs';
import process from 'node:process';
import { setInterval } from 'node:timers';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { threadId } from 'node:worker_threads';

const file = process.env.SOAK_PROBE_FILE;
if (file) {
  const write = (line) =>
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), thread: threadId, ...line })}\n`);
  let scavenges = 0;
  const sample = () => {
    const heap = v8.getHeapStatistics();
    const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    write({
      heapUsed: heap.used_heap_size,
      heapTotal: heap.total_heap_size,
      youngSize: young?.space_size ?? 0,
      external: heap.external_memory ?? process.memoryUsage().external,
      scavenges,
    });
    scavenges = 0;
  };
  setInterval(sample, 10_000).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges += 1;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        write({ gc: 'major', heapUsed: v8.getHeapStatistics().used_heap_size });
      }
    }
  }).observe({ entryTypes: ['gc'] });
}
