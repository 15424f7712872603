/**
 * What a command handler sees: the calling client and the server, as interfaces, so handlers and
 * feature modules depend on this file rather than on the network layer or on server.ts.
 *
 * A handler is `(c, argv) => void`: it reads and writes through `c.db` (the chokepoints in
 * keyspace/db.ts) and writes its reply into `c.reply`. Policy checks (arity, auth, OOM, read-only
 * replica, MULTI queueing…) happened before it was called and are never repeated in handlers.
 */

import type { CommandSpec } from '../../commands/spec.js';
import type { ReplyWriter } from '../../protocol/reply-writer.js';
import type { ServerConfig } from '../config.js';
import type { Db } from '../keyspace/db.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { Logger } from '../util/log.js';
import type { ShutdownRequest } from '../util/shutdown-flags.js';

/** Client flag bits (Redis CLIENT_* flags that matter here). */
export const ClientFlag = {
  MULTI: 1 << 0,
  /** A queued command failed at queue time (or a watched key changed): EXEC will abort. */
  DIRTY_EXEC: 1 << 1,
  DIRTY_CAS: 1 << 2,
  BLOCKED: 1 << 3,
  CLOSE_AFTER_REPLY: 1 << 4,
  CLOSE_ASAP: 1 << 5,
  /** This connection is a replica of ours (it sent SYNC/PSYNC). */
  REPLICA: 1 << 6,
  /** This connection is our master's replication link. */
  MASTER: 1 << 7,
  PUBSUB: 1 << 8,
  TRACKING: 1 << 9,
  MONITOR: 1 << 10,
  /** Replies are suppressed (CLIENT REPLY OFF/SKIP). */
  REPLY_OFF: 1 << 11,
  REPLY_SKIP: 1 << 12,
  REPLY_SKIP_NEXT: 1 << 13,
  NO_EVICT: 1 << 14,
  /** The command runs inside EXEC (blocking commands must not block). */
  IN_EXEC: 1 << 15,
  /** Client tracking modes and state (CLIENT TRACKING … BCAST/OPTIN/OPTOUT/NOLOOP, CLIENT CACHING). */
  TRACKING_BCAST: 1 << 16,
  TRACKING_OPTIN: 1 << 17,
  TRACKING_OPTOUT: 1 << 18,
  /** CLIENT CACHING yes/no was given for the next command (or the next transaction). */
  TRACKING_CACHING: 1 << 19,
  TRACKING_NOLOOP: 1 << 20,
  /** The client tracking redirects to is gone. */
  TRACKING_BROKEN_REDIR: 1 << 21,
  /**
   * The client a script's commands run as (scripting sets it): MONITOR shows its commands as
   * `[db lua]` instead of a peer address.
   */
  SCRIPT: 1 << 22,
  /** Connected through the Unix socket (MONITOR shows `unix:<path>`). */
  UNIX_SOCKET: 1 << 23,
} as const;

/**
 * The ACL user a client acts as, as the dispatcher sees it (server/acl/ owns users and rules).
 * `open[spec.id]` is 1 when the user may run that command whatever its arguments: the guard
 * then costs one array read; otherwise `DispatchHooks.aclDenied` decides.
 */
export interface ClientUser {
  readonly name: string;
  readonly open: Uint8Array;
  /** Any password authenticates (the default user without `requirepass`). */
  readonly nopass: boolean;
}

/** Where an ACL check runs: a received command, a command EXEC runs, a script's call, a probe. */
export type AclCheckContext = 'command' | 'exec' | 'script' | 'probe';

/** One connected client, as handlers see it. */
export interface ClientContext {
  readonly id: number;
  name: string;
  db: Db;
  readonly reply: ReplyWriter;
  readonly server: ServerContext;
  authenticated: boolean;
  /** The ACL user the client is authenticated as; null for the node's own clients (no checks). */
  user: ClientUser | null;
  flags: number;
  /** Peer `ip:port` and local `ip:port`. */
  readonly addr: string;
  readonly laddr: string;
  readonly createdAt: number;
  lastInteraction: number;
  /** Socket file descriptor (-1 when unknown), bytes buffered unparsed, bytes of replies pending. */
  readonly fd: number;
  readonly queryBufferBytes: number;
  readonly outputBufferBytes: number;
  /** The command being executed: its spec (the subcommand's for containers) and arguments. */
  spec: CommandSpec | null;
  argv: string[];
  /**
   * What to propagate (AOF, replicas) instead of argv for the current command, e.g. SET … EX
   * rewritten as SET … PXAT. Several commands may be given. Reset before each command.
   */
  propagateAs: string[][] | null;
  /** Per-feature state, owned by the feature's module (pub/sub, MULTI, tracking, blocking…). */
  readonly ext: Map<string, unknown>;
  /** Closes the connection; with afterReply, once pending replies are flushed. */
  close(afterReply: boolean): void;
  /** Schedules a flush of this client's pending replies (for replies written out of band). */
  requestFlush(): void;
  /** Resumes processing buffered commands after the client was unblocked. */
  resume(): void;
}

