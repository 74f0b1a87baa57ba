import { createRequire } from 'node:module';
import type * as Real from 'eventsource';

const requireHere = createRequire(import.meta.url);

/**
 * `eventsource` as the bundle sees it (scripts/build.mjs resolves the package here): the real class is
 * required when an SSE transport first makes one. The SDK clients import it at the top of modules every
 * run loads (the 2.x client's index), though only the legacy SSE transport uses it.
 */
export class EventSource {
  constructor(...args: ConstructorParameters<typeof Real.EventSource>) {
    const { EventSource: Loaded } = requireHere('eventsource') as typeof Real;
    return new Loaded(...args);
  }
}
