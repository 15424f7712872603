/**
 * The client's options: types, defaults and the single validator. One spelling per concept.
 * `resolveOptions` is the only place defaults are applied; everything downstream reads the result
 * (ResolvedOptions, and the resolved config of each part below). Imports nothing of the client but
 * a transport type, so every part can import its config from here.
 */

import { ConfigError } from '../errors.js';
import { DEFAULT_MAX_BULK } from '../protocol/arg-check.js';
import { checkOptionNames, type OptionShape } from './option-names.js';
import type { ConnectionOptions, RetryStrategy } from './transport/connection.js';
import { Endpoints, resolveTls, type TlsOption } from './transport/endpoints.js';

export type { RetryStrategy } from './transport/connection.js';
export type { TlsOption } from './transport/endpoints.js';

export interface ShardConfig {
  /** Stable shard name: the ring is built from names, so a failover (new address) never moves keys. */
  name: string;
  /**
   * The shard's master: `host:port`, `redis://[user[:password]@]host[:port][/db]` or `rediss://…`
   * (TLS). Credentials and db from a URL apply to that node only.
   */
  master: string;
  /** Replicas (read routing), in the same forms as `master`. */
  replicas?: readonly string[];
  /** Scales the shard's virtual nodes (default 1). */
  weight?: number;
  /** TLS for this shard's nodes, instead of the client-wide `tls`. */
  tls?: TlsOption;
}

export type ReadFrom = 'master' | 'replica' | 'prefer-replica';

export interface PoolOptions {
  /** Multiplexed connections per node endpoint (commands go to the least loaded). Default 1. */
  size?: number;
  /** Commands in flight per connection before new ones wait (backpressure). Default 10 000. */
  maxInFlight?: number;
  /** Commands allowed to wait for capacity per node before they are refused. Default 10 000. */
  maxWaiting?: number;
  /** Exclusive connections per node (transactions with WATCH, blocking pops, pub/sub). Default 8. */
  maxExclusive?: number;
  /** How long to wait for an exclusive connection. Default 5000 ms. */
  acquireTimeoutMs?: number;
}

export interface LocalCacheOptions {
  /** Reads per second above which a key is hot and cached locally. Default 100. */
  hotThreshold?: number;
  /** Local TTL of a cached value. Default 1000 ms. */
  ttlMs?: number;
  /** Random extra TTL, as a fraction of ttlMs (0–1). Default 0.1. */
  jitter?: number;
  /** Most cached answers. Default 10 000. */
  maxEntries?: number;
  /** Most bytes of cached answers (approximate heap size). Default 64 MiB. */
  maxBytes?: number;
  /** Only keys with one of these prefixes may be cached (default: any key). */
  prefixes?: readonly string[];
  /** Hot-key detection window (counts decay by half per window). Default 1000 ms. */
  windowMs?: number;
  /** Most keys the detector holds as hot at once (the rest are counted in fixed memory). Default 1024. */
  maxHotKeys?: number;
  /** Server-assisted invalidation (CLIENT TRACKING). false: staleness bounded by the TTL only. Default true. */
  tracking?: boolean;
}

/**
 * Read-your-writes for replica reads: after this client writes a key, its reads of that key go to
 * the master until the window passes (or, with `wait`, until the replicas acknowledged the write).
 */
export interface ReadYourWritesOptions {
  /** How long after a write the key's reads stay on the master, at most. Default 1000 ms. */
  windowMs?: number;
  /**
   * Also send `WAIT` after each single-key write, on the write's connection; once enough replicas
   * acknowledged it, the key's reads go back to the replicas before the window ends. `true`:
   * every replica of the shard, WAIT timeout 100 ms (at most windowMs). Default false.
   */
  wait?: boolean | { replicas?: number; timeoutMs?: number };
  /** Slots of the fixed-size table of written keys, per shard (a power of two). Default 1024. */
  slots?: number;
}