export interface ServerStats {
  startedAt: number;
  totalConnections: number;
  rejectedConnections: number;
  totalCommands: number;
  netInputBytes: number;
  netOutputBytes: number;
  totalErrorReplies: number;
  /** Per command fullName: calls, rejected (before running), failed (replied with an error). */
  commands: Map<string, { calls: number; usec: number; rejected: number; failed: number }>;
  /** Per error prefix (ERR, WRONGTYPE…): count. */
  errors: Map<string, number>;
}

/** A sink for propagated writes (AOF, replication). */
export interface PropagationSink {
  /** Which stream this is, for scripts that narrow propagation (redis.set_repl). */
  readonly target?: 'aof' | 'replicas';
  propagate(dbIndex: number, argv: readonly string[]): void;
}

/**
 * Holds client replies until the writes before them are durable (AOF appendfsync, see
 * persistence/aof-writer.ts). A held session reads no further commands until `release` is called.
 */
export interface FlushGate {
  /** True when the caller's pending replies must wait; `release` is called once they may leave. */
  hold(release: () => void): boolean;
}

export type { ShutdownRequest } from '../util/shutdown-flags.js';

export interface ServerContext {
  readonly config: ServerConfig;
  readonly keyspace: Keyspace;
  readonly stats: ServerStats;
  readonly log: Logger;
  readonly runId: string;
  readonly version: string;
  /** Connected clients by id. */
  readonly clients: ReadonlyMap<number, ClientContext>;
  /** Number of changes since the last save (Redis server.dirty). */
  dirty: number;
  /** True while the dataset is loading: commands without the `loading` flag get -LOADING. */
  loading: boolean;
  /** Replication role as seen by INFO/ROLE/HELLO. */
  role: 'master' | 'replica';
  /** The TCP port actually bound (differs from config when 0 was asked). */
  readonly port: number;
  /** Where writes are propagated; the server fans them out to AOF and replicas. */
  readonly sinks: PropagationSink[];
  /** When set, every session asks it before writing replies (AOF durability). */
  flushGate: FlushGate | null;
  /** The command dispatcher (COMMAND introspection, command stats, EXEC). */
  readonly dispatcher: CommandDispatcher;
  /** Per-feature server state (pub/sub registry, tracking table, replication…), owned by its module. */
  readonly ext: Map<string, unknown>;
  /** RESET: back to a fresh connection's state; features drop MULTI, subscriptions, tracking. */
  resetClient(c: ClientContext): void;
  /**
   * SHUTDOWN (Redis prepareForShutdown): exits at once, or after lagging replicas caught up (the
   * caller `c` is then blocked until the exit or the abort). Returns an error text when the
   * shutdown failed at once (a failed save without FORCE), null otherwise.
   */
  shutdown(req: ShutdownRequest, c: ClientContext | null): string | null;
  /** SHUTDOWN ABORT: false when no shutdown was in progress. */
  abortShutdown(): boolean;
  /**
   * CONFIG SET port/bind: listens where the configuration now says, then stops listening where
   * it did. Resolves with Redis's error text when the new addresses cannot be bound (the old ones
   * stay), else null.
   */
  rebindListeners(): Promise<string | null>;
  /** CONFIG SET tls-*: new TLS settings for the TLS listeners; Redis's error text when unusable. */
  reloadTls(): string | null;
}

export interface CommandStat {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
  /**
   * Calls per latency bucket (`latency-tracking`): bucket k counts calls of at most 2^k µs
   * (1024·2^k ns), as LATENCY HISTOGRAM reports them; null until the first call.
   */
  histogram: Uint32Array | null;
}

