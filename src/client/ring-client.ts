/**
 * RingClient: the public face of the smart client. Application code treats a fleet of cache nodes
 * as one cache; keys are placed on a consistent-hash ring by shard NAME.
 *
 * Data path: method → the route (routing/route.ts: discovery gate → diagnostics → local cache →
 * read-your-writes → shard (keys → ring) → master or replica pool → connection, auto-pipelined).
 * Multi-key commands fan out per shard and answer in argument order. Replies are strings by
 * default; `*Buffer` methods and `{ buffers: true }` return Buffers. Every error is coded. The
 * parts are built and wired in assemble.ts.
 *
 * Events (typed: observe/events.ts): 'ready' once every master connected once, 'end' after
 * close(); per connection 'connect', 'disconnect', 'reconnecting'; 'error' (only when listened
 * to); 'topology' (diff, snapshot); 'shard-down' / 'shard-up', 'shard-ejected' /
 * 'shard-restored'; 'resubscribed'. `status`: observe/client-status.ts.
 *
 * Topology: static `shards`, or `sentinels` + `masters` (discovered and followed through
 * Sentinel). Either way the constructor returns at once and starts connecting every master; in
 * Sentinel mode commands wait for discovery (bounded by connectTimeoutMs). `await
 * RingClient.connect(…)` resolves once every master answered.
 */

