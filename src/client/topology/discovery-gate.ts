/**
 * Holds commands back until the topology is first known (Sentinel mode: the client is usable as
 * soon as it is constructed, but no master address is known until the Sentinels answered).
 *
 * Invariants: at most `max` callers wait (beyond that OfflineQueueFullError, like a connection's
 * offline queue); each waits at most `waitMs` from when it asked, then rejects with SentinelError
 * carrying the last discovery failure; `open()` releases everyone and later callers pass
 * straight through (`wait()` returns null); `close(err)` rejects everyone still waiting.
 */

import { OfflineQueueFullError, SentinelError } from '../../errors.js';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class DiscoveryGate {
  private waiters: Waiter[] | null = [];
  private closedWith: Error | null = null;
  private lastFailure: Error | null = null;

  constructor(
    private readonly waitMs: number,
    private readonly max: number,
  ) {}

  get isOpen(): boolean {
    return this.waiters === null && this.closedWith === null;
  }

  /** Waiting callers (stats, tests). */
  get waiting(): number {
    return this.waiters?.length ?? 0;
  }

  /** null when commands may go now; otherwise a promise that settles when they may (or cannot). */
  wait(): Promise<void> | null {
    if (this.closedWith !== null) return Promise.reject(this.closedWith);
    const w = this.waiters;
    if (w === null) return null;
    if (w.length >= this.max) return Promise.reject(new OfflineQueueFullError(this.max));
    return new Promise<void>((resolve, reject) => {
      const x: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = w.indexOf(x);
          if (i !== -1) w.splice(i, 1);
          reject(this.timeoutError());
        }, this.waitMs),
      };
      w.push(x);
    });
  }

  /** Records why discovery has not succeeded yet (named in the timeout error). */
  failed(err: Error): void {
    this.lastFailure = err;
  }

  /** The topology is known: release every waiter. */
  open(): void {
    this.settle(null);
  }

  /** The client closed: reject every waiter and every later caller with `err`. */
  close(err: Error): void {
    this.closedWith = err;
    this.settle(err);
  }

  private settle(err: Error | null): void {
    const w = this.waiters ?? [];
    this.waiters = null;
    for (const x of w) {
      clearTimeout(x.timer);
      if (err === null) x.resolve();
      else x.reject(err);
    }
  }

  private timeoutError(): SentinelError {
    const why = this.lastFailure === null ? 'no Sentinel answered yet' : this.lastFailure.message;
    const master = this.lastFailure instanceof SentinelError ? this.lastFailure.master : null;
    return new SentinelError(`topology discovery through Sentinel did not finish within ${this.waitMs} ms (${why})`, master, {
      ...(this.lastFailure !== null ? { cause: this.lastFailure } : {}),
    });
  }
}
