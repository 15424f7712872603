/**
 * RingClient: the public face of the smart client. Application code treats a fleet of cache nodes
 * as one cache; keys are placed on a consistent-hash ring by shard NAME.
 *
 * Data path: method → router (keys → ring → shard → master or replica) → node pool → connection
 * (auto-pipelined). Multi-key commands fan out per shard and answer in argument order. Replies are
 * strings by default; `*Buffer` methods and `{ buffers: true }` return Buffers. Every error is coded.
 *
 * Events: 'ready', 'disconnect', 'reconnecting' ({ shard, address, error? }), 'error' (only when
 * listened to), 'resubscribed' ({ shard }), 'topology' ({ shard, master, previous }: a failover
 * moved a shard's master), 'shard-down' / 'shard-up' ({ shard, address, error? }: its commands
 * fail fast / no longer), 'shard-ejected' / 'shard-restored' ({ shard, address, checks, error? }:
 * `onShardDown: { eject }` took it off the ring / put it back). See observe.ts, shard-health.ts
 * and diagnostics.ts.
 *
 * Sentinel mode needs the masters' addresses before the first command, so such a client is made
 * with `await RingClient.connect({ sentinels, masters, … })`; `new RingClient` takes `shards`.
 */

import { ClientClosedError, ConfigError } from '../errors.js';
import type { RespValue } from '../protocol/resp-types.js';
import type { CacheLayerStats } from './cache-layer.js';
import type { Arg } from './command.js';
import * as D from './commands/decode.js';
import { execute, type CallOptions } from './executor.js';
import { observeConnections } from './observe.js';
import { resolveOptions, type RingClientOptions } from './options.js';
import { Pipeline, Transaction } from './pipeline.js';
import type { NodePoolStats } from './pool.js';
import type { ReadYourWritesStats } from './read-your-writes.js';
import type { ShardState } from './shard-health.js';
import { PubSubHub } from './pubsub/hub.js';
import type { ShardSubscriberStats } from './pubsub/shard-subscriber.js';
import type { Subscription, SubscriptionOptions } from './pubsub/subscription.js';
import { connectionOptionsFor, Router } from './router.js';
import { SentinelWatcher } from './topology/sentinel-watcher.js';
import { SortedSetCommands } from './methods/zsets.js';

export interface ShardStats {
  name: string;
  /** 'down': its commands fail fast (master unreachable); 'ejected': off the ring. */
  state: ShardState;
  master: NodePoolStats;
  replicas: NodePoolStats[];
  /** Subscriptions held on this shard (absent when none were ever made). */
  pubsub?: ShardSubscriberStats;
}

export interface ClientStats {
  shards: ShardStats[];
  /** The hot-key local cache (absent when `localCache` is not configured). */
  localCache?: CacheLayerStats;
  /** Read-your-writes counters (absent when `readYourWrites` is not configured). */
  readYourWrites?: ReadYourWritesStats;
}

/**
 * The typed command methods come from the layers in ./methods/ (strings → keys → lists → hashes →
 * sets → sorted sets); this class owns routing, lifecycle, pub/sub and observability.
 */
export class RingClient extends SortedSetCommands {
  private readonly router: Router;
  private readonly hub: PubSubHub;
  private closed = false;
  private watcher: SentinelWatcher | null = null;

  constructor(options: RingClientOptions) {
    super();
    const resolved = resolveOptions(options);
    if (resolved.shards.length === 0) throw new ConfigError('with sentinels, create the client with await RingClient.connect(options)');
    this.router = new Router(resolved);
    this.hub = new PubSubHub(this.router, resolved.commandTimeoutMs, (shard) => this.emit('resubscribed', { shard }));
    observeConnections(this.router, this);
    this.router.health.onEvent = (event, info) => this.emit(event, info);
  }

  /**
   * A client ready to use. With `sentinels` + `masters`, every master is first resolved through
   * Sentinel (and confirmed by ROLE), then followed: a failover moves the shard's traffic to the
   * new master (see SentinelWatcher). Rejects with SentinelError when a master cannot be found.
   */
  static async connect(options: RingClientOptions): Promise<RingClient> {
    const resolved = resolveOptions(options);
    if (resolved.sentinels.length === 0) return new RingClient(options);
    const watcher = new SentinelWatcher({
      sentinels: resolved.sentinels,
      masters: resolved.masters,
      connection: (address) => connectionOptionsFor(resolved, address),
      recheckMs: resolved.sentinelRecheckMs,
    });
    const addresses = await watcher.resolveAll();
    const plain: RingClientOptions = { ...options, shards: resolved.masters.map((name) => ({ name, master: addresses.get(name)! })) };
    delete plain.sentinels;
    delete plain.masters;
    const client = new RingClient(plain);
    client.follow(watcher);
    return client;
  }