/** Ejection of a shard whose master stops answering (static `shards` only). */
export interface EjectOptions {
  /** Consecutive failed PINGs of the master before the shard leaves the ring. Default 3. */
  afterFailedChecks?: number;
  /** Time between PINGs of each master; also each PING's timeout. Default 1000 ms. */
  checkIntervalMs?: number;
  /** Consecutive answered PINGs before an ejected shard rejoins the ring. Default afterFailedChecks. */
  restoreAfterChecks?: number;
}

/** `onShardDown: { miss }`: what writes to a down shard do. */
export interface MissOptions {
  /** 'reject' (default): ShardDownError. 'drop': not sent, resolved with null. */
  writes?: 'reject' | 'drop';
}

/**
 * What happens to a shard whose master is unreachable when no failover replaces it.
 * 'fail-fast' (default): its commands reject at once with ShardDownError until it answers again.
 * 'miss' (or `{ miss: { writes } }`): for caches — its reads answer as misses (null, empty, 0),
 * fan-out returns partial results, writes reject with ShardDownError (or are dropped).
 * `{ eject }`: take it off the ring after failed health checks, so its keys map to the others.
 */
export type ShardDownPolicy = 'fail-fast' | 'miss' | { miss: MissOptions } | { eject: EjectOptions };

export interface RingClientOptions {
  shards?: readonly ShardConfig[];
  /**
   * Sentinel mode: Sentinel addresses, and one master name per shard (the shard's name). Excludes
   * `shards`. `new RingClient` returns at once and commands wait (up to connectTimeoutMs) for the
   * masters to be found; `await RingClient.connect(options)` resolves once they are.
   */
  sentinels?: readonly string[];
  masters?: readonly string[];
  /** Sentinel mode: ACL user and password for the Sentinels (a Sentinel URL's own win). */
  sentinelUsername?: string;
  sentinelPassword?: string;
  /** Sentinel mode: TLS to the Sentinels (`rediss://` Sentinel addresses use it too). */
  sentinelTls?: TlsOption;
  /** Sentinel mode: how often every master is re-resolved as a backstop for missed events. Default 10000. */
  sentinelRecheckMs?: number;
  /** Sentinel mode: bound (connect + reply) of each Sentinel query and ROLE check. Default 1000. */
  sentinelTimeoutMs?: number;
  /**
   * When reads may go to replicas (readFrom is not 'master'): how often each replica is asked ROLE;
   * one whose link to its master is down is skipped until it is up again. 0 disables. Default 1000.
   */
  replicaCheckMs?: number;
  /** Virtual nodes per shard on the ring. Default 150. */
  vnodes?: number;
  readFrom?: ReadFrom;
  pool?: PoolOptions;
  /** Per-command timeout, on by default (5000 ms); 0 disables. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** TCP keepalive initial delay (ms); 0 disables. Default 30 000. */
  keepAliveMs?: number;
  /** ACL user and password for every data node (a node URL's own credentials win). */
  username?: string;
  password?: string;
  /** Database selected on every connection (a node URL's `/db` wins). */
  db?: number;
  /** TLS to every data node: `true` (Node's default CAs) or node:tls options (ca, cert, key, servername…). */
  tls?: TlsOption;
  clientName?: string;
  /** Preferred RESP version. Default 3, with automatic fallback to 2. */
  protocol?: 2 | 3;
  /** Commands that may wait per node while it is unreachable. Default 1000. */
  offlineQueueMax?: number;
  /**
   * The longest argument sent (bytes): the nodes' proto-max-bulk-len. A longer one is refused
   * before anything is written (a node would drop the connection). Default 512 MiB, Redis's default.
   */
  maxBulkBytes?: number;
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number };
  /**
   * Instead of `reconnect`: the pause (ms) before reconnect attempt `attempt` (1, 2, …) after
   * `error`; null stops reconnecting to that node for good (its commands then fail with
   * ReconnectStoppedError). A down master is still re-tried at least every 250 ms.
   */
  retryStrategy?: RetryStrategy;
  /** Re-send read-only/idempotent commands once after their connection died. Default true. */
  retryOnDisconnect?: boolean;
  localCache?: LocalCacheOptions | false;
  /** Replica reads see this client's own recent writes (see ReadYourWritesOptions). Default false. */
  readYourWrites?: boolean | ReadYourWritesOptions;
  /** Default 'fail-fast'. */
  onShardDown?: ShardDownPolicy;
  /**
   * Prepended to every key a command names (by the command table, or the server's COMMAND INFO),
   * including fan-out, scripts' KEYS and SCAN/KEYS patterns; keys in replies (SCAN, KEYS, BLPOP…)
   * come back without it. Default '' (none).
   */
  keyPrefix?: string;
  /** Commands the built-in table lacks, learned from the servers (see CommandsOptions). */
  commands?: CommandsOptions;
}

