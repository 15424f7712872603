/**
 * Every error ringcache raises, client and server side. Each class carries a stable `code`
 * (documented in docs/errors.md) so callers match on `err.code`, never on message text.
 *
 * Invariant: no module throws a bare `Error`; add a class (or a code) here instead.
 */

export type ErrorCode =
  | 'ERR_PROTOCOL'
  | 'ERR_REPLY'
  | 'ERR_INVALID_ARG'
  | 'ERR_UNKNOWN_COMMAND'
  | 'ERR_CROSS_SHARD'
  | 'ERR_NO_SHARDS'
  | 'ERR_CONNECTION_CLOSED'
  | 'ERR_CONNECT_TIMEOUT'
  | 'ERR_COMMAND_TIMEOUT'
  | 'ERR_OFFLINE_QUEUE_FULL'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_SHARD_DOWN'
  | 'ERR_FAILOVER'
  | 'ERR_SENTINEL'
  | 'ERR_POOL'
  | 'ERR_CONFIG'
  | 'ERR_PERSISTENCE'
  | 'ERR_REPLICATION'
  | 'ERR_PUBSUB_OVERFLOW'
  | 'ERR_HANDLER_CONFLICT'
  | 'ERR_RDB_FORMAT'
  | 'ERR_SCRIPT_ENGINE';

/** Base class: every ringcache error is an instance of this and has a `code`. */
export class RingcacheError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A malformed RESP stream (bad type byte, bad length, size limit exceeded). */
export class ProtocolError extends RingcacheError {
  constructor(message: string) {
    super('ERR_PROTOCOL', message);
  }
}

/**
 * A `-ERR …` style reply from a server. `prefix` is the first word (`ERR`, `WRONGTYPE`, `MOVED`,
 * `READONLY`, …) so callers can branch on the server's error class.
 */
export class ReplyError extends RingcacheError {
  readonly prefix: string;
  constructor(message: string) {
    super('ERR_REPLY', message);
    const sp = message.indexOf(' ');
    this.prefix = sp === -1 ? message : message.slice(0, sp);
  }
}

/** A caller passed an argument the API cannot send (wrong type, missing key, bad option value). */
export class InvalidArgumentError extends RingcacheError {
  constructor(message: string) {
    super('ERR_INVALID_ARG', message);
  }
}

/** Client or server options failed validation. */
export class ConfigError extends RingcacheError {
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}

/**
 * A command name the client cannot route: not in the command table, and learning it from the
 * servers is off (`commands.learn: false`) or failed (`detail` says how).
 */
export class UnknownCommandError extends RingcacheError {
  constructor(name: string, detail?: string) {
    super('ERR_UNKNOWN_COMMAND', detail === undefined ? `unknown command '${name}'` : `unknown command '${name}': ${detail}`);
  }
}

/** Keys of one indivisible command (or transaction) live on different shards. */
export class CrossShardError extends RingcacheError {
  readonly shards: readonly string[];
  constructor(command: string, shards: readonly string[]) {
    super(
      'ERR_CROSS_SHARD',
      `${command}: keys map to different shards (${shards.join(', ')}); use {hash tags} to co-locate them`,
    );
    this.shards = shards;
  }
}

/** The connection carrying a command closed before its reply arrived. */
export class ConnectionClosedError extends RingcacheError {
  /** True when the command may be safely retried (it never reached the server, or is read-only). */
  readonly retryable: boolean;
  constructor(message: string, retryable = false) {
    super('ERR_CONNECTION_CLOSED', message);
    this.retryable = retryable;
  }
}

/** Connecting did not complete within `connectTimeoutMs`. */
export class ConnectTimeoutError extends RingcacheError {
  constructor(address: string, ms: number) {
    super('ERR_CONNECT_TIMEOUT', `connect to ${address} timed out after ${ms} ms`);
  }
}

