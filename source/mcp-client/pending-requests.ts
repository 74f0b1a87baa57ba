/** A request waiting for its answer: how to settle it, and its timeout. */
interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The requests a lean client (lean-client.ts, lean-modern-client.ts) is waiting on, by id: each settled
 * once, its timer cleared with it.
 */
export class PendingRequests {
  private readonly entries = new Map<number, Pending>();

  /** Takes `id` off the list; its entry, or undefined when it was already settled. */
  private settle(id: number): Pending | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    clearTimeout(entry.timer);
    return entry;
  }

  /** The entry an answer's id names (an id echoed as a string still finds its request, as in the SDK). */
  answered(id: unknown): Pending | undefined {
    return typeof id === 'number' || typeof id === 'string' ? this.settle(Number(id)) : undefined;
  }

  /**
   * Sends request `id` and waits for its answer, which `accept` reads (a throw rejects). Past `timeoutMs`
   * the request is taken off the list and fails with `timedOut()` (which may also tell the server); a
   * failed send fails it at once.
   */
  wait<T>(
    id: number,
    timeoutMs: number,
    send: () => Promise<void>,
    timedOut: () => Error,
    accept: (result: unknown) => T,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.settle(id)) reject(timedOut());
      }, timeoutMs);
      this.entries.set(id, {
        timer,
        reject,
        resolve: (result) => {
          try {
            resolve(accept(result));
          } catch (error) {
            reject(asError(error));
          }
        },
      });
      send().catch((error: unknown) => {
        if (this.settle(id)) reject(asError(error));
      });
    });
  }

  /** Fails every request still waiting; `error` is made only when one is (an error costs its stack trace). */
  failAll(error: () => Error): void {
    if (this.entries.size === 0) return;
    const reason = error();
    for (const id of [...this.entries.keys()]) this.settle(id)?.reject(reason);
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
