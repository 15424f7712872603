/**
 * One script invocation (Redis's scriptRunCtx): the bridge the Lua side calls for redis.call /
 * redis.pcall / setresp / set_repl, with Redis's checks in scriptCall's order (arity, noscript,
 * stale replica, write from a read-only script, read-only replica, disk errors, OOM), and the
 * capture of everything propagated while the script runs.
 *
 * Effects replication: while the script runs, the server's propagation sinks are swapped for one
 * capturing sink; at the end the captured commands go to each sink (AOF, replicas) that
 * redis.set_repl allowed for them, wrapped in MULTI/EXEC when there are several (not inside an
 * EXEC, whose own commands are already one unit). So replicas and the AOF never run a script.
 *
 * Commands run as the script's own client (its database starts at the caller's, SELECT in the
 * script does not affect the caller, replies are parsed back into Lua). Keys read by the script's
 * read-only commands are remembered for the caller's client tracking.
 */

import { Flag } from '../../commands/flags.js';
import type { CommandSpec } from '../../commands/spec.js';
import { ClientFlag, type ClientContext, type PropagationSink, type ServerContext } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import type { InternalClient } from '../dispatch/internal-client.js';
import type { ScriptBridge } from './lua-api.js';
import type { LuaEngine } from './lua-engine.js';

const REPL_AOF = 1;
const REPL_REPLICAS = 2;
const REPL_ALL = 3;

interface Captured {
  readonly db: number;
  readonly argv: readonly string[];
  readonly mask: number;
}

/** Collects propagated commands with the targets allowed when each was propagated. */
class CaptureSink implements PropagationSink {
  readonly entries: Captured[] = [];
  mask = REPL_ALL;

  propagate(db: number, argv: readonly string[]): void {
    this.entries.push({ db, argv, mask: this.mask });
  }
}

export interface ScriptCall {
  readonly caller: ClientContext;
  readonly engine: LuaEngine;
  readonly fnRef: bigint;
  /** EVAL: the script's sha; FCALL: the function's name. */
  readonly funcname: string;
  /** The whole EVAL/FCALL command (FUNCTION STATS shows it). */
  readonly argv: readonly string[];
  readonly spec: CommandSpec;
  readonly numkeys: number;
  /** EVAL family (killed by SCRIPT KILL) or FCALL family (FUNCTION KILL). */
  readonly isEval: boolean;
  /** _RO command or a no-writes script: writes are refused. */
  readonly readOnly: boolean;
  /** allow-oom flag: denyoom commands run even over maxmemory. */
  readonly allowOom: boolean;
}

function countErrorReply(server: ServerContext, text: string): void {
  const stats = server.stats;
  stats.totalErrorReplies++;
  const sp = text.indexOf(' ');
  const prefix = sp === -1 ? text : text.slice(0, sp);
  stats.errors.set(prefix, (stats.errors.get(prefix) ?? 0) + 1);
}

export class ScriptRun implements ScriptBridge {
  /** The script already ran a write command: it cannot be killed any more. */
  writeDirty = false;
  resp: 2 | 3 = 2;
  readonly startedAt = performance.now();
  /** The command clock frozen for the whole script (Redis's snapshot_time). */
  readonly now: number;
  private readonly capture = new CaptureSink();
  /** redis.set_repl: where the script's commands are propagated (AOF and/or replicas). */
  private replFlags = REPL_ALL;
  private savedSinks: PropagationSink[] | null = null;
  private readonly oomAtStart: boolean;
  private readonly callerInExec: boolean;
  private readonly callerIsMaster: boolean;

  constructor(
    private readonly server: ServerContext,
    private readonly client: InternalClient,
    readonly call: ScriptCall,
    /** DEBUG set-disable-deny-scripts: noscript commands are allowed. */
    private readonly allowNoscript: boolean,
  ) {
    this.now = server.keyspace.now;
    const caller = call.caller;
    this.callerInExec = (caller.flags & ClientFlag.IN_EXEC) !== 0;
    this.callerIsMaster = (caller.flags & ClientFlag.MASTER) !== 0;
    this.oomAtStart = server.config.int('maxmemory') > 0 && !this.callerIsMaster && server.dispatcher.hooks.overMaxmemory?.() === true;
  }

  /** Starts capturing propagation; the caller counts as inside EXEC until `end`. */
  begin(): void {
    const sinks = this.server.sinks;
    this.savedSinks = sinks.splice(0, sinks.length, this.capture);
    this.call.caller.flags |= ClientFlag.IN_EXEC;
    this.client.db = this.call.caller.db;
    this.client.reply.proto = 2;
    this.client.reply.discard();
  }

  /** Restores the sinks and propagates the captured effects (unless `drop`). */
  end(drop: boolean): void {
    const saved = this.savedSinks;
    if (saved === null) return;
    this.savedSinks = null;
    const sinks = this.server.sinks;
    sinks.splice(0, sinks.length, ...saved);
    if (!this.callerInExec) this.call.caller.flags &= ~ClientFlag.IN_EXEC;
    if (!drop) this.propagate(saved);
  }