/**
 * A command the built-in table lacks (a newer server's, a module's) is learned on first use from
 * the servers (COMMAND INFO: arity, flags, key specs, tips) and routed like a built-in one.
 */
export interface CommandsOptions {
  /** Learn commands the table lacks. false: `call()` refuses them with UnknownCommandError. Default true. */
  learn?: boolean;
  /**
   * Names to learn from the servers although the table has them: a server whose version or
   * modules declare them differently. Default none.
   */
  fromServer?: readonly string[];
}

/** Learned commands, resolved (routing/command-catalog.ts). */
export interface CommandsConfig {
  learn: boolean;
  /** Lower-case names. */
  fromServer: readonly string[];
}

/** Every key of T, each with the shape of what it holds (so a new option must be added here). */
type Shapes<T> = { readonly [K in keyof Required<T>]: OptionShape };

const RETRY_SHAPE = { baseDelayMs: 'any', maxDelayMs: 'any' } as const satisfies Shapes<NonNullable<RingClientOptions['reconnect']>>;

/** The names `resolveOptions` accepts, nested objects included (option-names.ts checks them). */
const OPTION_SHAPE = {
  shards: { each: { name: 'any', master: 'any', replicas: 'any', weight: 'any', tls: 'any' } satisfies Shapes<ShardConfig> },
  sentinels: 'any',
  masters: 'any',
  sentinelUsername: 'any',
  sentinelPassword: 'any',
  sentinelTls: 'any',
  sentinelRecheckMs: 'any',
  sentinelTimeoutMs: 'any',
  replicaCheckMs: 'any',
  vnodes: 'any',
  readFrom: 'any',
  pool: { size: 'any', maxInFlight: 'any', maxWaiting: 'any', maxExclusive: 'any', acquireTimeoutMs: 'any' } satisfies Shapes<PoolOptions>,
  commandTimeoutMs: 'any',
  connectTimeoutMs: 'any',
  keepAliveMs: 'any',
  username: 'any',
  password: 'any',
  db: 'any',
  tls: 'any',
  clientName: 'any',
  protocol: 'any',
  offlineQueueMax: 'any',
  reconnect: RETRY_SHAPE,
  retryStrategy: 'any',
  retryOnDisconnect: 'any',
  localCache: {
    hotThreshold: 'any', ttlMs: 'any', jitter: 'any', maxEntries: 'any', maxBytes: 'any', prefixes: 'any',
    windowMs: 'any', maxHotKeys: 'any', tracking: 'any',
  } satisfies Shapes<LocalCacheOptions>,
  readYourWrites: { windowMs: 'any', wait: { replicas: 'any', timeoutMs: 'any' }, slots: 'any' } satisfies Shapes<ReadYourWritesOptions>,
  keyPrefix: 'any',
  maxBulkBytes: 'any',
  commands: { learn: 'any', fromServer: 'any' } satisfies Shapes<CommandsOptions>,
  onShardDown: {
    miss: { writes: 'any' } satisfies Shapes<MissOptions>,
    eject: { afterFailedChecks: 'any', checkIntervalMs: 'any', restoreAfterChecks: 'any' } satisfies Shapes<EjectOptions>,
  },
} as const satisfies Shapes<RingClientOptions>;

