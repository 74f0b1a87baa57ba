import { useRef } from 'react';
import type { EngineSnapshot } from '../engine/snapshot.js';

/** Error kinds whose count grew within the last `windowMs` of run time (no timers: snapshot time). */
export function useFreshErrors(snapshot: EngineSnapshot, windowMs = 5000): ReadonlySet<string> {
  const seen = useRef(new Map<string, { count: number; changedAt: number }>());
  const fresh = new Set<string>();
  for (const [kind, { count }] of Object.entries(snapshot.errorsByKind)) {
    const previous = seen.current.get(kind);
    if (!previous || previous.count !== count)
      seen.current.set(kind, { count, changedAt: snapshot.elapsedMs });
    const changedAt = seen.current.get(kind)!.changedAt;
    if (snapshot.elapsedMs - changedAt < windowMs) fresh.add(kind);
  }
  return fresh;
}
