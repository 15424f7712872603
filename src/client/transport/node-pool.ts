/**
 * Connections to one node endpoint: a small set of shared, multiplexed connections plus exclusive
 * leases (generic-pool) for work that needs a connection of its own (MULTI with WATCH, blocking
 * pops, pub/sub).
 *
 * - Shared: each command goes to the least-loaded connection. When every connection has
 *   `maxInFlight` commands outstanding, commands wait in a bounded FIFO and are released as replies
 *   come back (backpressure); beyond `maxWaiting` they are refused with PoolExhaustedError. A
 *   waiting command's deadline (commandTimeoutMs) starts when it starts waiting, and one timer
 *   (running only while commands wait) times them out: a frozen node, whose connections never
 *   answer, cannot hold them forever.
 * - Exclusive: validated on borrow (still open), destroyed rather than returned after an error.
 * - `close()` drains both; `retire()` hands back the commands not yet written when the node
 *   leaves the topology (a failover: the old master may stay writable for seconds, so nothing may
 *   keep talking to it).
 * - A parked pool (a shard whose master is not discovered yet) never connects: commands wait in
 *   the bounded FIFO until the shard map retires it and moves them to the real master's pool.
 * - `refusal`, set by topology/shard-health.ts while the node is known unreachable, settles every
 *   command at once instead of letting it wait for a reconnect: a coded error (fail fast), or a
 *   miss (`onShardDown: 'miss'`); transactions and leases always get the error.
 * - Exclusive leases are bounded by `maxExclusive`: a blocking command that finds them all lent
 *   out fails at once (it would wait behind commands that may block for their whole timeout);
 *   other leases wait up to `acquireTimeoutMs`. Both failures name the limit and its option.
 */

import genericPool from 'generic-pool';
import { ClientClosedError, PoolExhaustedError, type ReconnectStoppedError } from '../../errors.js';
import type { Command } from './command.js';
import { Connection, type ConnectionOptions, type ConnectionState } from './connection.js';
import { Fifo } from './fifo.js';
import { NodeMetrics } from './node-metrics.js';
import { expireQueued, Sweeper } from './timeouts.js';

export interface NodePoolOptions {
  size: number;
  maxInFlight: number;
  maxWaiting: number;
  maxExclusive: number;
  acquireTimeoutMs: number;
}

/**
 * 'stale': a READONLY or LOADING reply (the node is not a usable master right now).
 * 'unreachable': a connect attempt failed (refused, timed out, TLS or handshake refused).
 * 'stopped': retryStrategy stopped reconnecting (the pool then refuses everything, see `halt`).
 */
export type ConnectionEvent = 'ready' | 'disconnect' | 'reconnecting' | 'error' | 'stale' | 'unreachable' | 'stopped';

/** How a pool whose node is known unreachable settles commands instead of sending them. */
export interface Refusal {
  /** The error for what cannot be answered otherwise (transactions, leases). */
  readonly error: () => Error;
  /** Settles one command now: rejects it with `error()`, or answers it as a miss. */
  readonly settle: (cmd: Command) => void;
}

/** One node's pool in `client.stats()`. */
export interface NodePoolStats {
  /** The node's `host:port` (plus `/db`). */
  address: string;
  /** Shared (multiplexed) connections. */
  connections: number;
  /** Shared connections that are ready. */
  ready: number;
  /** Commands sent and awaiting their reply, over the shared connections. */
  inFlight: number;
  /** Commands waiting for capacity (every connection at `maxInFlight`). */
  waiting: number;
  /** Commands in the shared connections' offline queues (waiting for a reconnect). */
  queued: number;
  /** Shared connections by state. */
  states: Partial<Record<ConnectionState, number>>;
  /** Command timeouts since start, over the shared connections. */
  timeouts: number;
  /** Error replies received since start, over the shared connections. */
  errorReplies: number;
  /** Shared connections dropped since start. */
  disconnects: number;
  /** Exclusive connections (blocking commands, WATCH, pub/sub). */
  exclusive: {
    /** Open exclusive connections. */
    size: number;
    /** Open and idle. */
    available: number;
    /** Leased now. */
    borrowed: number;
    /** Leases waiting for a connection. */
    pending: number;
  };
}