/** The local cache, resolved (cache/). */
export interface LocalCacheConfig {
  hotThreshold: number;
  ttlMs: number;
  /** Fraction of ttlMs added at random (0–1). */
  jitter: number;
  maxEntries: number;
  maxBytes: number;
  prefixes: readonly string[];
  windowMs: number;
  maxHotKeys: number;
  /** Use CLIENT TRACKING for invalidation (else TTL only). */
  tracking: boolean;
  now?: () => number;
}

/** Read-your-writes, resolved (routing/read-your-writes.ts). */
export interface ReadYourWritesConfig {
  windowMs: number;
  /** null: window only. replicas null: every replica the shard has. */
  wait: { replicas: number | null; timeoutMs: number } | null;
  /** Table size per shard, a power of two. */
  slots: number;
}

/** Shard ejection, resolved (topology/shard-health.ts). */
export interface EjectConfig {
  afterFailedChecks: number;
  checkIntervalMs: number;
  restoreAfterChecks: number;
}

/** onShardDown, resolved: what a down shard's commands get (ejection is `eject`). */
export interface ShardDownConfig {
  /** 'miss': reads answer as misses. */
  mode: 'fail-fast' | 'miss';
  /** With 'miss': writes reject, or are dropped (resolved with null). */
  writes: 'reject' | 'drop';
}

/** A shard of `shards`, its addresses as ids (`host:port[/db]`, see transport/address.ts). */
export interface ResolvedShard {
  name: string;
  master: string;
  replicas: string[];
  weight?: number;
}

export interface ResolvedOptions {
  shards: ResolvedShard[];
  /** Sentinel mode: empty when shards are given. Ids (`host:port`). */
  sentinels: string[];
  masters: string[];
  /** Connection settings of every data node address (URL credentials, db, TLS over the defaults). */
  nodes: Endpoints;
  /** The same for the Sentinels. */
  sentinelNodes: Endpoints;
  sentinelRecheckMs: number;
  sentinelTimeoutMs: number;
  replicaCheckMs: number;
  vnodes: number;
  readFrom: ReadFrom;
  pool: Required<PoolOptions>;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  keepAliveMs: number;
  username: string | undefined;
  password: string | undefined;
  db: number;
  clientName: string | undefined;
  protocol: 2 | 3;
  offlineQueueMax: number;
  maxBulkBytes: number;
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  retryStrategy: RetryStrategy | null;
  retryOnDisconnect: boolean;
  /** null: no local cache. */
  localCache: LocalCacheConfig | null;
  /** null: reads never look at this client's writes. */
  readYourWrites: ReadYourWritesConfig | null;
  /** null: no health checks, no ejection. */
  eject: EjectConfig | null;
  commands: CommandsConfig;
  shardDown: ShardDownConfig;
  /** '' when not set. */
  keyPrefix: string;
}

function nonNegInt(name: string, v: number | undefined, def: number): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < 0) throw new ConfigError(`${name} must be a non-negative integer, got ${String(v)}`);
  return v;
}

function posInt(name: string, v: number | undefined, def: number): number {
  const n = nonNegInt(name, v, def);
  if (n === 0) throw new ConfigError(`${name} must be at least 1`);
  return n;
}

/** Connection settings for one data node (its address id) under the client's options. */
export function connectionOptionsFor(o: ResolvedOptions, address: string): ConnectionOptions {
  const e = o.nodes.get(address);
  return {
    host: e.host,
    port: e.port,
    address: e.id,
    tls: e.tls,
    retryStrategy: o.retryStrategy,
    connectTimeoutMs: o.connectTimeoutMs,
    commandTimeoutMs: o.commandTimeoutMs,
    keepAliveMs: o.keepAliveMs,
    username: e.username,
    password: e.password,
    db: e.db,
    clientName: o.clientName,
    protocol: o.protocol,
    offlineQueueMax: o.offlineQueueMax,
    reconnectBaseDelayMs: o.reconnectBaseDelayMs,
    reconnectMaxDelayMs: o.reconnectMaxDelayMs,
    retryOnDisconnect: o.retryOnDisconnect,
  };
}