/** No reply within `commandTimeoutMs`. */
export class CommandTimeoutError extends RingcacheError {
  constructor(command: string, ms: number) {
    super('ERR_COMMAND_TIMEOUT', `${command} timed out after ${ms} ms`);
  }
}

/** The bounded queue of commands waiting for a connection is full. */
export class OfflineQueueFullError extends RingcacheError {
  constructor(limit: number) {
    super('ERR_OFFLINE_QUEUE_FULL', `offline queue is full (${limit} commands); the node is unreachable`);
  }
}

/** The client was closed; no further commands are accepted. */
export class ClientClosedError extends RingcacheError {
  constructor() {
    super('ERR_CLIENT_CLOSED', 'the client is closed');
  }
}

/**
 * The shard's master is unreachable (its last connect attempt failed and no connection is ready),
 * so the command was refused without reaching it (or was a read-only command re-queued after its
 * connection died): retrying is safe once the node is back or a failover replaced it (`retryable`).
 */
export class ShardDownError extends RingcacheError {
  readonly shard: string;
  readonly retryable = true;
  constructor(shard: string, message: string) {
    super('ERR_SHARD_DOWN', `shard '${shard}': ${message}`);
    this.shard = shard;
  }
}

/**
 * The command was in flight on a shard's master when the topology replaced that master (a
 * failover). It may or may not have run on the old master; it is safe to retry on the new one
 * when idempotent, which is why `retryable` is true.
 */
export class FailoverError extends RingcacheError {
  readonly shard: string;
  readonly from: string;
  readonly to: string;
  readonly retryable = true;
  constructor(shard: string, from: string, to: string) {
    super('ERR_FAILOVER', `shard '${shard}': master moved from ${from} to ${to} while the command was in flight`);
    this.shard = shard;
    this.from = from;
    this.to = to;
  }
}

/** No Sentinel answered, or none of them knows a master (`err.master` names it, when known). */
export class SentinelError extends RingcacheError {
  readonly master: string | null;
  readonly retryable = true;
  constructor(message: string, master: string | null = null, options?: { cause?: unknown }) {
    super('ERR_SENTINEL', message, options);
    this.master = master;
  }
}

/** A node's pool could not take the command: every connection is at its in-flight cap and the wait queue is full, or no exclusive connection came free in time. */
export class PoolExhaustedError extends RingcacheError {
  constructor(message: string) {
    super('ERR_POOL', message);
  }
}

/** The storage node could not read or write its data files (AOF, snapshot). */
export class PersistenceError extends RingcacheError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_PERSISTENCE', message, options);
  }
}

/** The node's replication link failed (bad framing from the master, a dataset flushed mid-transfer…); the link is retried. */
export class ReplicationError extends RingcacheError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_REPLICATION', message, options);
  }
}

/** A slow async-iterator consumer of a Subscription let more than `maxBuffered` messages pile up. */
export class PubSubOverflowError extends RingcacheError {
  /** Messages dropped so far on this subscription. */
  readonly dropped: number;
  constructor(limit: number, dropped: number) {
    super('ERR_PUBSUB_OVERFLOW', `subscription buffer full (${limit} messages): the consumer is too slow; the subscription was closed`);
    this.dropped = dropped;
  }
}

/** Server wiring: one command has handlers in two families (the node refuses to start). */
export class HandlerConflictError extends RingcacheError {
  constructor(
    readonly command: string,
    readonly first: string,
    readonly second: string,
  ) {
    super('ERR_HANDLER_CONFLICT', `command '${command}' has a handler in both '${first}' and '${second}'`);
  }
}

/** Node side: a serialized value (a DUMP payload, an RDB-encoded value) is malformed; RESTORE answers "Bad data format". */
export class RdbFormatError extends RingcacheError {
  constructor(message: string) {
    super('ERR_RDB_FORMAT', message);
  }
}

/** Node side: the Lua VM failed to set itself up (a built-in library or prelude did not load). */
export class ScriptEngineError extends RingcacheError {
  constructor(message: string) {
    super('ERR_SCRIPT_ENGINE', message);
  }
}
