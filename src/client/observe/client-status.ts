/**
 * The client's `status` and its once-only lifecycle: 'ready' when every shard's master has
 * connected once, and what `RingClient.connect()` waits for.
 *
 *   'connecting'  not every master has connected yet, none is known down
 *   'ready'       every master has connected once, none is down or ejected now
 *   'degraded'    some shard is down (its commands are refused or answered as misses) or ejected
 *   'closing'     close() was called; 'closed' once it finished ('end')
 *
 * Fed by assemble.ts from the master pools' connection events and shard health's events; knows
 * nothing of pools itself.
 */

import { ClientClosedError, ConnectTimeoutError, ReconnectStoppedError } from '../../errors.js';

/**
 * `client.status`: 'connecting' (not every master has connected yet, none known down), 'ready'
 * (every master has connected once, none down or ejected now), 'degraded' (some shard is down or
 * ejected), 'closing' (close() was called), 'closed' (close() finished).
 */
export type ClientStatus = 'connecting' | 'ready' | 'degraded' | 'closing' | 'closed';

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class ClientStatusTracker {
  private readonly connected = new Set<string>();
  private readonly down = new Set<string>();
  private readonly ejected = new Set<string>();
  /** Why each shard that is down went down (the cause of connect()'s rejection). */
  private readonly lastError = new Map<string, Error>();
  private readonly waiters: Waiter[] = [];
  private ending: 'closing' | 'closed' | null = null;
  private readyOnce = false;

  constructor(
    private readonly shards: readonly string[],
    /** Emits 'ready' (once). */
    private readonly onReady: () => void,
  ) {}

  get status(): ClientStatus {
    if (this.ending !== null) return this.ending;
    if (this.down.size > 0 || this.ejected.size > 0) return 'degraded';
    return this.connected.size === this.shards.length ? 'ready' : 'connecting';
  }

  /** A connection of `shard`'s master pool became ready. */
  masterReady(shard: string): void {
    this.connected.add(shard);
    this.down.delete(shard);
    if (this.connected.size < this.shards.length) return;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve();
    }
    if (!this.readyOnce && this.ending === null) {
      this.readyOnce = true;
      this.onReady();
    }
  }

  shardDown(shard: string, err: Error | undefined): void {
    this.down.add(shard);
    if (err !== undefined) this.lastError.set(shard, err);
    if (err instanceof ReconnectStoppedError && !this.connected.has(shard)) {
      // It will never connect: connect() need not wait for its timeout.
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(err);
      }
    }
  }

  shardUp(shard: string): void {
    this.down.delete(shard);
  }

  ejectedShard(shard: string, out: boolean): void {
    if (out) this.ejected.add(shard);
    else this.ejected.delete(shard);
  }

  /**
   * Resolves once every master has connected (at once if they have), or rejects after
   * `timeoutMs` with ConnectTimeoutError naming the shards that had not, the first one's last
   * error as `cause`; at once with ReconnectStoppedError when one of them stopped for good.
   */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.connected.size === this.shards.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        const missing = this.shards.filter((s) => !this.connected.has(s));
        const cause = this.lastError.get(missing[0]!);
        const target = `shard${missing.length === 1 ? '' : 's'} ${missing.map((s) => `'${s}'`).join(', ')}`;
        const why = cause === undefined ? 'no answer yet' : cause.message;
        reject(new ConnectTimeoutError(`${target} (${why})`, timeoutMs, { shards: missing, cause }));
      }, timeoutMs);
      const waiter: Waiter = { resolve, reject, timer };
      this.waiters.push(waiter);
    });
  }

  closing(): void {
    this.ending = 'closing';
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new ClientClosedError());
    }
  }

  closed(): void {
    this.ending = 'closed';
  }
}
