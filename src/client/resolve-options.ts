/**
 * The client's options resolved: the single validator (`resolveOptions`, option names checked by
 * option-names.ts) and the only place defaults are applied; everything downstream reads the result
 * (ResolvedOptions, and the resolved config of each part below). Imports nothing of the client but
 * transport types, so every part can import its config from here.
 */

import { ConfigError } from '../errors.js';
import { DEFAULT_MAX_BULK } from '../protocol/arg-check.js';
import { checkOptionNames, type OptionShape } from './option-names.js';
import type { CommandsOptions, EjectOptions, LocalCacheOptions, MissOptions, PoolOptions, ReadFrom, ReadYourWritesOptions, RingClientOptions, ShardConfig, ShardDownPolicy } from './options.js';
import type { ConnectionOptions, RetryStrategy } from './transport/connection.js';
import { Endpoints, resolveTls } from './transport/endpoints.js';

/** Learned commands, resolved (routing/command-catalog.ts). */
export interface CommandsConfig {
  learn: boolean;
  /** Lower-case names. */
  fromServer: readonly string[];
}

/** Every key of T, each with the shape of what it holds (so a new option must be added here). */
type Shapes<T> = { readonly [K in keyof Required<T>]: OptionShape };

const RETRY_SHAPE = { baseDelayMs: 'open', maxDelayMs: 'open' } as const satisfies Shapes<NonNullable<RingClientOptions['reconnect']>>;

/** The names `resolveOptions` accepts, nested objects included (option-names.ts checks them). */
const OPTION_SHAPE = {
  shards: { each: { name: 'open', master: 'open', replicas: 'open', weight: 'open', tls: 'open' } satisfies Shapes<ShardConfig> },
  sentinels: 'open',
  masters: 'open',
  sentinelUsername: 'open',
  sentinelPassword: 'open',
  sentinelTls: 'open',
  sentinelRecheckMs: 'open',
  sentinelTimeoutMs: 'open',
  replicaCheckMs: 'open',
  vnodes: 'open',
  readFrom: 'open',
  pool: { size: 'open', maxInFlight: 'open', maxWaiting: 'open', maxExclusive: 'open', acquireTimeoutMs: 'open' } satisfies Shapes<PoolOptions>,
  commandTimeoutMs: 'open',
  connectTimeoutMs: 'open',
  keepAliveMs: 'open',
  username: 'open',
  password: 'open',
  db: 'open',
  tls: 'open',
  clientName: 'open',
  protocol: 'open',
  offlineQueueMax: 'open',
  reconnect: RETRY_SHAPE,
  retryStrategy: 'open',
  retryOnDisconnect: 'open',
  localCache: {
    hotThreshold: 'open', ttlMs: 'open', jitter: 'open', maxEntries: 'open', maxBytes: 'open', prefixes: 'open',
    windowMs: 'open', maxHotKeys: 'open', tracking: 'open',
  } satisfies Shapes<LocalCacheOptions>,
  readYourWrites: { windowMs: 'open', wait: { replicas: 'open', timeoutMs: 'open' }, slots: 'open' } satisfies Shapes<ReadYourWritesOptions>,
  keyPrefix: 'open',
  maxBulkBytes: 'open',
  commands: { learn: 'open', fromServer: 'open' } satisfies Shapes<CommandsOptions>,
  onShardDown: {
    miss: { writes: 'open' } satisfies Shapes<MissOptions>,
    eject: { afterFailedChecks: 'open', checkIntervalMs: 'open', restoreAfterChecks: 'open' } satisfies Shapes<EjectOptions>,
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
