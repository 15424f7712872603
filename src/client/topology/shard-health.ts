/**
 * Shard health: what happens to a shard whose master is unreachable when no failover replaces it.
 *
 * - Down (always on): when a connect attempt to a shard's master fails (refused, timed out, TLS
 *   or handshake refused) and none of its shared connections is ready, the master pool settles
 *   commands at once, and those already queued, instead of letting them wait out
 *   `commandTimeoutMs` in the offline queue: with ShardDownError (fail fast, the default), or
 *   under `onShardDown: 'miss'` reads as misses (routing/miss-reply.ts) and writes with
 *   ShardDownError or dropped (resolved with null). The pool's own reconnect loop is the probe,
 *   its pause capped at DOWN_PROBE_MS while down; its first ready connection lifts the refusal.
 *   Events: 'shard-down' (the error's `cause` is the OS error), 'shard-up'.
 * - Stopped: a pool whose retryStrategy gave up is refused for good with ReconnectStoppedError
 *   (reads still answer as misses under 'miss'); a master's stop is a 'shard-down' event too.
 * - Eject (opt-in, `onShardDown: { eject }`, static shards only): every `checkIntervalMs` a PING
 *   goes to each master on a dedicated connection (answered within 3/4 of the interval, or the
 *   check fails). After `afterFailedChecks` consecutive failures the shard leaves the ring, so its
 *   keys map to the remaining shards (only its keys move: the ring is built from names); after
 *   `restoreAfterChecks` consecutive answers it rejoins and its keys move back. The last shard on
 *   the ring is never ejected. Events: 'shard-ejected', 'shard-restored'.
 *
 * Events never fire per command: only on a state change.
 */

import { ReconnectStoppedError, ShardDownError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Command, type CommandSink } from '../transport/command.js';
import { Connection, type ConnectionOptions } from '../transport/connection.js';
import type { ConnectionEvent, NodePool, Refusal } from '../transport/node-pool.js';
import type { EjectConfig, ShardDownConfig } from '../resolve-options.js';
import { isWrite, missReply } from '../routing/miss-reply.js';
import type { Shard } from '../routing/shard.js';

/** A down master is re-probed at least this often, so it rejoins within about this of answering again. */
export const DOWN_PROBE_MS = 250;

/** The names of RingClient's shard-health events. */
export type ShardHealthEvent = 'shard-down' | 'shard-up' | 'shard-ejected' | 'shard-restored';

/** What a shard-health event carries. */
export interface ShardHealthInfo {
  /** The shard's name. */
  shard: string;
  /** The master's `host:port`. */
  address: string;
  /** Why it is down or was ejected. */
  error?: Error;
  /** Consecutive failed (ejected) or answered (restored) health checks. */
  checks?: number;
}

/** 'down': its commands fail fast; 'ejected': off the ring, its keys served by the others. */
export type ShardState = 'up' | 'down' | 'ejected';

/** What shard health needs of the shard map. */
export interface HealthHost {
  all(): readonly Shard[];
  /** Takes the shard off the ring; false when it is the last one there. */
  eject(name: string): boolean;
  restore(name: string): void;
}

const PING: readonly string[] = Object.freeze(['PING']);

/** One master's health checks; PING answers report here (a CommandSink: no closure per check). */
class Probe implements CommandSink {
  failures = 0;
  successes = 0;
  ejected = false;
  private pending = false;
  private readonly conn: Connection;

  constructor(
    readonly shard: string,
    readonly address: string,
    opts: ConnectionOptions,
    private readonly health: ShardHealth,
  ) {
    this.conn = new Connection(opts);
    // A failed connect fails the queued PING now rather than at its deadline.
    this.conn.on('unreachable', (err: Error) => this.conn.refuseQueued((cmd) => cmd.reject(err)));
    this.conn.on('error', () => {
      /* the PING's rejection carries the failure */
    });
    this.conn.connect();
  }

  check(timeoutMs: number): void {
    if (this.pending) return;
    this.pending = true;
    const cmd = new Command(PING, false, true, this, 0);
    cmd.timeoutMs = timeoutMs;
    cmd.deadline = Date.now() + timeoutMs;
    this.conn.enqueue(cmd);
  }

  settle(_index: number, error: Error | null, value: RespValue): void {
    this.pending = false;
    this.health.checked(this, error ?? (value === 'PONG' ? null : new ShardDownError(this.shard, `unexpected PING answer ${String(value)}`)));
  }

  close(): Promise<void> {
    return this.conn.close(true);
  }
}

export class ShardHealth {
  /** Receives state changes (the client's events). */
  onEvent: ((event: ShardHealthEvent, info: ShardHealthInfo) => void) | null = null;
  private readonly probes: Probe[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly host: HealthHost,
    private readonly cfg: EjectConfig | null,
    private readonly connectionOptions: (address: string) => ConnectionOptions,
    private readonly down: ShardDownConfig = { mode: 'fail-fast', writes: 'reject' },
  ) {}

