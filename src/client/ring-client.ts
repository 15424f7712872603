/**
 * RingClient: the public face of the smart client. Application code treats a fleet of cache nodes
 * as one cache; keys are placed on a consistent-hash ring by shard NAME.
 *
 * Data path: method → router (keys → ring → shard → master or replica) → node pool → connection
 * (auto-pipelined). Multi-key commands fan out per shard and answer in argument order. Replies are
 * strings by default; `*Buffer` methods and `{ buffers: true }` return Buffers. Every error is coded.
 *
 * Events: 'ready', 'disconnect', 'reconnecting' ({ shard, address, error? }), 'error' (only when
 * listened to), 'resubscribed' ({ shard }), 'topology' (diff, snapshot: a shard's master moved, its
 * replicas or their health changed; see topology/diff.ts), 'shard-down' / 'shard-up' ({ shard,
 * address, error? }: its commands fail fast / no longer), 'shard-ejected' / 'shard-restored'
 * ({ shard, address, checks, error? }: `onShardDown: { eject }` took it off the ring / put it
 * back). See observe/connection-events.ts, topology/shard-health.ts and observe/diagnostics.ts.
 *
 * Topology: static `shards`, or `sentinels` + `masters` (discovered and followed through
 * Sentinel). Either way the constructor returns at once; in Sentinel mode commands wait for
 * discovery (bounded by connectTimeoutMs), and `await RingClient.connect(…)` resolves after it.
 */

import { ClientClosedError, SentinelError } from '../errors.js';
import type { RespValue } from '../protocol/resp-types.js';
import type { LocalCacheStats } from './cache/local-cache.js';
import type { Arg } from './transport/command.js';
import * as D from './api/decode.js';
import { execute, executeNow, type CallOptions } from './routing/route.js';
import { observeConnections } from './observe/connection-events.js';
import { resolveOptions, type RingClientOptions } from './options.js';
import { Pipeline, Transaction } from './api/pipeline.js';
import type { NodePoolStats } from './transport/node-pool.js';
import type { ReadYourWritesStats } from './routing/read-your-writes.js';
import type { ShardState } from './topology/shard-health.js';
import { PubSubHub } from './pubsub/hub.js';
import type { ShardSubscriberStats } from './pubsub/shard-subscriber.js';
import type { Subscription, SubscriptionOptions } from './pubsub/subscription.js';
import { Router } from './routing/shard-map.js';
import { TopologyController } from './topology/controller.js';
import type { TopologySnapshot } from './topology/snapshot.js';
import { SortedSetCommands } from './api/methods/zsets.js';

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
  localCache?: LocalCacheStats;
  /** Read-your-writes counters (absent when `readYourWrites` is not configured). */
  readYourWrites?: ReadYourWritesStats;
}

/**
 * The typed command methods come from the layers in ./api/methods/ (strings → keys → lists → hashes →
 * sets → sorted sets); this class owns routing, lifecycle, pub/sub and observability.
 */
export class RingClient extends SortedSetCommands {
  private readonly router: Router;
  private readonly hub: PubSubHub;
  private readonly topo: TopologyController;
  private closed = false;

  constructor(options: RingClientOptions) {
    super();
    const resolved = resolveOptions(options);
    this.router = new Router(resolved);
    this.hub = new PubSubHub(this.router, resolved.commandTimeoutMs, (shard) => this.emit('resubscribed', { shard }));
    observeConnections(this.router, this);
    this.router.health.onEvent = (event, info) => this.emit(event, info);
    this.topo = new TopologyController(resolved, this.router, {
      onDiff: (diff, snapshot) => this.emit('topology', diff, snapshot),
      onError: (err) => {
        if (this.listenerCount('error') > 0) this.emit('error', err, { shard: err instanceof SentinelError ? err.master : null, address: null });
      },
    });
  }

  /**
   * A client whose topology is known: with `sentinels` + `masters`, resolves once every master was
   * found through Sentinel (and confirmed by ROLE); rejects with SentinelError (and closes the
   * client) when that does not happen within connectTimeoutMs.
   */
  static async connect(options: RingClientOptions): Promise<RingClient> {
    const client = new RingClient(options);
    const wait = client.topo.wait();
    if (wait !== null) {
      await wait.catch(async (err: unknown) => {
        await client.close();
        throw err;
      });
    }
    return client;
  }

  /** The topology the client routes by now: epoch, and per shard its master, replicas and their health. */
  topology(): TopologySnapshot {
    return this.router.snapshot;
  }

  /** Sentinel mode before discovery: the command waits for it (bounded), then runs. */
  private dispatch(argv: readonly Arg[], opts?: CallOptions): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    const wait = this.router.gate?.wait() ?? null;
    if (wait === null) return execute(this.router, argv, opts);
    return wait.then(() => execute(this.router, argv, opts));
  }

  /** Name of the shard that owns `key` (or channel). */
  locate(key: string | Buffer): string {
    return this.router.ring.locate(key);
  }

  /** Sends any command, routed by the command table. */
  call(name: string, ...args: Arg[]): Promise<RespValue> {
    return this.dispatch([name, ...args]);
  }

  /** Like call(), with per-call options (Buffers, read policy, a named shard). */
  callWith(opts: CallOptions, name: string, ...args: Arg[]): Promise<RespValue> {
    return this.dispatch([name, ...args], opts);
  }

  protected send(argv: readonly Arg[], opts?: CallOptions): Promise<RespValue> {
    return this.dispatch(argv, opts);
  }

  protected override sendNow(argv: readonly Arg[]): RespValue | Promise<RespValue> {
    if (this.closed || (this.router.gate !== null && !this.router.gate.isOpen)) return this.dispatch(argv);
    return executeNow(this.router, argv);
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
    await this.topo.close();
    this.hub.close();
    await this.router.close();
  }
}