  private propagate(sinks: readonly PropagationSink[]): void {
    const entries = this.capture.entries;
    if (entries.length === 0) return;
    for (const sink of sinks) {
      const bit = sink.target === 'aof' ? REPL_AOF : sink.target === 'replicas' ? REPL_REPLICAS : REPL_ALL;
      const mine = entries.filter((e) => (e.mask & bit) !== 0);
      if (mine.length === 0) continue;
      const wrap = mine.length > 1 && !this.callerInExec;
      if (wrap) sink.propagate(mine[0]!.db, ['MULTI']);
      for (const e of mine) sink.propagate(e.db, e.argv);
      if (wrap) sink.propagate(mine[mine.length - 1]!.db, ['EXEC']);
    }
  }

  setResp(resp: 2 | 3): void {
    this.resp = resp;
  }

  setRepl(flags: number): void {
    this.replFlags = flags;
  }

  /** redis.acl_check_cmd: null for an unknown command, else whether the caller's user may run it. */
  aclCheck(argv: string[]): boolean | null {
    const spec = this.resolve(argv);
    if (spec === null) return null;
    const caller = this.call.caller;
    if (caller.user === null || caller.user.open[spec.id] === 1) return true;
    return (this.server.dispatcher.hooks.aclDenied?.(caller, spec, argv, 'probe') ?? null) === null;
  }

  /** The (sub)command spec Redis's lookupCommand would find, or null. */
  private resolve(argv: readonly string[]): CommandSpec | null {
    const d = this.server.dispatcher;
    const top = d.lookup(argv[0]!);
    if (top === undefined) return null;
    if (top.subcommands === null || argv.length === 1) return top;
    const sub = top.subcommands.get(argv[1]!.toLowerCase());
    return sub !== undefined && d.implements(sub) ? sub : null;
  }

  /** A refusal by the script's rules: counted as Redis counts it, returned as the Lua error. */
  private refuse(spec: CommandSpec | null, text: string): string {
    countErrorReply(this.server, text.startsWith('-') ? text.slice(1) : `ERR ${text}`);
    if (spec !== null) this.server.dispatcher.countRejected(spec);
    return text;
  }

  /** Redis's scriptVerify* checks; null when the command may run. */
  private check(spec: CommandSpec, argv: string[]): string | null {
    const server = this.server;
    const hooks = server.dispatcher.hooks;
    const flags = spec.flags;
    const argc = argv.length;
    if ((spec.arity > 0 && argc !== spec.arity) || argc < -spec.arity) return 'Wrong number of args calling Redis command from script';
    if (flags & Flag.NOSCRIPT && !this.allowNoscript) return 'This Redis command is not allowed from script';
    if (server.role === 'replica' && !(flags & Flag.STALE) && hooks.refuseStale?.() != null) return 'Can not execute the command on a stale replica';
    const user = this.call.caller.user;
    if (user !== null && user.open[spec.id] !== 1) {
      const denied = hooks.aclDenied?.(this.call.caller, spec, argv, 'script') ?? null;
      if (denied !== null) return denied;
    }
    if (this.call.readOnly && flags & (Flag.WRITE | Flag.MAY_REPLICATE)) return 'Write commands are not allowed from read-only scripts.';
    if (flags & Flag.WRITE && !this.writeDirty && !this.callerIsMaster) {
      if (server.role === 'replica' && server.dispatcher.replicaReadOnly) return `-${R.READONLY}`;
      const misconf = hooks.refuseWrites?.() ?? null;
      if (misconf !== null) return `-${misconf}`;
    }
    if (!this.call.allowOom && this.oomAtStart && !this.writeDirty && flags & Flag.DENYOOM) return `-${R.OOM}`;
    return null;
  }

  command(argv: string[]): Buffer | string {
    const server = this.server;
    const spec = this.resolve(argv);
    if (spec === null) return this.refuse(null, 'Unknown Redis command called from script');
    const refusal = this.check(spec, argv);
    if (refusal !== null) return this.refuse(spec, refusal);
    if (spec.flags & Flag.WRITE) this.writeDirty = true;
    const client = this.client;
    // The call runs as the caller's user (Redis scriptCall), e.g. for SORT's BY/GET rule.
    client.user = this.call.caller.user;
    client.reply.proto = this.resp;
    server.keyspace.now = this.now;
    this.capture.mask = this.replFlags;
    let ran: boolean;
    try {
      ran = server.dispatcher.callSpec(client, spec, argv);
    } finally {
      this.capture.mask = REPL_ALL;
      client.user = null;
    }
    if (!ran) return this.refuse(null, 'Unknown Redis command called from script');
    const caller = this.call.caller;
    if (spec.flags & Flag.READONLY && caller.flags & ClientFlag.TRACKING) server.dispatcher.hooks.afterCommand?.(caller, spec, argv);
    return client.reply.take() ?? Buffer.from('$-1\r\n');
  }
}