export class NodePool {
  readonly address: string;
  private readonly shared: Connection[] = [];
  private readonly waiting = new Fifo<Command>(16);
  private readonly exclusive: genericPool.Pool<Connection>;
  private closed = false;
  /** Times out commands waiting for capacity (only while some wait). */
  private readonly sweeper = new Sweeper(() => this.sweepWaiting());
  /** The most a shared connection's reconnect may wait (`probeEvery`). */
  private probeCap = Infinity;
  /** Exclusive connections lent out now (close() ends them: a blocked BLPOP 0 never returns). */
  private readonly leased = new Set<Connection>();
  /** Receives connection lifecycle events (set by assemble.ts: shard health, the topology, client events and diagnostics). */
  observer: ((event: ConnectionEvent, conn: Connection, err?: Error) => void) | null = null;
  /** While set, commands are settled at once by it (topology/shard-health.ts: fail fast, or misses). */
  refusal: Refusal | null = null;
  /** Set when retryStrategy stopped reconnecting: the pool stays refused for good. */
  stopped: ReconnectStoppedError | null = null;
  /**
   * Called with each shared connection this pool opens, before it connects (the local cache's
   * ShardTracking takes its push frames and turns tracking on when it is ready).
   */
  onSharedConnection: ((conn: Connection) => void) | null = null;
  private readonly releaseFn = (): void => {
    if (this.waiting.length > 0) this.release();
  };

  constructor(
    private readonly connOptions: ConnectionOptions,
    private readonly options: NodePoolOptions,
    /** Placeholder for an undiscovered master: holds commands, opens nothing (see the header). */
    readonly parked = false,
    /** Counts its commands, errors, reconnects and latency (shared by a shard's pools: RingClient.metrics()). */
    readonly metrics: NodeMetrics = new NodeMetrics(),
  ) {
    this.address = parked ? '' : `${connOptions.host}:${connOptions.port}`;
    this.exclusive = genericPool.createPool<Connection>(
      {
        create: async () => {
          const c = new Connection(connOptions);
          c.metrics = this.metrics;
          this.watch(c);
          c.connect();
          // A connection that cannot be made is closed, not left reconnecting behind the pool's
          // back: a create that never ended would also hold up the pool's drain (close()).
          await new Promise<void>((resolve, reject) => {
            const fail = (err: Error): void => {
              c.off('ready', ok);
              void c.close(true);
              reject(err);
            };
            const ok = (): void => {
              c.off('error', fail);
              c.off('unreachable', fail);
              c.off('stopped', fail);
              resolve();
            };
            c.once('ready', ok);
            c.once('error', fail);
            c.once('unreachable', fail);
            c.once('stopped', fail);
          });
          return c;
        },
        destroy: async (c) => {
          await c.close(true);
        },
        validate: async (c) => c.state === 'ready',
      },
      {
        max: options.maxExclusive,
        min: 0,
        testOnBorrow: true,
        acquireTimeoutMillis: options.acquireTimeoutMs,
        autostart: false,
      },
    );
  }

  /** Sends a command on the least-loaded shared connection, or queues it under backpressure. */
  send(cmd: Command): void {
    this.metrics.track(cmd);
    if (this.closed) {
      cmd.reject(new ClientClosedError());
      return;
    }
    if (this.refusal !== null) {
      this.refusal.settle(cmd);
      return;
    }
    const conn = this.pick();
    if (conn !== null) {
      conn.enqueue(cmd);
      return;
    }
    if (this.waiting.length >= this.options.maxWaiting) {
      const max = this.options.maxWaiting;
      cmd.reject(new PoolExhaustedError(`${this.address}: ${max} commands already wait for capacity (pool.maxWaiting = ${max})`, { limit: max, option: 'pool.maxWaiting' }));
      return;
    }
    const timeout = this.connOptions.commandTimeoutMs;
    if (timeout > 0) {
      if (cmd.deadline === 0) cmd.deadline = Date.now() + timeout;
      this.sweeper.start(timeout);
    }
    this.waiting.push(cmd);
  }

  /** Times out commands that waited for capacity past their deadline; stops once none waits. */
  private sweepWaiting(): void {
    expireQueued(this.waiting, Date.now(), this.connOptions.commandTimeoutMs);
    if (this.waiting.length === 0) this.sweeper.stop();
  }