/** Connection settings for one Sentinel (RESP2, its own credentials and TLS, the default backoff). */
export function sentinelConnectionOptionsFor(o: ResolvedOptions, address: string): ConnectionOptions {
  const e = o.sentinelNodes.get(address);
  return {
    ...connectionOptionsFor(o, '0.0.0.0:1'),
    host: e.host,
    port: e.port,
    address: e.id,
    tls: e.tls,
    retryStrategy: null,
    username: e.username,
    password: e.password,
    db: 0,
    protocol: 2,
  };
}

export function resolveOptions(o: RingClientOptions): ResolvedOptions {
  if (typeof o !== 'object' || o === null) throw new ConfigError('options must be an object: { shards: [{ name, master }] } or { sentinels, masters }');
  checkOptionNames(o, OPTION_SHAPE);
  const given = [...(o.shards ?? [])];
  const masters = [...(o.masters ?? [])];
  if (given.length === 0 && (o.sentinels ?? []).length === 0) {
    throw new ConfigError('give at least one shard (shards: [{ name, master }]) or sentinels + masters');
  }
  const db = nonNegInt('db', o.db, 0);
  const nodes = new Endpoints({ username: o.username, password: o.password, db, tls: resolveTls(o.tls, 'tls') }, 'node');
  const sentinelNodes = new Endpoints({ username: o.sentinelUsername, password: o.sentinelPassword, db: 0, tls: resolveTls(o.sentinelTls, 'sentinelTls') }, 'Sentinel');
  const sentinels = (o.sentinels ?? []).map((a, i) => sentinelNodes.add(a, `sentinels[${i}]`));
  if (sentinels.length > 0) {
    if (given.length > 0) throw new ConfigError('give either shards or sentinels + masters, not both');
    if (masters.length === 0) throw new ConfigError('sentinels need masters: one master name per shard');
    if (new Set(masters).size !== masters.length || masters.some((m) => typeof m !== 'string' || m === '')) {
      throw new ConfigError('masters must be distinct, non-empty names');
    }
  } else if (masters.length > 0) throw new ConfigError('masters need sentinels');
  const shards = resolveShards(given, nodes);
  const readFrom = o.readFrom ?? 'master';
  if (!['master', 'replica', 'prefer-replica'].includes(readFrom)) {
    throw new ConfigError(`readFrom must be 'master', 'replica' or 'prefer-replica', got '${String(readFrom)}'`);
  }
  const protocol = o.protocol ?? 3;
  if (protocol !== 2 && protocol !== 3) throw new ConfigError('protocol must be 2 or 3');
  const p = o.pool ?? {};
  return {
    shards,
    sentinels,
    masters,
    sentinelRecheckMs: posInt('sentinelRecheckMs', o.sentinelRecheckMs, 10_000),
    sentinelTimeoutMs: posInt('sentinelTimeoutMs', o.sentinelTimeoutMs, 1000),
    replicaCheckMs: nonNegInt('replicaCheckMs', o.replicaCheckMs, 1000),
    vnodes: posInt('vnodes', o.vnodes, 150),
    readFrom,
    pool: {
      size: posInt('pool.size', p.size, 1),
      maxInFlight: posInt('pool.maxInFlight', p.maxInFlight, 10_000),
      maxWaiting: nonNegInt('pool.maxWaiting', p.maxWaiting, 10_000),
      maxExclusive: posInt('pool.maxExclusive', p.maxExclusive, 8),
      acquireTimeoutMs: posInt('pool.acquireTimeoutMs', p.acquireTimeoutMs, 5000),
    },
    commandTimeoutMs: nonNegInt('commandTimeoutMs', o.commandTimeoutMs, 5000),
    connectTimeoutMs: posInt('connectTimeoutMs', o.connectTimeoutMs, 5000),
    keepAliveMs: nonNegInt('keepAliveMs', o.keepAliveMs, 30_000),
    username: o.username,
    password: o.password,
    db,
    nodes,
    sentinelNodes,
    clientName: o.clientName,
    protocol,
    offlineQueueMax: nonNegInt('offlineQueueMax', o.offlineQueueMax, 1000),
    maxBulkBytes: posInt('maxBulkBytes', o.maxBulkBytes, DEFAULT_MAX_BULK),
    reconnectBaseDelayMs: posInt('reconnect.baseDelayMs', o.reconnect?.baseDelayMs, 50),
    reconnectMaxDelayMs: posInt('reconnect.maxDelayMs', o.reconnect?.maxDelayMs, 2000),
    retryStrategy: resolveRetryStrategy(o),
    retryOnDisconnect: o.retryOnDisconnect ?? true,
    localCache: resolveLocalCache(o.localCache),
    readYourWrites: resolveReadYourWrites(o.readYourWrites),
    eject: resolveEject(o.onShardDown, sentinels.length > 0),
    shardDown: resolveShardDown(o.onShardDown),
    keyPrefix: resolveKeyPrefix(o.keyPrefix),
    commands: resolveCommands(o.commands),
  };
}

