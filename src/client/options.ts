/**
 * The client's options: types, defaults and the single validator. One spelling per concept.
 * `resolveOptions` is the only place defaults are applied; everything downstream reads the result
 * (ResolvedOptions, and the resolved config of each part below). Imports nothing of the client but
 * a transport type, so every part can import its config from here.
 */

import { ConfigError } from '../errors.js';
import type { ConnectionOptions } from './transport/connection.js';

export interface ShardConfig {
  /** Stable shard name: the ring is built from names, so a failover (new address) never moves keys. */
  name: string;
  /** `host:port` of the shard's master. */
  master: string;
  /** `host:port` of replicas (read routing). */
  replicas?: readonly string[];
  /** Scales the shard's virtual nodes (default 1). */
  weight?: number;
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

/**
 * What happens to a shard whose master is unreachable when no failover replaces it.
 * 'fail-fast' (default): its commands reject at once with ShardDownError until it answers again.
 * `{ eject }`: also take it off the ring after failed health checks, so its keys map to the others.
 */
export type ShardDownPolicy = 'fail-fast' | { eject: EjectOptions };

export interface RingClientOptions {
  shards?: readonly ShardConfig[];
  /**
   * Sentinel mode: Sentinel addresses, and one master name per shard (the shard's name). Excludes
   * `shards`. `new RingClient` returns at once and commands wait (up to connectTimeoutMs) for the
   * masters to be found; `await RingClient.connect(options)` resolves once they are.
   */
  sentinels?: readonly string[];
  masters?: readonly string[];
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
  username?: string;
  password?: string;
  db?: number;
  clientName?: string;
  /** Preferred RESP version. Default 3, with automatic fallback to 2. */
  protocol?: 2 | 3;
  /** Commands that may wait per node while it is unreachable. Default 1000. */
  offlineQueueMax?: number;
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Re-send read-only/idempotent commands once after their connection died. Default true. */
  retryOnDisconnect?: boolean;
  localCache?: LocalCacheOptions | false;
  /** Replica reads see this client's own recent writes (see ReadYourWritesOptions). Default false. */
  readYourWrites?: boolean | ReadYourWritesOptions;
  /** Default 'fail-fast'. */
  onShardDown?: ShardDownPolicy;
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

export interface ResolvedOptions {
  shards: ShardConfig[];
  /** Sentinel mode: empty when shards are given. */
  sentinels: string[];
  masters: string[];
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
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  retryOnDisconnect: boolean;
  /** null: no local cache. */
  localCache: LocalCacheConfig | null;
  /** null: reads never look at this client's writes. */
  readYourWrites: ReadYourWritesConfig | null;
  /** null: fail fast only (no health checks, no ejection). */
  eject: EjectConfig | null;
  commands: CommandsConfig;
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

/** Splits `host:port` (IPv6 as `[::1]:6379`). */
export function parseAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || port < 1 || port > 65535) throw new ConfigError(`invalid address '${address}': expected host:port`);
  return { host: m[1]!, port };
}

/** Connection settings for one node address under the client's options. */
export function connectionOptionsFor(o: ResolvedOptions, address: string): ConnectionOptions {
  const { host, port } = parseAddress(address);
  return {
    host,
    port,
    connectTimeoutMs: o.connectTimeoutMs,
    commandTimeoutMs: o.commandTimeoutMs,
    keepAliveMs: o.keepAliveMs,
    username: o.username,
    password: o.password,
    db: o.db,
    clientName: o.clientName,
    protocol: o.protocol,
    offlineQueueMax: o.offlineQueueMax,
    reconnectBaseDelayMs: o.reconnectBaseDelayMs,
    reconnectMaxDelayMs: o.reconnectMaxDelayMs,
    retryOnDisconnect: o.retryOnDisconnect,
  };
}

export function resolveOptions(o: RingClientOptions): ResolvedOptions {
  const shards = [...(o.shards ?? [])];
  const sentinels = [...(o.sentinels ?? [])];
  const masters = [...(o.masters ?? [])];
  if (shards.length === 0 && sentinels.length === 0) {
    throw new ConfigError('give at least one shard (shards: [{ name, master }]) or sentinels + masters');
  }
  if (sentinels.length > 0) {
    if (shards.length > 0) throw new ConfigError('give either shards or sentinels + masters, not both');
    if (masters.length === 0) throw new ConfigError('sentinels need masters: one master name per shard');
    for (const a of sentinels) parseAddress(a);
    if (new Set(masters).size !== masters.length || masters.some((m) => typeof m !== 'string' || m === '')) {
      throw new ConfigError('masters must be distinct, non-empty names');
    }
  } else if (masters.length > 0) throw new ConfigError('masters need sentinels');
  const names = new Set<string>();
  for (const s of shards) {
    if (typeof s.name !== 'string' || s.name === '') throw new ConfigError('every shard needs a non-empty name');
    if (names.has(s.name)) throw new ConfigError(`duplicate shard name '${s.name}'`);
    names.add(s.name);
    parseAddress(s.master);
    for (const r of s.replicas ?? []) parseAddress(r);
    if (s.weight !== undefined && !(s.weight > 0 && Number.isFinite(s.weight))) {
      throw new ConfigError(`shard '${s.name}': weight must be a positive number`);
    }
  }
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
    db: nonNegInt('db', o.db, 0),
    clientName: o.clientName,
    protocol,
    offlineQueueMax: nonNegInt('offlineQueueMax', o.offlineQueueMax, 1000),
    reconnectBaseDelayMs: posInt('reconnect.baseDelayMs', o.reconnect?.baseDelayMs, 50),
    reconnectMaxDelayMs: posInt('reconnect.maxDelayMs', o.reconnect?.maxDelayMs, 2000),
    retryOnDisconnect: o.retryOnDisconnect ?? true,
    localCache: resolveLocalCache(o.localCache),
    readYourWrites: resolveReadYourWrites(o.readYourWrites),
    eject: resolveShardDown(o.onShardDown, sentinels.length > 0),
    commands: resolveCommands(o.commands),
  };
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

function resolveShardDown(p: ShardDownPolicy | undefined, sentinelMode: boolean): EjectConfig | null {
  if (p === undefined || p === 'fail-fast') return null;
  if (typeof p !== 'object' || p === null || typeof p.eject !== 'object' || p.eject === null) {
    throw new ConfigError(`onShardDown must be 'fail-fast' or { eject: { afterFailedChecks, checkIntervalMs, restoreAfterChecks } }`);
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
