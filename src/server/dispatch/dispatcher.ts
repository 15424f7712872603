/**
 * The dispatcher: resolves a command against the table and runs its guards in one fixed order,
 * driven by the table's flags, before calling the handler (Redis processCommand):
 *
 *   unknown command / unknown subcommand → arity → auth (NOAUTH) → no_multi inside MULTI →
 *   ACL (NOPERM) → RESP2 pub/sub context → LOADING → stale replica (MASTERDOWN) → read-only replica
 *   (READONLY) → busy script (BUSY) → maxmemory (OOM) → disk errors (MISCONF) → replica/monitor
 *   keyspace access → client pause (postpone) → MULTI queueing → call.
 *
 * EVAL/FCALL of a script that declares flags are guarded with the script's flags (hooks.scriptFlags).
 *
 * A rejection in the first two (and any later one) while in MULTI flags the transaction so EXEC
 * aborts. The call is timed with the monotonic clock (performance.now; inside a session's batch one
 * reading per command, a call starting where the previous one ended): the time goes to INFO
 * commandstats (one call in N, at random, also to `hooks.sampleDuration`: the metrics'
 * histogram), and a command at or over `observeAboveUs` goes to the observers (SLOWLOG, LATENCY); while anyone MONITORs, executed commands are fed to them (not
 * admin or skip_monitor ones, arguments redacted as the handler asked with `redact`). After the
 * call, a command that changed the dataset (server.dirty grew) is propagated to every sink (AOF,
 * replicas) as sent or as the handler rewrote it (c.propagateAs).
 * Feature modules plug in through `DispatchHooks`; handlers never repeat these checks.
 */

import { performance } from 'node:perf_hooks';
import { Flag } from '../../commands/flags.js';
import { HandlerConflictError } from '../../errors.js';
import { COMMANDS, lookupCommand } from '../../commands/registry.js';
import { commandIdCount, type CommandSpec } from '../../commands/spec.js';
import {
  ClientFlag,
  type ClientContext,
  type ClientUser,
  type CommandDispatcher,
  type CommandStat,
  type DispatchHooks,
  type Handler,
  type HandlerTable,
  type ServerContext,
} from './context.js';
import * as R from './replies.js';
import { NEVER_SAMPLED, nextSampleGap } from '../util/sampling.js';

interface Route {
  readonly spec: CommandSpec;
  readonly handler: Handler | null;
  readonly stat: CommandStat;
  readonly subs: Map<string, Route> | null;
}

/**
 * Merges the families' handler tables into one map by command full name. Each command is bound
 * once: a name in two families is a wiring mistake and throws (the server does not start).
 */
export function bindHandlers(tables: Readonly<Record<string, HandlerTable>>): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  const owner = new Map<string, string>();
  for (const [family, table] of Object.entries(tables)) {
    for (const [name, h] of Object.entries(table)) {
      const first = owner.get(name);
      if (first !== undefined) throw new HandlerConflictError(name, first, family);
      owner.set(name, family);
      handlers.set(name, h);
    }
  }
  return handlers;
}

/** Commands a write pause holds (Redis is_may_replicate_command). */
const MAY_REPLICATE = Flag.WRITE | Flag.MAY_REPLICATE;
/** Commands MONITOR never shows (Redis: admin commands are too dangerous to be shown). */
const NOT_MONITORED = Flag.ADMIN | Flag.SKIP_MONITOR;
/** Replica links and monitors may not touch the keyspace (Redis: they are CLIENT_SLAVE). */
const KEYSPACE_BARRED = ClientFlag.REPLICA | ClientFlag.MONITOR;
const KEYSPACE_ACCESS = Flag.READONLY | Flag.WRITE | Flag.MAY_REPLICATE;
/** Clients a pause never holds: replicas and our master's stream. */
const NEVER_PAUSED = ClientFlag.REPLICA | ClientFlag.MASTER;

/** Latency histogram buckets: 1 µs (1024 ns) doubling up to 2^20 µs, where 1 s is clamped. */
export const LATENCY_BUCKETS = 21;

