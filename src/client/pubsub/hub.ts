/**
 * Client-side pub/sub: places channels on the ring like keys and keeps one ShardSubscriber per
 * shard. Channel and shard-channel names go to the shard owning the name (where PUBLISH/SPUBLISH
 * of this client land); patterns go to every shard, because a publish to any channel lands on
 * that channel's shard alone, so each message is delivered exactly once.
 */

import { ClientClosedError } from '../../errors.js';
import type { ShardMap } from '../routing/shard-map.js';
import type { Shard } from '../routing/shard.js';
import { ShardSubscriber, type ShardSubscriberStats } from './shard-subscriber.js';
import { Subscription, type SubscriptionHandle, type SubscriptionKind, type SubscriptionOptions, type SubscriptionOwner } from './subscription.js';

export class PubSubHub implements SubscriptionOwner {
  private readonly subscribers = new Map<string, ShardSubscriber>();
  private closed = false;

  constructor(
    private readonly shards: ShardMap,
    /** The route's discovery gate: null when the masters are known. */
    private readonly ready: () => Promise<void> | null,
    private readonly timeoutMs: number,
    private readonly onResubscribed: (shard: string) => void,
  ) {}

  /** A new subscription of `kind` to `names`; resolves once every owning shard confirmed. */
  async open<M extends string | Buffer>(kind: SubscriptionKind, names: string | readonly string[], options?: SubscriptionOptions): Promise<Subscription<M>> {
    if (this.closed) throw new ClientClosedError();
    const sub = new Subscription<M>(kind, this, options);
    await sub.subscribe(names);
    return sub;
  }

  async add(sub: SubscriptionHandle, names: readonly string[]): Promise<void> {
    if (this.closed) throw new ClientClosedError();
    await this.ready(); // Sentinel mode: masters not discovered yet
    await Promise.all([...this.place(sub.kind, names)].map(([shard, n]) => this.subscriber(shard).add(sub.kind, n, sub)));
  }

  async remove(sub: SubscriptionHandle, names: readonly string[]): Promise<void> {
    const done: Promise<void>[] = [];
    for (const [shard, n] of this.place(sub.kind, names)) {
      const s = this.subscribers.get(shard.name);
      if (s !== undefined) done.push(s.remove(sub.kind, n, sub));
    }
    await Promise.all(done);
  }

  stats(): Record<string, ShardSubscriberStats> {
    const out: Record<string, ShardSubscriberStats> = {};
    for (const [name, s] of this.subscribers) out[name] = s.stats();
    return out;
  }

  /** Ends every subscription and releases every subscriber connection. */
  close(): void {
    this.closed = true;
    for (const s of this.subscribers.values()) {
      const subs = s.subscriptions();
      s.close();
      for (const sub of subs) sub.end();
    }
    this.subscribers.clear();
  }

  /** Which shard hears which names. */
  private place(kind: SubscriptionKind, names: readonly string[]): Map<Shard, string[]> {
    const out = new Map<Shard, string[]>();
    if (names.length === 0) return out;
    if (kind === 'pattern') {
      for (const shard of this.shards.all()) out.set(shard, [...names]);
      return out;
    }
    for (const n of names) {
      const shard = this.shards.shardFor(n);
      const list = out.get(shard);
      if (list === undefined) out.set(shard, [n]);
      else list.push(n);
    }
    return out;
  }

  private subscriber(shard: Shard): ShardSubscriber {
    let s = this.subscribers.get(shard.name);
    if (s === undefined) {
      s = new ShardSubscriber(shard, this.timeoutMs, this.onResubscribed);
      this.subscribers.set(shard.name, s);
    }
    return s;
  }
}
