/**
 * The subscriptions held on one shard, over one dedicated connection leased from the shard's
 * master pool (RESP3 push frames, or RESP2 subscribed mode: the connection runs in subscriber
 * mode, see transport/connection.ts).
 *
 * Invariants:
 * - `refs` is the desired state: name → the Subscriptions that want it. The server is told on
 *   change, and told everything again after every reconnect (resubscribe), so a restarted node
 *   gets its subscriptions back. Messages published while the link was down are lost.
 * - A (P|S)SUBSCRIBE resolves when the server confirmed every name (or rejects after the command
 *   timeout). Subscribing twice to a name just sends it again: confirmations pair off in order.
 * - The connection is leased while any name is wanted and destroyed (never returned) when none
 *   is, or when the shard's master pool was replaced (failover), then leased anew.
 */

import { CommandTimeoutError, ConnectionClosedError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { text } from '../api/decode.js';
import type { Connection } from '../transport/connection.js';
import type { NodePool } from '../transport/node-pool.js';
import type { Shard } from '../routing/shard.js';
import type { SubscriptionHandle, SubscriptionKind } from './subscription.js';

const SUBSCRIBE: Record<SubscriptionKind, string> = { channel: 'SUBSCRIBE', pattern: 'PSUBSCRIBE', shard: 'SSUBSCRIBE' };
const UNSUBSCRIBE: Record<SubscriptionKind, string> = { channel: 'UNSUBSCRIBE', pattern: 'PUNSUBSCRIBE', shard: 'SUNSUBSCRIBE' };
/** What a confirmation frame confirms: a (un)subscription of one kind. */
type Confirmable = SubscriptionKind | 'un-channel' | 'un-pattern' | 'un-shard';
const UNSUB_CONFIRM: Record<SubscriptionKind, Confirmable> = { channel: 'un-channel', pattern: 'un-pattern', shard: 'un-shard' };
const CONFIRM: Record<string, Confirmable> = {
  subscribe: 'channel',
  psubscribe: 'pattern',
  ssubscribe: 'shard',
  unsubscribe: 'un-channel',
  punsubscribe: 'un-pattern',
  sunsubscribe: 'un-shard',
};

interface Pending {
  kind: Confirmable;
  names: Set<string>;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | null;
}

/** A shard's pub/sub connection in `client.stats()`. */
export interface ShardSubscriberStats {
  /** Channels subscribed (SUBSCRIBE) on this shard. */
  channels: number;
  /** Patterns subscribed (PSUBSCRIBE) on this shard. */
  patterns: number;
  /** Shard channels subscribed (SSUBSCRIBE) on this shard. */
  shardChannels: number;
  /** The subscriber connection's state, or 'none' while nothing is subscribed. */
  connection: string;
}

export class ShardSubscriber {
  private conn: Connection | null = null;
  private pool: NodePool | null = null;
  private leasing: Promise<Connection> | null = null;
  private readonly refs: Record<SubscriptionKind, Map<string, Set<SubscriptionHandle>>> = { channel: new Map(), pattern: new Map(), shard: new Map() };
  private readonly pending: Pending[] = [];
  private readonly onFrame = (frame: RespValue[]): void => this.frame(frame);
  private readonly onReady = (): void => this.resubscribe();
  private readonly onDisconnect = (): void => this.followFailover();

  constructor(
    private readonly shard: Shard,
    private readonly timeoutMs: number,
    private readonly onResubscribed: (shard: string) => void,
  ) {}

  async add(kind: SubscriptionKind, names: readonly string[], sub: SubscriptionHandle): Promise<void> {
    for (const n of names) {
      const set = this.refs[kind].get(n);
      if (set === undefined) this.refs[kind].set(n, new Set([sub]));
      else set.add(sub);
    }
    const confirmed = this.expect(kind, names);
    try {
      const conn = await this.connection();
      conn.sendUntracked([SUBSCRIBE[kind], ...names]);
    } catch (err) {
      this.settle(confirmed, err instanceof Error ? err : new ConnectionClosedError(String(err)));
    }
    return confirmed.promise;
  }

  /**
   * Drops `sub` from names; names nobody wants any more are unsubscribed on the node. Resolves
   * when the node confirmed (so a publish issued afterwards no longer reaches us), at once when
   * the link is down (the next resubscribe simply leaves them out).
   */
  async remove(kind: SubscriptionKind, names: readonly string[], sub: SubscriptionHandle): Promise<void> {
    const gone: string[] = [];
    for (const n of names) {
      const set = this.refs[kind].get(n);
      if (set === undefined || !set.delete(sub) || set.size > 0) continue;
      this.refs[kind].delete(n);
      gone.push(n);
    }
    const conn = this.conn;
    if (gone.length > 0 && conn !== null && conn.state === 'ready') {
      const confirmed = this.expect(UNSUB_CONFIRM[kind], gone);
      conn.sendUntracked([UNSUBSCRIBE[kind], ...gone]);
      await confirmed.promise.catch(() => undefined);
    }
    if (this.empty()) this.release();
  }

  /** Every Subscription holding a name here. */
  subscriptions(): Set<SubscriptionHandle> {
    const out = new Set<SubscriptionHandle>();
    for (const m of Object.values(this.refs)) for (const set of m.values()) for (const s of set) out.add(s);
    return out;
  }

  stats(): ShardSubscriberStats {
    return { channels: this.refs.channel.size, patterns: this.refs.pattern.size, shardChannels: this.refs.shard.size, connection: this.conn?.state ?? 'none' };
  }

  /** Drops every name and the connection. */
  close(): void {
    for (const m of Object.values(this.refs)) m.clear();
    this.release();
  }

  private empty(): boolean {
    return this.refs.channel.size === 0 && this.refs.pattern.size === 0 && this.refs.shard.size === 0;
  }

  private expect(kind: Confirmable, names: readonly string[]): Pending & { promise: Promise<void> } {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    const p = { kind, names: new Set(names), resolve, reject, timer: null as NodeJS.Timeout | null, promise };
    const name = kind.startsWith('un-') ? 'UNSUBSCRIBE' : 'SUBSCRIBE';
    if (this.timeoutMs > 0) p.timer = setTimeout(() => this.settle(p, new CommandTimeoutError(name, this.timeoutMs)), this.timeoutMs);
    this.pending.push(p);
    return p;
  }

  private settle(p: Pending, err: Error | null): void {
    const i = this.pending.indexOf(p);
    if (i === -1) return;
    this.pending.splice(i, 1);
    if (p.timer !== null) clearTimeout(p.timer);
    if (err === null) p.resolve();
    else p.reject(err);
  }

  private connection(): Promise<Connection> {
    if (this.conn !== null) return Promise.resolve(this.conn);
    this.leasing ??= this.lease().finally(() => (this.leasing = null));
    return this.leasing;
  }

  private async lease(): Promise<Connection> {
    const pool = this.shard.master;
    const c = await pool.acquire();
    if (this.empty()) {
      pool.discard(c);
      throw new ConnectionClosedError(`shard '${this.shard.name}': every subscription ended while connecting`);
    }
    c.pubsub = true;
    c.framesAsBuffers(); // each Subscription decodes messages its own way (Buffer mode)
    c.onPush = this.onFrame;
    c.on('ready', this.onReady);
    c.on('disconnect', this.onDisconnect);
    // A retired master pool (failover) closes the connection outright: follow to the new master.
    c.on('close', this.onDisconnect);
    this.conn = c;
    this.pool = pool;
    return c;
  }

  private release(): void {
    const c = this.conn;
    this.conn = null;
    for (const p of [...this.pending]) this.settle(p, new ConnectionClosedError(`shard '${this.shard.name}': subscriber connection released`));
    if (c === null || this.pool === null) return;
    c.onPush = null;
    c.off('ready', this.onReady);
    c.off('disconnect', this.onDisconnect);
    c.off('close', this.onDisconnect);
    this.pool.discard(c);
    this.pool = null;
  }

  /** After a reconnect: tell the node everything we want again. */
  private resubscribe(): void {
    const c = this.conn;
    if (c === null) return;
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      const names = [...this.refs[kind].keys()];
      if (names.length > 0) c.sendUntracked([SUBSCRIBE[kind], ...names]);
    }
    this.onResubscribed(this.shard.name);
  }

  /** The shard's master pool was replaced (failover): move to the new master. */
  private followFailover(): void {
    if (this.pool === null || this.shard.master === this.pool || this.empty()) return;
    this.release();
    this.connection().then(
      () => this.resubscribe(),
      () => {
        /* retried on the next subscribe; pending confirmations time out */
      },
    );
  }

  private frame(f: RespValue[]): void {
    const type = text(f[0] ?? null);
    if (type === 'message' || type === 'smessage') {
      const channel = text(f[1] ?? null);
      const subs = this.refs[type === 'message' ? 'channel' : 'shard'].get(channel);
      if (subs !== undefined) for (const s of subs) s.deliver(type, null, channel, f[2] ?? null);
    } else if (type === 'pmessage') {
      const pattern = text(f[1] ?? null);
      const subs = this.refs.pattern.get(pattern);
      if (subs !== undefined) for (const s of subs) s.deliver(type, pattern, text(f[2] ?? null), f[3] ?? null);
    } else if (CONFIRM[type] !== undefined) {
      this.confirm(CONFIRM[type], text(f[1] ?? null));
    }
  }

  private confirm(kind: Confirmable, name: string): void {
    for (const p of this.pending) {
      if (p.kind !== kind || !p.names.delete(name)) continue;
      if (p.names.size === 0) this.settle(p, null);
      return;
    }
  }
}