/** Counts one call in its power-of-two bucket (Redis's hdr histogram as LATENCY HISTOGRAM reads it). */
function recordLatency(stat: CommandStat, usec: number): void {
  // ns / 1024 in integer arithmetic: bucket 0 up to 1023 ns, k for [2^(k-1), 2^k) µs, 1 s and over last.
  const ns = usec < 1e6 ? (usec * 1000) | 0 : 1e9;
  const h = (stat.histogram ??= new Uint32Array(LATENCY_BUCKETS));
  h[32 - Math.clz32(ns >>> 10)]!++;
}

const PUBSUB_ALLOWED = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe', 'ping', 'quit', 'reset']);
const NOT_QUEUED = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** The default user when no ACL feature is installed: everything allowed. */
const EVERYONE: ClientUser = { name: 'default', open: new Uint8Array(commandIdCount()).fill(1), nopass: true };

export class Dispatcher implements CommandDispatcher {
  private readonly routes = new Map<string, Route>();
  readonly hooks: DispatchHooks = {};
  /** Clients must authenticate (the ACL feature keeps it: default user with a password, or off). */
  requirePass = false;
  defaultUser: ClientUser = EVERYONE;
  /** Cached `replica-read-only`. */
  replicaReadOnly = true;
  /** The client whose command is being executed (Redis server.current_client), else null. */
  current: ClientContext | null = null;
  /** Client pause in force (client-pause.ts): 0 off, 1 write commands, 2 all commands. */
  pauseMode = 0;
  /** Calls at least this long (µs) go to `hooks.observe` (SLOWLOG, LATENCY); Infinity = none. */
  observeAboveUs = Infinity;
  /** `latency-tracking`: keep per-command latency histograms. */
  latencyTracking = true;
  /** Clients in MONITOR mode; while 0 nothing is formatted for them. */
  monitorCount = 0;
  /** Argument positions the running command asked to hide from MONITOR and SLOWLOG. */
  private redacted: number[] | null = null;
  /**
   * Inside a session's batch the clock is read once per command: a call starts where the
   * previous one ended (`mark`), so its time includes parsing it. Elsewhere a call reads the
   * clock on both sides.
   */
  private inBatch = false;
  private mark = 0;
  /** Every implemented top-level command, renamed or not (statistics). */
  private readonly all: Route[] = [];
  /** Duration sampling (metrics): calls left until one goes to `hooks.sampleDuration`. */
  private durationSampleLeft = NEVER_SAMPLED;
  private durationSampleEvery = 0;

  constructor(
    private readonly server: ServerContext,
    tables: Readonly<Record<string, HandlerTable>>,
  ) {
    const handlers = bindHandlers(tables);
    for (const spec of COMMANDS) {
      const route = this.route(spec, handlers);
      if (route === null) continue;
      this.all.push(route);
      this.routes.set(spec.name, route);
      this.routes.set(spec.name.toUpperCase(), route);
    }
  }

  private route(spec: CommandSpec, handlers: Map<string, Handler>): Route | null {
    let subs: Map<string, Route> | null = null;
    if (spec.subcommands !== null) {
      subs = new Map();
      for (const sub of spec.subcommands.values()) {
        const r = this.route(sub, handlers);
        if (r !== null) subs.set(sub.name, r);
      }
      if (subs.size === 0) return null;
    }
    const handler = handlers.get(spec.fullName) ?? null;
    if (handler === null && subs === null) return null;
    return { spec, handler, subs, stat: { calls: 0, usec: 0, rejected: 0, failed: 0, histogram: null } };
  }