/** Validates the shards and resolves their addresses (recording each node's settings in `nodes`). */
function resolveShards(given: readonly ShardConfig[], nodes: Endpoints): ResolvedShard[] {
  const names = new Set<string>();
  return given.map((s) => {
    if (typeof s.name !== 'string' || s.name === '') throw new ConfigError('every shard needs a non-empty name');
    if (names.has(s.name)) throw new ConfigError(`duplicate shard name '${s.name}'`);
    names.add(s.name);
    if (s.weight !== undefined && !(s.weight > 0 && Number.isFinite(s.weight))) {
      throw new ConfigError(`shard '${s.name}': weight must be a positive number`);
    }
    const tls = s.tls === undefined ? undefined : resolveTls(s.tls, `shard '${s.name}': tls`);
    const out: ResolvedShard = {
      name: s.name,
      master: nodes.add(s.master, `shard '${s.name}' master`, tls),
      replicas: (s.replicas ?? []).map((r, i) => nodes.add(r, `shard '${s.name}' replicas[${i}]`, tls)),
    };
    if (s.weight !== undefined) out.weight = s.weight;
    return out;
  });
}

function resolveKeyPrefix(p: string | undefined): string {
  if (p === undefined) return '';
  if (typeof p !== 'string') throw new ConfigError(`keyPrefix must be a string, got ${typeof p}`);
  return p;
}

function resolveRetryStrategy(o: RingClientOptions): RetryStrategy | null {
  if (o.retryStrategy === undefined) return null;
  if (typeof o.retryStrategy !== 'function') throw new ConfigError('retryStrategy must be a function (attempt, error) => ms | null');
  if (o.reconnect !== undefined) throw new ConfigError('give either reconnect (backoff numbers) or retryStrategy, not both');
  return o.retryStrategy;
}

function resolveCommands(c: CommandsOptions | undefined): CommandsConfig {
  if (c === undefined) return { learn: true, fromServer: [] };
  if (typeof c !== 'object' || c === null) throw new ConfigError('commands must be { learn, fromServer }');
  if (c.learn !== undefined && typeof c.learn !== 'boolean') throw new ConfigError('commands.learn must be a boolean');
  const names = c.fromServer ?? [];
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new ConfigError('commands.fromServer must be a list of command names');
  }
  return { learn: c.learn ?? true, fromServer: names.map((n: string) => n.toLowerCase()) };
}

function resolveReadYourWrites(rw: boolean | ReadYourWritesOptions | undefined): ReadYourWritesConfig | null {
  if (rw === undefined || rw === false) return null;
  const o: ReadYourWritesOptions = rw === true ? {} : rw;
  if (typeof o !== 'object' || o === null) throw new ConfigError('readYourWrites must be a boolean or { windowMs, wait, slots }');
  const windowMs = posInt('readYourWrites.windowMs', o.windowMs, 1000);
  const slots = posInt('readYourWrites.slots', o.slots, 1024);
  if (slots < 16 || slots > 1 << 20 || (slots & (slots - 1)) !== 0) {
    throw new ConfigError(`readYourWrites.slots must be a power of two from 16 to 1048576, got ${slots}`);
  }
  const w = o.wait ?? false;
  if (w === false) return { windowMs, wait: null, slots };
  if (w !== true && (typeof w !== 'object' || w === null)) throw new ConfigError('readYourWrites.wait must be a boolean or { replicas, timeoutMs }');
  const spec = w === true ? {} : w;
  const timeoutMs = posInt('readYourWrites.wait.timeoutMs', spec.timeoutMs, Math.min(100, windowMs));
  if (timeoutMs > windowMs) throw new ConfigError(`readYourWrites.wait.timeoutMs (${timeoutMs}) must not exceed windowMs (${windowMs})`);
  const replicas = spec.replicas === undefined ? null : posInt('readYourWrites.wait.replicas', spec.replicas, 1);
  return { windowMs, wait: { replicas, timeoutMs }, slots };
}