import { InvalidArgumentError } from '../errors.js';
import type { RespValue } from '../protocol/resp-types.js';
import * as D from './api/decode.js';
import { ScriptingCommands } from './api/methods/scripting.js';
import { Pipeline } from './api/pipeline.js';
import { Transaction } from './api/transaction.js';
import { runWatch, type WatchOptions, type WatchResult, type WatchScope } from './api/watch.js';
import { assemble, type ClientParts } from './assemble.js';
import type { ClientStatus } from './observe/client-status.js';
import type { RingClientEvents } from './observe/events.js';
import { clientMetrics, type ClientMetrics } from './observe/metrics.js';
import { registerMetrics, type PromRegistry, type RegisterMetricsOptions } from './observe/prometheus.js';
import { clientStats, shardList, type ClientStats, type ShardInfo } from './observe/stats.js';
import { type RingClientOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import { Monitor, type MonitorOptions } from './observe/monitor.js';
import type { Subscription, SubscriptionOptions } from './pubsub/subscription.js';
import type { CallOptions } from './routing/route.js';
import type { TopologySnapshot } from './topology/snapshot.js';
import type { Arg } from './transport/command.js';

// Declaration merging, types only: documents the typed `on` / `once` RingClient inherits from
// EventEmitter<RingClientEvents> (the same signatures; nothing changes at run time).
export interface RingClient {
  /**
   * Adds a listener for one of the client's events; its arguments are typed by the event.
   * @see {@link RingClient} (Events) and {@link RingClientEvents} for every event and what it carries.
   */
  on<K extends keyof RingClientEvents>(event: K, listener: (...args: RingClientEvents[K]) => void): this;
  /**
   * Adds a listener called at most once, for the next such event.
   * @see {@link RingClientEvents} for every event and what it carries.
   */
  once<K extends keyof RingClientEvents>(event: K, listener: (...args: RingClientEvents[K]) => void): this;
}

// The typed command methods come from the layers in ./api/methods/ (strings → keys → lists →
// hashes → sets → sorted sets → bitmaps and HyperLogLog → geo → sort and dump → streams →
// scripts and functions); this class owns the lifecycle and the public surface.
/**
 * A fleet of Redis-protocol cache nodes used as one cache: keys are placed on a consistent-hash
 * ring by shard name, multi-key commands fan out per shard and answer in argument order, and
 * every command is a typed method (strings by default, `*Buffer` variants for Buffers).
 * `new RingClient(options)` starts connecting at once; `await RingClient.connect(options)` waits
 * until every master answered.
 *
 * ## Events
 *
 * RingClient is an `EventEmitter<RingClientEvents>`: `on`, `once` and `off` are typed, so a
 * misspelled event name does not compile and each listener's arguments are inferred.
 *
 * - `'ready'` `()`: every shard's master has connected once (emitted once; see `status`).
 * - `'end'` `()`: close() finished, every connection is closed (emitted once).
 * - `'error'` `(error, { shard, address })`: emitted only while listened to: a shard's first
 *   failed connect (ShardDownError, the OS error as `cause`), a refused handshake, a
 *   retryStrategy that stopped (ReconnectStoppedError), a failed Sentinel query.
 * - `'connect'` `({ shard, address })`: a connection to a node finished its handshake.
 * - `'disconnect'` `({ shard, address, error? })`: a connection to a node closed.
 * - `'reconnecting'` `({ shard, address, error? })`: a connection is about to reconnect.
 * - `'topology'` `(diff, snapshot)`: a master moved, replicas or their health changed
 *   (TopologyDiff, TopologySnapshot).
 * - `'shard-down'` / `'shard-up'` `({ shard, address, error? })`: a shard's master became
 *   unreachable (its commands fail with ShardDownError, or answer as misses with
 *   `onShardDown: 'miss'`) / answers again.
 * - `'shard-ejected'` / `'shard-restored'` `({ shard, address, error, checks })` / `({ shard,
 *   address, checks })`: with `onShardDown: { eject }`, a shard left the ring after `checks`
 *   failed health checks / came back after `checks` answered ones.
 * - `'resubscribed'` `({ shard })`: a shard's pub/sub connection reconnected and subscribed again.
 *
 * @see {@link RingClientEvents} for the listener signatures.
 */
export class RingClient extends ScriptingCommands {
  private readonly parts: ClientParts;
  private readonly connectTimeoutMs: number;
  private closing: Promise<void> | null = null;

  /** Checks the options (ConfigError / InvalidOptionError), builds the ring and starts connecting every master; returns at once. */
  constructor(private readonly options: RingClientOptions) {
    super();
    const resolved = resolveOptions(options);
    this.connectTimeoutMs = resolved.connectTimeoutMs;
    this.parts = assemble(resolved, this);
    this.parts.start();
  }

  /**
   * A connected client: resolves once every shard's master answered its handshake (with
   * `sentinels` + `masters`, after discovering them). Within connectTimeoutMs, or rejects and
   * closes the client: ConnectTimeoutError naming the shards that did not answer (`err.shards`,
   * the first one's last error as `cause`), SentinelError when discovery failed, or
   * ReconnectStoppedError when a retryStrategy gave up on a master.
   */
  static async connect(options: RingClientOptions): Promise<RingClient> {
    const client = new RingClient(options);
    const started = Date.now();
    try {
      await client.parts.topology.wait();
      await client.parts.status.whenConnected(Math.max(1, client.connectTimeoutMs - (Date.now() - started)));
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  /**
   * 'connecting' until every master connected once; 'ready'; 'degraded' while a shard is down
   * or ejected; 'closing' after close(), 'closed' once it finished.
   */
  get status(): ClientStatus {
    return this.parts.status.status;
  }

  /** The topology the client routes by now: epoch, and per shard its master, replicas and their health. */
  topology(): TopologySnapshot {
    return this.parts.store.snapshot;
  }

  /** The shards in configuration order: name, master, replicas, weight and state ('up', 'down', 'ejected'). */
  shards(): ShardInfo[] {
    return shardList(this.parts.shards.all(), this.parts.store.snapshot, this.parts.health);
  }

  /** Name of the shard that owns `key` (with `keyPrefix`, the prefixed key). */
  locate(key: string | Buffer): string {
    const p = this.parts.prefix;
    return this.parts.shards.ring.locate(p === null ? key : (p.key(key) as string | Buffer));
  }

  /**
   * Sends any command, routed by the command table; resolves its raw reply (`T` names the type
   * you expect: RespValue unless given, not checked).
   */
  call<T = RespValue>(name: string, ...args: Arg[]): Promise<T> {
    return this.send([name, ...args]) as Promise<T>;
  }

  /** Like call(), with per-call options (Buffers, read policy, a named shard). */
  callWith(opts: CallOptions, name: string, ...args: Arg[]): Promise<RespValue> {
    if (typeof opts !== 'object' || opts === null) return Promise.reject(new InvalidArgumentError('callWith: the first argument must be an options object ({ shard, buffers, readFrom, readYourWrites })'));
    return this.send([name, ...args], opts);
  }

  protected send(argv: readonly Arg[], opts?: CallOptions): Promise<RespValue> {
    const r = this.parts.route.send(argv, opts);
    return r instanceof Promise ? r : Promise.resolve(r);
  }

  protected override sendNow(argv: readonly Arg[]): RespValue | Promise<RespValue> {
    return this.parts.route.send(argv);
  }

  protected shardNames(): readonly string[] {
    return this.parts.shards.ring.shards();
  }

  /** A batch of commands sent together, spanning shards; answers in call order. */
  pipeline(): Pipeline {
    return new Pipeline(this.parts.route);
  }

  /** An atomic MULTI/EXEC on one shard (co-locate keys with {hash tags}). */
  multi(): Transaction {
    return new Transaction(this.parts.route);
  }

  /**
   * An optimistic transaction on the shard of `keys` (one shard, else CrossShardError): WATCH on a
   * connection of its own, then `fn(tx)` reads through `tx` and returns `tx.multi()…` to commit.
   * Resolves with EXEC's replies; a conflict re-runs `fn` (up to `attempts`, then
   * WatchConflictError). Anything else `fn` returns aborts (UNWATCH) and is the result.
   */
  watch<T>(keys: Arg | readonly Arg[], fn: (tx: WatchScope) => T | Promise<T>, options?: WatchOptions): Promise<WatchResult<T>> {
    return runWatch(this.parts.route, keys, fn, options);
  }

  /**
   * MONITOR on a connection of its own per shard (one shard by name, or every shard): an async
   * iterable of the commands the nodes run. End it with `close()` or `break`.
   */
  async monitor(shard?: string, options?: MonitorOptions): Promise<Monitor> {
    await this.parts.route.ready();
    if (shard === undefined) return Monitor.open(this.parts.shards.onRing(), options);
    const one = this.parts.shards.shard(shard);
    if (one === undefined) throw new InvalidArgumentError(`monitor: no shard named '${String(shard)}'`);
    return Monitor.open([one], options);
  }

  /**
   * A new client with this one's options, changed by `overrides` (another db, other credentials…):
   * its own connections, local cache and subscriptions. Close it on its own.
   */
  duplicate(overrides: Partial<RingClientOptions> = {}): RingClient {
    return new RingClient({ ...this.options, ...overrides });
  }

  /** QUIT done safely: like close(), in-flight commands are answered first; resolves 'OK'. */
  async quit(): Promise<'OK'> {
    await this.close();
    return 'OK';
  }

  /**
   * Subscribes to channels, each on the shard that owns its name (where this client's publish()
   * sends). Resolves once every shard confirmed; deliver with events or `for await`. With
   * `{ buffers: true }` message payloads are Buffers, byte for byte.
   */
  subscribe(channels: string | readonly string[], options: SubscriptionOptions & { buffers: true }): Promise<Subscription<Buffer>>;
  /** SUBSCRIBE: the same, with message payloads as UTF-8 strings (the default). */
  subscribe(channels: string | readonly string[], options?: SubscriptionOptions & { buffers?: false }): Promise<Subscription>;
  subscribe(channels: string | readonly string[], options?: SubscriptionOptions): Promise<Subscription<string> | Subscription<Buffer>> {
    return options?.buffers === true ? this.parts.pubsub.open<Buffer>('channel', channels, options) : this.parts.pubsub.open<string>('channel', channels, options);
  }

  /** PSUBSCRIBE: subscribes to glob patterns on every shard, so matching messages from all shards arrive; with `{ buffers: true }` payloads are Buffers. */
  psubscribe(patterns: string | readonly string[], options: SubscriptionOptions & { buffers: true }): Promise<Subscription<Buffer>>;
  /** PSUBSCRIBE: the same, with message payloads as UTF-8 strings (the default). */
  psubscribe(patterns: string | readonly string[], options?: SubscriptionOptions & { buffers?: false }): Promise<Subscription>;
  psubscribe(patterns: string | readonly string[], options?: SubscriptionOptions): Promise<Subscription<string> | Subscription<Buffer>> {
    return options?.buffers === true ? this.parts.pubsub.open<Buffer>('pattern', patterns, options) : this.parts.pubsub.open<string>('pattern', patterns, options);
  }

  /** SSUBSCRIBE: subscribes to shard channels, each on the shard owning its name (placed like keys; publish with spublish()); with `{ buffers: true }` payloads are Buffers. */
  ssubscribe(channels: string | readonly string[], options: SubscriptionOptions & { buffers: true }): Promise<Subscription<Buffer>>;
  /** SSUBSCRIBE: the same, with message payloads as UTF-8 strings (the default). */
  ssubscribe(channels: string | readonly string[], options?: SubscriptionOptions & { buffers?: false }): Promise<Subscription>;
  ssubscribe(channels: string | readonly string[], options?: SubscriptionOptions): Promise<Subscription<string> | Subscription<Buffer>> {
    return options?.buffers === true ? this.parts.pubsub.open<Buffer>('shard', channels, options) : this.parts.pubsub.open<string>('shard', channels, options);
  }

  /** Publishes on the shard owning `channel`; resolves how many of that node's clients received it. */
  publish(channel: Arg, message: Arg): Promise<number> {
    return this.run(['PUBLISH', channel, message], D.int);
  }

  /** SPUBLISH: publishes `message` to a shard channel, on the shard that owns the channel; resolves how many of that shard's clients received it. */
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
    if (!Array.isArray(channels)) throw new InvalidArgumentError('pubsubNumsub: channels must be an array');
    const counts = await Promise.all(channels.map((ch) => this.send(['PUBSUB', 'NUMSUB', ch], { shard: this.locate(ch) }).then(D.strList)));
    const out = Object.create(null) as Record<string, number>;
    channels.forEach((ch, i) => (out[ch] = Number(counts[i]![1] ?? 0)));
    return out;
  }

  /** A snapshot per shard: in flight, queued, waiting, pool sizes, connection states, errors, subscriptions. */
  stats(): ClientStats {
    const p = this.parts;
    return clientStats({ shards: p.shards.all(), health: p.health, pubsub: p.pubsub.stats(), cache: p.cache, readYourWrites: p.readYourWrites });
  }

  /**
   * Counters per shard (commands, errors by code, timeouts, reconnects, a sampled latency
   * histogram) and the local cache's (hits, misses, invalidations, hot keys now): see ClientMetrics.
   */
  metrics(): ClientMetrics {
    return clientMetrics(this.parts.shards.all(), this.parts.cache);
  }

  /**
   * Registers the metrics() figures as collectors in a prom-client Registry the application has
   * (read at scrape time); returns a function that removes them. Several clients in one registry
   * need distinct `prefix`es (or labels).
   */
  registerMetrics(registry: PromRegistry, options?: RegisterMetricsOptions): () => void {
    return registerMetrics(registry, () => this.metrics(), options);
  }

  /** Ends subscriptions, then closes every connection after in-flight commands are answered; then 'end'. */
  close(): Promise<void> {
    this.closing ??= this.parts.close().then(() => void this.emit('end'));
    return this.closing;
  }
}