  /**
   * rename-command: the command answers to `to` instead of `from` ("" removes it). Returns
   * Redis's error text, or null. A Redis command ringcache does not implement is accepted and
   * changes nothing.
   */
  rename(from: string, to: string): string | null {
    const route = this.routes.get(from.toLowerCase());
    if (route === undefined) return lookupCommand(from) !== undefined ? null : 'No such command in rename-command';
    if (to !== '' && (this.routes.has(to.toLowerCase()) || this.routes.has(to))) return 'Target command name already exists';
    this.routes.delete(from.toLowerCase());
    this.routes.delete(from.toUpperCase());
    if (to !== '') {
      this.routes.set(to.toLowerCase(), route);
      this.routes.set(to.toUpperCase(), route);
    }
    return null;
  }

  /** The spec of an implemented command (any case), or undefined. */
  lookup(name: string): CommandSpec | undefined {
    return (this.routes.get(name) ?? this.routes.get(name.toLowerCase()))?.spec;
  }

  /** True when the server implements this (sub)command. */
  implements(spec: CommandSpec): boolean {
    if (spec.parent === null) return this.routes.has(spec.name);
    return this.routes.get(spec.parent.name)?.subs?.has(spec.name) ?? false;
  }

  /** Per-command statistics for INFO commandstats, keyed by full name. */
  *commandStats(): Generator<[string, CommandStat]> {
    for (const r of this.all) {
      if (r.subs !== null) for (const s of r.subs.values()) yield [s.spec.fullName, s.stat];
      if (r.handler !== null) yield [r.spec.fullName, r.stat];
    }
  }

  resetStats(): void {
    for (const [, s] of this.commandStats()) {
      s.calls = 0;
      s.usec = 0;
      s.rejected = 0;
      s.failed = 0;
      s.histogram = null;
    }
    this.hooks.statsReset?.();
  }

  /**
   * Runs one command for a client, writing its reply (or rejection) to c.reply. The caller sets
   * `keyspace.now` first (once per input batch: commands of one chunk share one clock reading).
   */
  execute(c: ClientContext, argv: string[]): void {
    const previous = this.current;
    this.current = c;
    this.dispatch(c, argv);
    this.current = previous;
    if (c.flags & ClientFlag.TRACKING_CACHING) this.hooks.afterExecute?.(c, argv);
  }

