/**
 * Every error ringcache raises, client and server side. Each class carries a stable `code`
 * (documented in docs/errors.md) so callers match on `err.code`, never on message text.
 *
 * Invariant: no module throws a bare `Error`; add a class (or a code) here instead.
 */

/** Every `code` a RingcacheError may carry (docs/errors.md says what each means). */
export type ErrorCode =
  | 'ERR_PROTOCOL'
  | 'ERR_REPLY'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_STATE_COMMAND'
  | 'ERR_WATCH_CONFLICT'
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
  | 'ERR_RECONNECT_STOPPED'
  | 'ERR_POOL'
  | 'ERR_CONFIG'
  | 'ERR_INVALID_OPTION'
  | 'ERR_PERSISTENCE'
  | 'ERR_REPLICATION'
  | 'ERR_PUBSUB_OVERFLOW'
  | 'ERR_HANDLER_CONFLICT'
  | 'ERR_RDB_FORMAT'
  | 'ERR_SCRIPT_ENGINE'
  | 'ERR_FLEET';

/** Base class: every ringcache error is an instance of this and has a `code`. */
export class RingcacheError extends Error {
  /** The stable code to match on (docs/errors.md lists them); each subclass narrows it to its own. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A malformed RESP stream (bad type byte, bad length, size limit exceeded). */
export class ProtocolError extends RingcacheError {
  /** Always `'ERR_PROTOCOL'`. */
  declare readonly code: 'ERR_PROTOCOL';
  constructor(message: string) {
    super('ERR_PROTOCOL', message);
  }
}

/**
 * A `-ERR …` style reply from a server. `prefix` is the first word (`ERR`, `WRONGTYPE`, `MOVED`,
 * `READONLY`, …) so callers can branch on the server's error class.
 */
export class ReplyError extends RingcacheError {
  /** Always `'ERR_REPLY'`. */
  declare readonly code: 'ERR_REPLY';
  /** The reply's first word: `ERR`, `WRONGTYPE`, `NOSCRIPT`, `READONLY`, … */
  readonly prefix: string;
  constructor(message: string) {
    super('ERR_REPLY', message);
    const sp = message.indexOf(' ');
    this.prefix = sp === -1 ? message : message.slice(0, sp);
  }
}

/**
 * A caller passed an argument the API cannot send (wrong type, missing key, bad option value).
 * When a command's argument was refused before anything was written, `command` names the command
 * and `argument` its position in the command (the name is 0: `SET key value` has the value at 2).
 */
export class InvalidArgumentError extends RingcacheError {
  /** Always `'ERR_INVALID_ARGUMENT'`. */
  declare readonly code: 'ERR_INVALID_ARGUMENT';
  /** The command whose argument was refused before sending, else null. */
  readonly command: string | null;
  /** That argument's position in the command (the name is 0), else null. */
  readonly argument: number | null;
  constructor(message: string, at?: { command: string; argument: number }) {
    super('ERR_INVALID_ARGUMENT', message);
    this.command = at?.command ?? null;
    this.argument = at?.argument ?? null;
  }
}

/**
 * A command that changes its connection's state (MULTI, SELECT, CLIENT REPLY, MONITOR, SUBSCRIBE…)
 * was sent through a shared connection, where it would change the state of every other caller's
 * commands. Refused before anything was written; the message says which API does the job instead.
 */
export class StateCommandError extends RingcacheError {
  /** Always `'ERR_STATE_COMMAND'`. */
  declare readonly code: 'ERR_STATE_COMMAND';
  /** The command refused. */
  readonly command: string;
  constructor(command: string, instead: string) {
    super('ERR_STATE_COMMAND', `${command} changes its connection's state and is never sent on a shared connection: ${instead}`);
    this.command = command;
  }
}

/** `client.watch()`: a watched key changed before EXEC on every attempt (EXEC answered null each time). */
export class WatchConflictError extends RingcacheError {
  /** Always `'ERR_WATCH_CONFLICT'`. */
  declare readonly code: 'ERR_WATCH_CONFLICT';
  /** The watched keys. */
  readonly keys: readonly string[];
  /** Attempts made, each ended by a WATCH conflict. */
  readonly attempts: number;
  constructor(keys: readonly string[], attempts: number) {
    super('ERR_WATCH_CONFLICT', `watch: a watched key (${keys.join(', ')}) changed before EXEC on each of ${attempts} attempt(s)`);
    this.keys = keys;
    this.attempts = attempts;
  }
}

/** Client or server options failed validation. */
export class ConfigError extends RingcacheError {
  /** Always `'ERR_CONFIG'`. */
  declare readonly code: 'ERR_CONFIG';
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}

/**
 * An options object has a key the client does not know (a typo, or another client's name for an
 * option): `option` is its path (`pool.maxExclusiv`), `suggestion` the closest valid name when one
 * is close (`pool.maxExclusive`), else null.
 */
export class InvalidOptionError extends RingcacheError {
  /** Always `'ERR_INVALID_OPTION'`. */
  declare readonly code: 'ERR_INVALID_OPTION';
  /** The unknown option's name, with its path (`pool.max`). */
  readonly option: string;
  /** The closest valid name, or null when none is close. */
  readonly suggestion: string | null;
  constructor(option: string, suggestion: string | null, valid: readonly string[]) {
    const hint = suggestion !== null ? `did you mean '${suggestion}'?` : `valid names here: ${valid.join(', ')}`;
    super('ERR_INVALID_OPTION', `unknown option '${option}': ${hint}`);
    this.option = option;
    this.suggestion = suggestion;
  }
}

/**
 * A command name the client cannot route: not in the command table, and learning it from the
 * servers is off (`commands.learn: false`) or failed (`detail` says how).
 */
export class UnknownCommandError extends RingcacheError {
  /** Always `'ERR_UNKNOWN_COMMAND'`. */
  declare readonly code: 'ERR_UNKNOWN_COMMAND';
  constructor(name: string, detail?: string) {
    super('ERR_UNKNOWN_COMMAND', detail === undefined ? `unknown command '${name}'` : `unknown command '${name}': ${detail}`);
  }
}

/** Keys of one indivisible command (or transaction) live on different shards. */
export class CrossShardError extends RingcacheError {
  /** Always `'ERR_CROSS_SHARD'`. */
  declare readonly code: 'ERR_CROSS_SHARD';
  /** The shards the keys map to. */
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
  /** Always `'ERR_CONNECTION_CLOSED'`. */
  declare readonly code: 'ERR_CONNECTION_CLOSED';
  /** True when the command may be safely retried (it never reached the server, or is read-only). */
  readonly retryable: boolean;
  /** `cause`: the socket's own error (ECONNREFUSED, a TLS failure…) when there was one. */
  constructor(message: string, retryable = false, options?: { cause?: unknown }) {
    super('ERR_CONNECTION_CLOSED', message, options);
    this.retryable = retryable;
  }
}

/**
 * Connecting did not complete within `connectTimeoutMs`: one connection (`target` is its address),
 * or `RingClient.connect()` (`shards` names the shards whose master had not answered).
 */
export class ConnectTimeoutError extends RingcacheError {
  /** Always `'ERR_CONNECT_TIMEOUT'`. */
  declare readonly code: 'ERR_CONNECT_TIMEOUT';
  /** RingClient.connect(): the shards that had not answered in time (empty for one connection). */
  readonly shards: readonly string[];
  constructor(target: string, ms: number, options?: { shards?: readonly string[]; cause?: unknown }) {
    super('ERR_CONNECT_TIMEOUT', `connect to ${target} timed out after ${ms} ms`, options);
    this.shards = options?.shards ?? [];
  }
}

/** No reply within `commandTimeoutMs`. */
export class CommandTimeoutError extends RingcacheError {
  /** Always `'ERR_COMMAND_TIMEOUT'`. */
  declare readonly code: 'ERR_COMMAND_TIMEOUT';
  constructor(command: string, ms: number) {
    super('ERR_COMMAND_TIMEOUT', `${command} timed out after ${ms} ms`);
  }
}

/** The bounded queue of commands waiting for a connection is full. */
export class OfflineQueueFullError extends RingcacheError {
  /** Always `'ERR_OFFLINE_QUEUE_FULL'`. */
  declare readonly code: 'ERR_OFFLINE_QUEUE_FULL';
  constructor(limit: number) {
    super('ERR_OFFLINE_QUEUE_FULL', `offline queue is full (${limit} commands); the node is unreachable`);
  }
}

/** The client was closed; no further commands are accepted. */
export class ClientClosedError extends RingcacheError {
  /** Always `'ERR_CLIENT_CLOSED'`. */
  declare readonly code: 'ERR_CLIENT_CLOSED';
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
  /** Always `'ERR_SHARD_DOWN'`. */
  declare readonly code: 'ERR_SHARD_DOWN';
  /** The shard whose master is unreachable. */
  readonly shard: string;
  /** Always true: the command may succeed once the shard answers again. */
  readonly retryable = true;
  /** `cause`: why its master is unreachable (the OS error of the failed connect, when there was one). */
  constructor(shard: string, message: string, options?: { cause?: unknown }) {
    super('ERR_SHARD_DOWN', `shard '${shard}': ${message}`, options);
    this.shard = shard;
  }
}

/**
 * `retryStrategy` answered null (or not a delay): the connection to `address` stopped
 * reconnecting, and every command for it is refused with this error until the topology replaces
 * the node. `cause` is the failure that ended the last attempt.
 */
export class ReconnectStoppedError extends RingcacheError {
  /** Always `'ERR_RECONNECT_STOPPED'`. */
  declare readonly code: 'ERR_RECONNECT_STOPPED';
  /** The node's `host:port`. */
  readonly address: string;
  /** Reconnect attempts made before the strategy stopped. */
  readonly attempts: number;
  /** Why it stopped ('retryStrategy returned null', …). */
  readonly reason: string;
  /** The shard of the node, when known. */
  readonly shard: string | null;
  /** Always false: the client no longer reconnects to that node. */
  readonly retryable = false;
  constructor(address: string, attempts: number, reason: string, options?: { shard?: string | null; cause?: unknown }) {
    const who = options?.shard != null ? `shard '${options.shard}' (${address})` : address;
    super('ERR_RECONNECT_STOPPED', `${who}: stopped reconnecting after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`, options);
    this.address = address;
    this.attempts = attempts;
    this.reason = reason;
    this.shard = options?.shard ?? null;
  }
}

/**
 * The command was in flight on a shard's master when the topology replaced that master (a
 * failover). It may or may not have run on the old master; it is safe to retry on the new one
 * when idempotent, which is why `retryable` is true.
 */
export class FailoverError extends RingcacheError {
  /** Always `'ERR_FAILOVER'`. */
  declare readonly code: 'ERR_FAILOVER';
  /** The shard that failed over. */
  readonly shard: string;
  /** The old master's `host:port`. */
  readonly from: string;
  /** The new master's `host:port`. */
  readonly to: string;
  /** Always true: resend to reach the new master. */
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
  /** Always `'ERR_SENTINEL'`. */
  declare readonly code: 'ERR_SENTINEL';
  /** The master name asked about, when known. */
  readonly master: string | null;
  /** Always true: a later query may succeed. */
  readonly retryable = true;
  constructor(message: string, master: string | null = null, options?: { cause?: unknown }) {
    super('ERR_SENTINEL', message, options);
    this.master = master;
  }
}

/** A node's pool could not take the command: every connection is at its in-flight cap and the wait queue is full, or no exclusive connection came free in time. */
export class PoolExhaustedError extends RingcacheError {
  /** Always `'ERR_POOL'`. */
  declare readonly code: 'ERR_POOL';
  /** The limit that was reached, when one was (e.g. `pool.maxExclusive`'s value). */
  readonly limit: number | null;
  /** The option that sets it (e.g. `'pool.maxExclusive'`), when one does. */
  readonly option: string | null;
  constructor(message: string, limit?: { limit: number; option: string }, options?: { cause?: unknown }) {
    super('ERR_POOL', message, options);
    this.limit = limit?.limit ?? null;
    this.option = limit?.option ?? null;
  }
}

/** The storage node could not read or write its data files (AOF, snapshot). */
export class PersistenceError extends RingcacheError {
  /** Always `'ERR_PERSISTENCE'`. */
  declare readonly code: 'ERR_PERSISTENCE';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_PERSISTENCE', message, options);
  }
}