  private follow(watcher: SentinelWatcher): void {
    this.watcher = watcher;
    watcher.onMaster = (shard, master) => {
      const previous = this.router.shard(shard)?.masterAddress;
      if (this.router.replaceMaster(shard, master)) this.emit('topology', { shard, master, previous });
    };
    // A READONLY or LOADING reply from a master means Sentinel may already know better: ask now.
    const observe = this.router.observer;
    this.router.observer = (event, conn, err) => {
      if (event === 'stale') {
        const shard = this.router.all().find((s) => s.master.address === conn.address);
        if (shard !== undefined) void watcher.recheck(shard.name);
      }
      observe?.(event, conn, err);
    };
    watcher.start();
  }

  /** Name of the shard that owns `key` (or channel). */
  locate(key: string | Buffer): string {
    return this.router.ring.locate(key);
  }

  /** Sends any command, routed by the command table. */
  call(name: string, ...args: Arg[]): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return execute(this.router, [name, ...args]);
  }

  /** Like call(), with per-call options (Buffers, read policy, a named shard). */
  callWith(opts: CallOptions, name: string, ...args: Arg[]): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return execute(this.router, [name, ...args], opts);
  }

  protected send(argv: readonly Arg[], opts?: CallOptions): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return execute(this.router, argv, opts);
  }

  protected shardNames(): readonly string[] {
    return this.router.ring.shards();
  }

  /** A batch of commands sent together, spanning shards; answers in call order. */
  pipeline(): Pipeline {
    return new Pipeline(this.router);
  }

  /** An atomic MULTI/EXEC on one shard (co-locate keys with {hash tags}). */
  multi(): Transaction {
    return new Transaction(this.router);
  }

  /**
   * Subscribes to channels, each on the shard that owns its name (where this client's publish()
   * sends). Resolves once every shard confirmed; deliver with events or `for await`.
   */
  subscribe(channels: string | readonly string[], options?: SubscriptionOptions): Promise<Subscription> {
    return this.hub.open('channel', channels, options);
  }

  /** Subscribes to patterns on every shard, so matching messages from all shards arrive. */
  psubscribe(patterns: string | readonly string[], options?: SubscriptionOptions): Promise<Subscription> {
    return this.hub.open('pattern', patterns, options);
  }

  /** Sharded channels (SSUBSCRIBE), placed like keys; publish with spublish(). */
  ssubscribe(channels: string | readonly string[], options?: SubscriptionOptions): Promise<Subscription> {
    return this.hub.open('shard', channels, options);
  }

  /** Publishes on the shard owning `channel`; resolves how many of that node's clients received it. */
  publish(channel: Arg, message: Arg): Promise<number> {
    return this.run(['PUBLISH', channel, message], D.int);
  }

  spublish(channel: Arg, message: Arg): Promise<number> {
    return this.run(['SPUBLISH', channel, message], D.int);
  }

  /** Active channels (matching `pattern`) across every shard. */
  async pubsubChannels(pattern?: string): Promise<string[]> {
    const argv: Arg[] = pattern === undefined ? ['PUBSUB', 'CHANNELS'] : ['PUBSUB', 'CHANNELS', pattern];
    const all = await Promise.all(this.shardNames().map((shard) => this.send(argv, { shard }).then(D.strList)));
    return [...new Set(all.flat())];
  }

  /** Subscriber counts per channel, each asked of the channel's shard. */
  async pubsubNumsub(channels: readonly string[]): Promise<Record<string, number>> {
    const counts = await Promise.all(channels.map((ch) => this.send(['PUBSUB', 'NUMSUB', ch], { shard: this.locate(ch) }).then(D.strList)));
    const out: Record<string, number> = {};
    channels.forEach((ch, i) => (out[ch] = Number(counts[i]![1] ?? 0)));
    return out;
  }

  /** A snapshot per shard: in flight, queued, waiting, pool sizes, connection states, errors, subscriptions. */
  stats(): ClientStats {
    const pubsub = this.hub.stats();
    return {
      shards: this.router.all().map((s) => {
        const out: ShardStats = { name: s.name, state: this.router.health.state(s), master: s.master.stats(), replicas: s.replicas.map((r) => r.stats()) };
        if (pubsub[s.name] !== undefined) out.pubsub = pubsub[s.name]!;
        return out;
      }),
      ...(this.router.cache !== null ? { localCache: this.router.cache.stats() } : {}),
      ...(this.router.readYourWrites !== null ? { readYourWrites: this.router.readYourWrites.stats() } : {}),
    };
  }

  /** Ends subscriptions, then closes every connection after in-flight commands are answered. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.watcher?.close();
    this.hub.close();
    await this.router.close();
  }
}
