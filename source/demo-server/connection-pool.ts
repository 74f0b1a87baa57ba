/** Thrown when every connection is busy and the wait queue is full. */
export class PoolFullError extends Error {
  constructor(size: number, queueLimit: number) {
    super(`connection pool full (C=${size}, queue=${queueLimit})`);
    this.name = 'PoolFullError';
  }
}

interface Waiter {
  readonly grant: () => void;
  readonly abandon: () => void;
}

/** A bounded pool of `size` connections with a FIFO wait queue of at most `queueLimit` callers. */
export class ConnectionPool {
  private free: number;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly size: number,
    readonly queueLimit: number,
  ) {
    this.free = size;
  }

  /** Runs `task` while holding one connection, waiting in line for it if all are busy. */
  async use<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    if (this.waiters.length >= this.queueLimit) {
      return Promise.reject(new PoolFullError(this.size, this.queueLimit));
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => waiter.abandon();
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        abandon: () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Hands the connection straight to the longest waiter, so the queue stays FIFO. */
  private release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.free += 1;
  }
}