  /**
   * Sends commands back to back on ONE shared connection, ignoring the in-flight cap, so nothing
   * can interleave (MULTI … EXEC).
   */
  sendBatch(cmds: readonly Command[]): void {
    for (const c of cmds) this.metrics.track(c);
    if (this.closed) {
      for (const c of cmds) c.reject(new ClientClosedError());
      return;
    }
    if (this.refusal !== null) {
      for (const c of cmds) c.reject(this.refusal.error());
      return;
    }
    if (this.parked) {
      for (const c of cmds) this.send(c);
      return;
    }
    let conn = this.pick();
    if (conn === null) {
      conn = this.shared[0] ?? this.grow();
      for (const c of this.shared) if (c.inFlight + c.queued < conn.inFlight + conn.queued) conn = c;
    }
    for (const c of cmds) conn.enqueue(c);
  }

  /** The least-loaded shared connection under its in-flight cap (creating one while below size). */
  private pick(): Connection | null {
    if (this.parked) return null;
    let best: Connection | null = null;
    let bestLoad = Infinity;
    for (let i = 0; i < this.shared.length; i++) {
      const c = this.shared[i]!;
      const load = c.inFlight + c.queued;
      if (load < bestLoad) {
        best = c;
        bestLoad = load;
      }
    }
    if (this.shared.length < this.options.size && (best === null || bestLoad > 0)) return this.grow();
    return best !== null && bestLoad < this.options.maxInFlight ? best : null;
  }

  private grow(): Connection {
    const c = new Connection(this.connOptions);
    c.metrics = this.metrics;
    this.watch(c);
    c.probeCapMs = this.probeCap;
    c.onReplied = this.releaseFn;
    this.onSharedConnection?.(c);
    c.connect();
    this.shared.push(c);
    return c;
  }

  /**
   * Forwards a connection's lifecycle events to `observer` (the client's events and diagnostics).
   * Errors are also surfaced through command rejections, so they are never thrown from here.
   */
  private watch(c: Connection): void {
    c.on('error', (err: Error) => this.observer?.('error', c, err));
    c.on('ready', () => this.observer?.('ready', c));
    c.on('disconnect', (err: Error) => this.observer?.('disconnect', c, err));
    c.on('reconnecting', () => {
      this.metrics.reconnects++;
      this.observer?.('reconnecting', c);
    });
    c.on('stale', (err: Error) => this.observer?.('stale', c, err));
    c.on('unreachable', (err: Error) => this.observer?.('unreachable', c, err));
    c.on('stopped', (err: Error) => this.observer?.('stopped', c, err));
  }

  /** Moves waiting commands onto connections that have capacity again. */
  private release(): void {
    while (this.waiting.length > 0) {
      const conn = this.pick();
      if (conn === null) return;
      const cmd = this.waiting.shift()!;
      if (!cmd.settled) conn.enqueue(cmd);
    }
  }