  private dispatch(c: ClientContext, argv: string[]): void {
    const server = this.server;
    c.lastInteraction = server.keyspace.now;
    let route = this.routes.get(argv[0]!) ?? this.routes.get(argv[0]!.toLowerCase());
    if (route === undefined) return this.reject(c, null, R.unknownCommand(argv));
    if (route.subs !== null && argv.length >= 2) {
      const sub = route.subs.get(argv[1]!.toLowerCase());
      if (sub === undefined) {
        if (route.handler === null) return this.reject(c, route, R.unknownSubcommand(argv));
      } else {
        route = sub;
      }
    }
    const spec = route.spec;
    const arity = spec.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      return this.reject(c, route, R.WRONG_ARGS(spec.fullName));
    }
    let flags = spec.flags;
    if (spec.group === 'scripting' && this.hooks.scriptFlags !== undefined) flags = this.hooks.scriptFlags(spec, argv, flags);
    if (this.requirePass && !c.authenticated && !(flags & Flag.NO_AUTH)) return this.reject(c, route, R.NOAUTH);
    if (c.flags & ClientFlag.MULTI && flags & Flag.NO_MULTI) return this.reject(c, route, 'ERR Command not allowed inside a transaction');
    const user = c.user;
    if (user !== null && user.open[spec.id] !== 1) {
      const denied = this.hooks.aclDenied?.(c, spec, argv, 'command') ?? null;
      if (denied !== null) return this.reject(c, route, denied);
    }
    if (c.flags & ClientFlag.PUBSUB && this.hooks.inPubSubContext?.(c) === true && !PUBSUB_ALLOWED.has(spec.parent?.name ?? spec.name)) {
      return this.reject(
        c,
        route,
        `ERR Can't execute '${spec.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      );
    }
    if (server.loading && !(flags & Flag.LOADING)) return this.reject(c, route, R.LOADING);
    if (server.role === 'replica' && !(flags & Flag.STALE) && this.hooks.refuseStale !== undefined) {
      const refusal = this.hooks.refuseStale();
      if (refusal !== null) return this.reject(c, route, refusal);
    }
    if (
      server.role === 'replica' &&
      this.replicaReadOnly &&
      flags & Flag.WRITE &&
      !(c.flags & ClientFlag.MASTER)
    ) {
      return this.reject(c, route, R.READONLY);
    }
    const busy = server.keyspace.busy;
    if (busy !== null && !(flags & Flag.ALLOW_BUSY)) return this.reject(c, route, busy);
    // No eviction while clients are paused (Redis performEvictions), so no OOM either.
    if (flags & Flag.DENYOOM && this.hooks.overMaxmemory !== undefined && !(c.flags & ClientFlag.MASTER) && this.pauseMode === 0) {
      if (this.hooks.overMaxmemory()) return this.reject(c, route, R.OOM);
    }
    if ((flags & Flag.WRITE || spec.name === 'ping') && this.hooks.refuseWrites !== undefined && !(c.flags & ClientFlag.MASTER)) {
      const refusal = this.hooks.refuseWrites();
      if (refusal !== null) return this.reject(c, route, refusal);
    }
    if (c.flags & KEYSPACE_BARRED && flags & KEYSPACE_ACCESS) return this.reject(c, route, "ERR Replica can't interact with the keyspace");
    if (this.pauseMode !== 0 && !(c.flags & NEVER_PAUSED) && this.pauses(c, spec, flags)) {
      this.hooks.postpone?.(c, argv);
      return;
    }
    if (c.flags & ClientFlag.MULTI && !NOT_QUEUED.has(spec.parent?.name ?? spec.name)) {
      if (this.hooks.queueInMulti?.(c, spec, argv) === true) return;
    }
    this.call(c, route, argv);
  }

  /** True when the pause in force holds this command (an EXEC counts its queued commands). */
  private pauses(c: ClientContext, spec: CommandSpec, callFlags: number): boolean {
    if (this.pauseMode === 2) return true;
    let flags = callFlags;
    if (spec.name === 'exec' && c.flags & ClientFlag.MULTI) flags |= this.hooks.queuedFlags?.(c) ?? 0;
    return (flags & MAY_REPLICATE) !== 0;
  }

  /** A session starts (or, after writing replies, resumes) running a batch of commands. */
  beginBatch(): void {
    this.mark = performance.now();
    this.inBatch = true;
  }

  endBatch(): void {
    this.inBatch = false;
  }

  /** Calls the handler with no guards (EXEC runs queued commands through here). */
  call(c: ClientContext, route: Route, argv: string[]): void {
    const server = this.server;
    c.spec = route.spec;
    c.argv = argv;
    c.propagateAs = null;
    const outerRedacted = this.redacted;
    this.redacted = null;
    const dirty = server.dirty;
    const errors = c.reply.errorCount;
    const start = this.inBatch ? this.mark : performance.now();
    try {
      route.handler!(c, argv);
    } catch (err) {
      // A handler bug must cost one command, never the process or the connection.
      server.log.warning(`Internal error in '${route.spec.fullName}': ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      c.reply.error(`ERR internal error while executing '${route.spec.fullName}'`);
    }
    const end = performance.now();
    if (this.inBatch) this.mark = end;
    const usec = (end - start) * 1000;
    const stat = route.stat;
    stat.calls++;
    stat.usec += usec;
    if (this.latencyTracking) recordLatency(stat, usec);
    if (--this.durationSampleLeft === 0) this.sampleDuration(route.spec, usec);
    server.stats.totalCommands++;
    if (c.reply.errorCount !== errors) stat.failed++;
    if (server.dirty !== dirty && server.sinks.length > 0) {
      const dbIndex = c.db.id;
      // The handler may have set propagateAs; re-read it past the narrowing of the reset above.
      const out = c.propagateAs as string[][] | null;
      for (const sink of server.sinks) {
        if (out === null) sink.propagate(dbIndex, argv);
        else for (const cmd of out) sink.propagate(dbIndex, cmd);
      }
    }
    if (usec >= this.observeAboveUs && !(c.flags & ClientFlag.BLOCKED)) this.hooks.observe?.(c, route.spec, this.shown(argv), usec);
    if (this.monitorCount > 0 && !(route.spec.flags & NOT_MONITORED)) this.hooks.monitor?.(c, this.shown(argv));
    // EXEC's queued commands are nested calls: each keeps its own redactions.
    this.redacted = outerRedacted;
    this.hooks.afterCommand?.(c, route.spec, argv);
  }

