/**
 * The client's options as an application writes them (RingClientOptions and its parts). One
 * spelling per concept. resolve-options.ts checks them and applies every default.
 */

import type { RetryStrategy } from './transport/connection.js';
import type { TlsOption } from './transport/endpoints.js';

export type { RetryStrategy } from './transport/connection.js';
export type { TlsOption } from './transport/endpoints.js';

/** One shard of `shards`: its name (the ring's identity), its master and replicas. */
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

/**
 * Where read-only commands go: 'master' (default); 'replica': round-robin over the shard's
 * readable replicas; 'prefer-replica': over those also connected. Both fall back to the master
 * when no replica qualifies.
 */
export type ReadFrom = 'master' | 'replica' | 'prefer-replica';

/** The connections kept to each node (`pool`). */
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

/** The hot-key local cache (`localCache`): only keys read more often than `hotThreshold` are cached. */
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
  wait?:
    | boolean
    | {
        /** Replicas that must acknowledge (WAIT numreplicas). Default: every replica of the shard. */
        replicas?: number;
        /** WAIT's timeout, in ms (at most windowMs). Default 100. */
        timeoutMs?: number;
      };
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
export type ShardDownPolicy =
  | 'fail-fast'
  | 'miss'
  | {
      /** Answer reads as misses; what writes do. */
      miss: MissOptions;
    }
  | {
      /** Take the shard off the ring after failed health checks. */
      eject: EjectOptions;
    };

/** `new RingClient(options)`: the shards (or the Sentinels that name them) and how to talk to them. Unknown names throw InvalidOptionError. */
export interface RingClientOptions {
  /** Static mode: the shards, each with a name, a master and optional replicas. Excludes `sentinels`. */
  shards?: readonly ShardConfig[];
  /**
   * Sentinel mode: Sentinel addresses, and one master name per shard (the shard's name). Excludes
   * `shards`. `new RingClient` returns at once and commands wait (up to connectTimeoutMs) for the
   * masters to be found; `await RingClient.connect(options)` resolves once they are.
   */
  sentinels?: readonly string[];
  /** Sentinel mode: the master names Sentinel monitors, one per shard (each becomes that shard's name). */
  masters?: readonly string[];
  /** Sentinel mode: ACL user and password for the Sentinels (a Sentinel URL's own win). */
  sentinelUsername?: string;
  /** Sentinel mode: the Sentinels' password (with `sentinelUsername`, or alone for `requirepass`). */
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
  /** Where read-only commands go. Default 'master'. */
  readFrom?: ReadFrom;
  /** Connections per node. */
  pool?: PoolOptions;
  /** Per-command timeout, on by default (5000 ms); 0 disables. */
  commandTimeoutMs?: number;
  /** Bound of each connect attempt (TCP, TLS and handshake), and of `RingClient.connect()`. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** TCP keepalive initial delay (ms); 0 disables. Default 30 000. */
  keepAliveMs?: number;
  /** ACL user and password for every data node (a node URL's own credentials win). */
  username?: string;
  /** The password for every data node (with `username`, or alone for `requirepass`). */
  password?: string;
  /** Database selected on every connection (a node URL's `/db` wins). */
  db?: number;
  /** TLS to every data node: `true` (Node's default CAs) or node:tls options (ca, cert, key, servername…). */
  tls?: TlsOption;
  /** The connection name set at each handshake (HELLO SETNAME / CLIENT SETNAME; shows in CLIENT LIST). */
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
  /** Reconnect backoff: the delay doubles from `baseDelayMs` up to `maxDelayMs`, each delay randomized between half and all of it. */
  reconnect?: {
    /** The first delay. Default 50 ms. */
    baseDelayMs?: number;
    /** The largest delay. Default 2000 ms. */
    maxDelayMs?: number;
  };
  /**
   * Instead of `reconnect`: the pause (ms) before reconnect attempt `attempt` (1, 2, …) after
   * `error`; null stops reconnecting to that node for good (its commands then fail with
   * ReconnectStoppedError). A down master is still re-tried at least every 250 ms.
   */
  retryStrategy?: RetryStrategy;
  /** Re-send read-only/idempotent commands once after their connection died. Default true. */
  retryOnDisconnect?: boolean;
  /** The hot-key local cache; off unless given. */
  localCache?: LocalCacheOptions | false;
  /** Replica reads see this client's own recent writes (see ReadYourWritesOptions). Default false. */
  readYourWrites?: boolean | ReadYourWritesOptions;
  /** What a shard whose master is unreachable does to its commands (see ShardDownPolicy). Default 'fail-fast'. */
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