/** Feature hooks; each is optional and installed by its module. */
export interface DispatchHooks {
  /** Drops the client's transaction (MULTI state, queue, WATCHed keys): a refused EXEC aborts it. */
  discardTransaction?(c: ClientContext): void;
  /** While in MULTI: queue the command (reply +QUEUED) and return true. */
  queueInMulti?(c: ClientContext, spec: CommandSpec, argv: string[]): boolean;
  /** Ends the client's transaction (a rejected EXEC discards it, Redis execCommandAbort). */
  discardMulti?(c: ClientContext): void;
  /** maxmemory: evict as needed; true when memory is still over the limit. */
  overMaxmemory?(): boolean;
  /** After a command ran (client tracking of read keys, keyspace stats…). */
  afterCommand?(c: ClientContext, spec: CommandSpec, argv: string[]): void;
  /** True when the client is in RESP2 subscribed mode. */
  inPubSubContext?(c: ClientContext): boolean;
  /** Persistence errors: the -MISCONF text refusing write commands (and PING), or null. */
  refuseWrites?(): string | null;
  /**
   * After every command of a client with ClientFlag.TRACKING_CACHING, run, queued or rejected
   * (Redis resetClient): client tracking decides whether CLIENT CACHING still applies.
   */
  afterExecute?(c: ClientContext, argv: string[]): void;
  /** Replication: the -MASTERDOWN text for commands without the `stale` flag, or null. */
  refuseStale?(): string | null;
  /**
   * Scripting: the flags the guards use for a command of the scripting group (EVAL/FCALL of a
   * script that declares flags get those instead of their own).
   */
  scriptFlags?(spec: CommandSpec, argv: string[], flags: number): number;
  /** Client pause: parks the client and keeps its command to run when the pause ends. */
  postpone?(c: ClientContext, argv: string[]): void;
  /** Transactions: the OR of the flags of the commands queued so far (EXEC under a write pause). */
  queuedFlags?(c: ClientContext): number;
  /** A call took at least `CommandDispatcher.observeAboveUs` µs (SLOWLOG, LATENCY). */
  observe?(c: ClientContext, spec: CommandSpec, argv: readonly string[], usec: number): void;
  /** A sampled call's duration (`CommandDispatcher.setDurationSampling`): the metrics' histogram. */
  sampleDuration?(spec: CommandSpec, usec: number): void;
  /** CONFIG RESETSTAT reset the command statistics: statistics kept beside them reset too. */
  statsReset?(): void;
  /** Feeds an executed command to the MONITOR clients (only while `monitorCount` > 0). */
  monitor?(c: ClientContext, argv: readonly string[]): void;
  /**
   * ACL: null when `c`'s user may run the command with these arguments, else the refusal (the
   * reply text, or for 'script' the script error), logged in ACL LOG unless `context` is 'probe'.
   */
  aclDenied?(c: ClientContext, spec: CommandSpec, argv: readonly string[], context: AclCheckContext): string | null;
}

/**
 * The dispatcher as the rest of the server sees it (dispatch/dispatcher.ts implements it): run a
 * command with every guard, run one already resolved (EXEC), introspect the implemented commands.
 */
export interface CommandDispatcher {
  readonly hooks: DispatchHooks;
  /** The client whose command is being executed (Redis server.current_client), else null. */
  readonly current: ClientContext | null;
  /**
   * Clients must authenticate (the default user has a password or is off), and
   * `replica-read-only`.
   */
  requirePass: boolean;
  /** The user a new connection starts as (set by the ACL feature). */
  defaultUser: ClientUser;
  replicaReadOnly: boolean;
  /** Client pause in force: 0 off, 1 write commands, 2 all commands (set by client-pause.ts). */
  pauseMode: number;
  /** Calls at least this long (µs) go to `hooks.observe`; Infinity when nobody observes. */
  observeAboveUs: number;
  /** `latency-tracking`: per-command latency histograms (LATENCY HISTOGRAM). */
  latencyTracking: boolean;
  /** Clients in MONITOR mode. */
  monitorCount: number;
  /** Hides argument `index` of the running command from MONITOR and SLOWLOG (`(redacted)`). */
  redact(index: number): void;
  /** A blocked client was served or timed out after `usec` µs of work: SLOWLOG/LATENCY see it. */
  commandUnblocked(c: ClientContext, usec: number): void;
  /** Runs one command for a client with every guard; the reply goes to c.reply. */
  execute(c: ClientContext, argv: string[]): void;
  /** Runs an already-resolved command by spec (EXEC); false when it is not implemented. */
  callSpec(c: ClientContext, spec: CommandSpec, argv: string[]): boolean;
  /** The handler of an implemented (sub)command, for commands run outside a session. */
  handlerOf(spec: CommandSpec): Handler | null;
  /** The spec of an implemented command (any case), or undefined. */
  lookup(name: string): CommandSpec | undefined;
  /** True when the server implements this (sub)command. */
  implements(spec: CommandSpec): boolean;
  /** Per-command statistics for INFO commandstats, keyed by full name. */
  commandStats(): Iterable<[string, CommandStat]>;
  resetStats(): void;
  /** Times one call in `every` on average (random gaps) into `hooks.sampleDuration`; 0 stops it. */
  setDurationSampling(every: number): void;
  /** Counts a call refused before it ran (a script's redis.call refused by the script's rules). */
  countRejected(spec: CommandSpec): void;
  /** Runs `fn` as if `c` were the client executing a command (a script resumed later). */
  runAs(c: ClientContext, fn: () => void): void;
}

/** A command implementation. */
export type Handler = (c: ClientContext, argv: string[]) => void;

/** Handlers of one family, keyed by command full name (`get`, `client|list`). */
export type HandlerTable = Readonly<Record<string, Handler>>;

/**
 * A typed key into a client's or the server's `ext` map: a feature module declares one key and
 * reads its state back with `getExt`, so the cast from `unknown` lives here only.
 */
export class ExtKey<T> {
  declare readonly type?: T;
  constructor(readonly name: string) {}
}

export function getExt<T>(ext: ReadonlyMap<string, unknown>, key: ExtKey<T>): T | undefined {
  return ext.get(key.name) as T | undefined;
}

export function setExt<T>(ext: Map<string, unknown>, key: ExtKey<T>, value: T | undefined): void {
  if (value === undefined) ext.delete(key.name);
  else ext.set(key.name, value);
}