  /** Times one call in `every` on average into `hooks.sampleDuration` (0: none). */
  setDurationSampling(every: number): void {
    this.durationSampleEvery = every;
    this.durationSampleLeft = nextSampleGap(every);
  }

  private sampleDuration(spec: CommandSpec, usec: number): void {
    this.durationSampleLeft = nextSampleGap(this.durationSampleEvery);
    this.hooks.sampleDuration?.(spec, usec);
  }

  countRejected(spec: CommandSpec): void {
    const top = this.routes.get(spec.parent?.name ?? spec.name);
    const route = spec.parent === null ? top : top?.subs?.get(spec.name);
    if (route !== undefined) route.stat.rejected++;
  }

  runAs(c: ClientContext, fn: () => void): void {
    const previous = this.current;
    this.current = c;
    try {
      fn();
    } finally {
      this.current = previous;
    }
  }

  /** Hides an argument of the running command from MONITOR and SLOWLOG (AUTH's password…). */
  redact(index: number): void {
    (this.redacted ??= []).push(index);
  }

  /** The arguments as MONITOR and SLOWLOG show them. */
  private shown(argv: string[]): string[] {
    const hidden = this.redacted;
    if (hidden === null) return argv;
    const out = argv.slice();
    for (const i of hidden) if (i < out.length) out[i] = '(redacted)';
    return out;
  }

  /**
   * A blocked client was served or timed out (Redis updateStatsOnUnblock): its command, still in
   * `c.argv`, goes to SLOWLOG and LATENCY with the time serving it took.
   */
  commandUnblocked(c: ClientContext, usec: number): void {
    const spec = c.spec;
    if (spec === null || usec < this.observeAboveUs) return;
    this.hooks.observe?.(c, spec, c.argv, usec);
  }

  /** The handler of an implemented (sub)command, for commands run outside a session (AOF loading). */
  handlerOf(spec: CommandSpec): Handler | null {
    const top = this.routes.get(spec.parent?.name ?? spec.name);
    const route = spec.parent === null ? top : top?.subs?.get(spec.name);
    return route?.handler ?? null;
  }

  /** Runs an already-resolved command by spec (EXEC); returns false when it is not implemented. */
  callSpec(c: ClientContext, spec: CommandSpec, argv: string[]): boolean {
    const top = this.routes.get(spec.parent?.name ?? spec.name);
    const route = spec.parent === null ? top : top?.subs?.get(spec.name);
    if (route === undefined || route.handler === null) return false;
    this.call(c, route, argv);
    return true;
  }

  private reject(c: ClientContext, route: Route | null, text: string): void {
    if (route !== null) route.stat.rejected++;
    if (route !== null && route.spec.name === 'exec') {
      // Redis execCommandAbort: a rejected EXEC ends the transaction, and says why.
      this.hooks.discardMulti?.(c);
      return c.reply.error(`EXECABORT Transaction discarded because of: ${text.startsWith('ERR ') ? text.slice(4) : text}`);
    }
    if (c.flags & ClientFlag.MULTI) c.flags |= ClientFlag.DIRTY_EXEC;
    // A refused EXEC aborts the transaction (if any), naming the refusal (Redis execCommandAbort).
    if (route?.spec.name !== 'exec' || this.hooks.discardTransaction === undefined) return c.reply.error(text);
    this.hooks.discardTransaction(c);
    c.reply.error(`EXECABORT Transaction discarded because of: ${text.startsWith('-') ? text.slice(1) : text}`);
  }
}