/** The node's replication link failed (bad framing from the master, a dataset flushed mid-transfer…); the link is retried. */
export class ReplicationError extends RingcacheError {
  /** Always `'ERR_REPLICATION'`. */
  declare readonly code: 'ERR_REPLICATION';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_REPLICATION', message, options);
  }
}

/** A slow async-iterator consumer of a Subscription let more than `maxBuffered` messages pile up. */
export class PubSubOverflowError extends RingcacheError {
  /** Always `'ERR_PUBSUB_OVERFLOW'`. */
  declare readonly code: 'ERR_PUBSUB_OVERFLOW';
  /** Messages dropped so far on this subscription. */
  readonly dropped: number;
  constructor(limit: number, dropped: number) {
    super('ERR_PUBSUB_OVERFLOW', `subscription buffer full (${limit} messages): the consumer is too slow; the subscription was closed`);
    this.dropped = dropped;
  }
}

/** Server wiring: one command has handlers in two families (the node refuses to start). */
export class HandlerConflictError extends RingcacheError {
  /** Always `'ERR_HANDLER_CONFLICT'`. */
  declare readonly code: 'ERR_HANDLER_CONFLICT';
  constructor(
    /** The command with two handlers. */
    readonly command: string,
    /** The first family that registered it. */
    readonly first: string,
    /** The second family that registered it. */
    readonly second: string,
  ) {
    super('ERR_HANDLER_CONFLICT', `command '${command}' has a handler in both '${first}' and '${second}'`);
  }
}

/** Node side: a serialized value (a DUMP payload, an RDB-encoded value) is malformed; RESTORE answers "Bad data format". */
export class RdbFormatError extends RingcacheError {
  /** Always `'ERR_RDB_FORMAT'`. */
  declare readonly code: 'ERR_RDB_FORMAT';
  constructor(message: string) {
    super('ERR_RDB_FORMAT', message);
  }
}

/** Node side: the Lua VM failed to set itself up (a built-in library or prelude did not load). */
export class ScriptEngineError extends RingcacheError {
  /** Always `'ERR_SCRIPT_ENGINE'`. */
  declare readonly code: 'ERR_SCRIPT_ENGINE';
  constructor(message: string) {
    super('ERR_SCRIPT_ENGINE', message);
  }
}

/** ringcache-fleet could not start, inspect or stop a local fleet (port taken, fleet running…). */
export class FleetError extends RingcacheError {
  /** Always `'ERR_FLEET'`. */
  declare readonly code: 'ERR_FLEET';
  constructor(message: string) {
    super('ERR_FLEET', message);
  }
}