  /** Starts the eject health checks (when configured) once every master's address is known. */
  start(): void {
    const cfg = this.cfg;
    const connectionOptions = this.connectionOptions;
    const host = this.host;
    if (cfg === null || this.closed || this.timer !== null) return;
    const pingTimeoutMs = Math.max(1, Math.floor((cfg.checkIntervalMs * 3) / 4));
    for (const s of host.all()) {
      const base = connectionOptions(s.masterAddress);
      const opts: ConnectionOptions = {
        ...base,
        commandTimeoutMs: pingTimeoutMs,
        offlineQueueMax: 1,
        reconnectMaxDelayMs: Math.max(base.reconnectBaseDelayMs, cfg.checkIntervalMs),
        retryStrategy: null,
        retryOnDisconnect: false,
      };
      this.probes.push(new Probe(s.name, s.masterAddress, opts, this));
    }
    this.timer = setInterval(() => {
      for (const p of this.probes) p.check(pingTimeoutMs);
    }, cfg.checkIntervalMs);
    this.timer.unref();
  }

  /** Connection events of every pool (assemble.ts forwards them): a master unreachable, back, or stopped. */
  observe(pool: NodePool, event: ConnectionEvent, err: Error | undefined): void {
    if (this.closed) return;
    if (event === 'stopped') {
      if (err instanceof ReconnectStoppedError) this.halt(pool, err);
      return;
    }
    if (event !== 'unreachable' && event !== 'ready') return;
    const shard = this.host.all().find((s) => s.master === pool);
    if (shard === undefined) return;
    if (event === 'ready') {
      this.lift(shard);
      return;
    }
    if (pool.healthy || pool.refusal !== null || pool.stopped !== null) return;
    const name = shard.name;
    const message = `master ${pool.address} is unreachable (${err?.message ?? 'connect failed'})`;
    // The OS error (ECONNREFUSED, a TLS failure…) rather than its ConnectionClosedError wrapper.
    const cause = err?.cause instanceof Error ? err.cause : err;
    pool.refusal = this.refusal(() => new ShardDownError(name, message, { cause }));
    pool.refuseQueued(pool.refusal);
    pool.probeEvery(DOWN_PROBE_MS);
    this.emit('shard-down', { shard: name, address: pool.address, error: pool.refusal.error() });
  }

  /** retryStrategy stopped reconnecting to a pool's node: refused for good (a master's shard is down). */
  private halt(pool: NodePool, err: ReconnectStoppedError): void {
    if (pool.stopped !== null) return;
    const owner = this.host.all().find((s) => s.master === pool || s.replicas.includes(pool));
    const shard = owner?.name ?? null;
    const make = (): ReconnectStoppedError => new ReconnectStoppedError(err.address, err.attempts, err.reason, { shard, cause: err.cause });
    pool.halt(make(), this.refusal(make));
    if (owner !== undefined && owner.master === pool) this.emit('shard-down', { shard: owner.name, address: pool.address, error: make() });
  }

  /** What a refused pool does with a command: reject it with `make()`, or under 'miss' answer a read as a miss. */
  private refusal(make: () => Error): Refusal {
    if (this.down.mode === 'fail-fast') return { error: make, settle: (cmd) => cmd.reject(make()) };
    const drop = this.down.writes === 'drop';
    return {
      error: make,
      settle: (cmd) => {
        const miss = missReply(cmd.args);
        if (miss !== undefined) cmd.resolve(miss);
        else if (drop && isWrite(cmd.args)) cmd.resolve(null);
        else cmd.reject(make());
      },
    };
  }

  private lift(shard: Shard): void {
    const pool = shard.master;
    if (pool.refusal === null || pool.stopped !== null) return;
    pool.refusal = null;
    pool.probeEvery(Infinity);
    this.emit('shard-up', { shard: shard.name, address: pool.address });
  }

  /** A health check of `p` ended: `err` null when the master answered PONG. */
  checked(p: Probe, err: Error | null): void {
    const cfg = this.cfg;
    if (cfg === null || this.closed) return;
    if (err === null) {
      p.failures = 0;
      p.successes++;
      if (p.ejected && p.successes >= cfg.restoreAfterChecks) {
        p.ejected = false;
        this.host.restore(p.shard);
        // The master answers: commands may queue for the pool's reconnect instead of failing.
        const shard = this.host.all().find((s) => s.name === p.shard);
        if (shard !== undefined) this.lift(shard);
        this.emit('shard-restored', { shard: p.shard, address: p.address, checks: p.successes });
      }
      return;
    }
    p.successes = 0;
    p.failures++;
    if (!p.ejected && p.failures >= cfg.afterFailedChecks && this.host.eject(p.shard)) {
      p.ejected = true;
      this.emit('shard-ejected', { shard: p.shard, address: p.address, error: err, checks: p.failures });
    }
  }

  state(shard: Shard): ShardState {
    if (this.probes.some((p) => p.ejected && p.shard === shard.name)) return 'ejected';
    return shard.master.refusal !== null ? 'down' : 'up';
  }

  private emit(event: ShardHealthEvent, info: ShardHealthInfo): void {
    this.onEvent?.(event, info);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.probes.map((p) => p.close()));
  }
}