const SHARD_DOWN_FORMS = `onShardDown must be 'fail-fast', 'miss', { miss: { writes: 'reject' | 'drop' } } or { eject: { afterFailedChecks, checkIntervalMs, restoreAfterChecks } }`;

function resolveShardDown(p: ShardDownPolicy | undefined): ShardDownConfig {
  if (p === 'miss') return { mode: 'miss', writes: 'reject' };
  if (typeof p !== 'object' || p === null || !('miss' in p)) return { mode: 'fail-fast', writes: 'reject' };
  const m = p.miss;
  if (typeof m !== 'object' || m === null) throw new ConfigError(SHARD_DOWN_FORMS);
  const writes = m.writes ?? 'reject';
  if (writes !== 'reject' && writes !== 'drop') throw new ConfigError(`onShardDown.miss.writes must be 'reject' or 'drop', got '${String(writes)}'`);
  return { mode: 'miss', writes };
}

function resolveEject(p: ShardDownPolicy | undefined, sentinelMode: boolean): EjectConfig | null {
  if (p === undefined || p === 'fail-fast' || p === 'miss') return null;
  if (typeof p === 'object' && p !== null && 'miss' in p) return null;
  if (typeof p !== 'object' || p === null || !('eject' in p) || typeof p.eject !== 'object' || p.eject === null) {
    throw new ConfigError(SHARD_DOWN_FORMS);
  }
  // Sentinel replaces a dead master with a replica; ejecting the shard meanwhile would move its keys for nothing.
  if (sentinelMode) throw new ConfigError('onShardDown.eject needs a static shards list: with sentinels a failover replaces the master');
  const afterFailedChecks = posInt('onShardDown.eject.afterFailedChecks', p.eject.afterFailedChecks, 3);
  return {
    afterFailedChecks,
    checkIntervalMs: posInt('onShardDown.eject.checkIntervalMs', p.eject.checkIntervalMs, 1000),
    restoreAfterChecks: posInt('onShardDown.eject.restoreAfterChecks', p.eject.restoreAfterChecks, afterFailedChecks),
  };
}

function resolveLocalCache(lc: LocalCacheOptions | false | undefined): LocalCacheConfig | null {
  if (lc === undefined || lc === false) return null;
  const jitter = lc.jitter ?? 0.1;
  if (!(jitter >= 0 && jitter <= 1)) throw new ConfigError('localCache.jitter must be between 0 and 1');
  const hotThreshold = lc.hotThreshold ?? 100;
  if (!(hotThreshold > 0 && Number.isFinite(hotThreshold))) throw new ConfigError('localCache.hotThreshold must be a positive number');
  return {
    hotThreshold,
    ttlMs: posInt('localCache.ttlMs', lc.ttlMs, 1000),
    jitter,
    maxEntries: posInt('localCache.maxEntries', lc.maxEntries, 10_000),
    maxBytes: posInt('localCache.maxBytes', lc.maxBytes, 64 * 1024 * 1024),
    prefixes: [...(lc.prefixes ?? [])],
    windowMs: posInt('localCache.windowMs', lc.windowMs, 1000),
    maxHotKeys: posInt('localCache.maxHotKeys', lc.maxHotKeys, 1024),
    tracking: lc.tracking ?? true,
  };
}