  /**
   * Borrows an exclusive connection; give it back with `giveBack` (or `discard` after errors).
   * `waitForOne` false (blocking commands): fail at once when all `maxExclusive` are lent out.
   */
  acquire(purpose = 'an exclusive connection', waitForOne = true): Promise<Connection> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    if (this.refusal !== null) return Promise.reject(this.refusal.error());
    if (this.parked) return Promise.reject(new PoolExhaustedError(`${this.address}: the shard's master is not discovered yet`));
    const max = this.options.maxExclusive;
    const limit = { limit: max, option: 'pool.maxExclusive' };
    const full = `all ${max} exclusive connections to ${this.address} are lent out (pool.maxExclusive = ${max})`;
    if (!waitForOne && this.exclusive.borrowed + this.exclusive.pending >= max) {
      return Promise.reject(new PoolExhaustedError(`${full}: ${purpose} needs one of its own; raise pool.maxExclusive or run fewer at once`, limit));
    }
    return Promise.resolve(this.exclusive.acquire()).then(
      (c) => {
        // Made while close() ran: lending it out would hold close() (drain) and its command forever.
        if (this.closed) {
          this.discard(c);
          throw new ClientClosedError();
        }
        this.leased.add(c);
        return c;
      },
      (err: unknown) => {
        if (this.refusal !== null) throw this.refusal.error();
        const why = this.exclusive.borrowed >= max ? `${full}, and none came free within pool.acquireTimeoutMs (${this.options.acquireTimeoutMs} ms)` : `no exclusive connection to ${this.address}`;
        throw new PoolExhaustedError(`${why}: ${purpose} could not start`, this.exclusive.borrowed >= max ? limit : undefined, { cause: err });
      },
    );
  }

  giveBack(c: Connection): void {
    this.leased.delete(c);
    const done = c.state === 'ready' && !c.pubsub && !this.closed ? this.exclusive.release(c) : this.exclusive.destroy(c);
    Promise.resolve(done).catch(() => undefined);
  }

  discard(c: Connection): void {
    this.leased.delete(c);
    // After retire() the pool is cleared; destroying a connection it no longer holds may reject.
    Promise.resolve(this.exclusive.destroy(c)).catch(() => undefined);
  }

  /** Settles every command not yet written (waiting for capacity, or queued offline) with `refusal`. */
  refuseQueued(refusal: Refusal): void {
    for (const cmd of this.waiting.drain()) refusal.settle(cmd);
    for (const c of this.shared) c.refuseQueued(refusal.settle);
  }

  /** Caps the reconnect pause of every shared connection (Infinity lifts it): a down node is re-probed this often. */
  probeEvery(capMs: number): void {
    this.probeCap = capMs;
    for (const c of this.shared) c.capReconnect(capMs);
  }

  /**
   * retryStrategy stopped reconnecting on one of the shared connections: the pool stops for good
   * (the others are closed), `refusal` settles every command from now on.
   */
  halt(err: ReconnectStoppedError, refusal: Refusal): void {
    this.stopped = err;
    this.refusal = refusal;
    this.refuseQueued(refusal);
    for (const c of this.shared) if (c.stopped === null) void c.close(true);
  }

  /** Opens the first shared connection now, so the pool is connected before its first command (replicas for 'prefer-replica'). */
  warm(): void {
    if (this.shared.length === 0 && !this.parked && !this.closed) this.grow();
  }

  /** Any shared connection ready now (health checks). */
  get healthy(): boolean {
    return this.shared.some((c) => c.state === 'ready');
  }

  /** Connections were opened and every one of them has dropped (reconnecting): the node is unreachable. */
  get unreachable(): boolean {
    return this.shared.length > 0 && this.shared.every((c) => c.state === 'reconnecting');
  }

  stats(): NodePoolStats {
    let inFlight = 0;
    let ready = 0;
    let queued = 0;
    const states: Partial<Record<ConnectionState, number>> = {};
    const totals = { timeouts: 0, errorReplies: 0, disconnects: 0 };
    for (const c of this.shared) {
      inFlight += c.inFlight;
      queued += c.queued;
      if (c.state === 'ready') ready++;
      states[c.state] = (states[c.state] ?? 0) + 1;
      totals.timeouts += c.counters.timeouts;
      totals.errorReplies += c.counters.errorReplies;
      totals.disconnects += c.counters.disconnects;
    }
    return {
      address: this.address,
      connections: this.shared.length,
      ready,
      inFlight,
      waiting: this.waiting.length,
      queued,
      states,
      ...totals,
      exclusive: {
        size: this.exclusive.size,
        available: this.exclusive.available,
        borrowed: this.exclusive.borrowed,
        pending: this.exclusive.pending,
      },
    };
  }

  /**
   * The node left the topology: returns every command not yet written (waiting for capacity or
   * queued offline) to be sent elsewhere, and closes. In-flight commands reject with `err` (a
   * replaced master, FailoverError) or, with null (a replica), get their replies first.
   */
  retire(err: Error | null): Command[] {
    this.closed = true;
    this.sweeper.stop();
    const unsent = this.waiting.drain();
    for (const c of this.shared.splice(0)) unsent.push(...c.retire(err));
    for (const c of this.leased) void c.close(true);
    void this.exclusive.drain().then(() => this.exclusive.clear());
    return unsent;
  }

  /** Graceful close: waiting commands are refused, in-flight ones get their replies. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sweeper.stop();
    for (const cmd of this.waiting.drain()) cmd.reject(new ClientClosedError());
    await Promise.all(this.shared.splice(0).map((c) => c.close(false)));
    await Promise.all([...this.leased].map((c) => c.close(true)));
    await this.exclusive.drain();
    await this.exclusive.clear();
  }
}
