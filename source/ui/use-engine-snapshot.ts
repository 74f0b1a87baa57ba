import { useSyncExternalStore } from 'react';
import type { EngineSnapshot } from '../engine/snapshot.js';
import type { EnginePort } from './engine-port.js';

/** The engine's latest immutable snapshot; re-renders only when the engine publishes. */
export function useEngineSnapshot(engine: Pick<EnginePort, 'subscribe' | 'getSnapshot'>): EngineSnapshot {
  return useSyncExternalStore(engine.subscribe, engine.getSnapshot, engine.getSnapshot);
}
