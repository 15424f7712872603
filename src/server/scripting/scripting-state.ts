/**
 * The scripting state of one server (server.ext): the two interpreters (EVAL scripts and function
 * libraries live in separate lua_States, as in Redis), the script cache, the function libraries,
 * the runner and the client scripts run their commands as. `startScript` holds Redis's
 * scriptPrepareForRun checks shared by EVAL and FCALL.
 *
 * The interpreters exist once the node has started (the WASM module loads asynchronously in a
 * start hook, before data is loaded); SCRIPT FLUSH replaces the EVAL interpreter by a fresh one.
 */

import { ClientFlag, ExtKey, getExt, type ClientContext, type ServerContext } from '../dispatch/context.js';
import { InternalClient } from '../dispatch/internal-client.js';
import { LuaEngine, type EngineMode } from './lua-engine.js';
import type { LuaRuntime } from './lua-wasm.js';
import { ScriptRunner } from './script-runner.js';
import { ScriptFlag } from './script-flags.js';
import { ScriptCache } from './script-cache.js';
import { FunctionLibraries } from './function-libraries.js';
import { humanBytes } from '../keyspace/maxmemory.js';

/** The id of the client scripts run their commands as (never a connection's). */
const SCRIPT_CLIENT_ID = 2 ** 52;

const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;

export class ScriptingState {
  runtime: LuaRuntime | null = null;
  evalEngine: LuaEngine | null = null;
  fnEngine: LuaEngine | null = null;
  readonly scripts: ScriptCache;
  readonly libraries: FunctionLibraries;
  readonly client: InternalClient;
  readonly runner: ScriptRunner;

  constructor(private readonly server: ServerContext) {
    const account = (delta: number): void => void (server.keyspace.memory.scripts += delta);
    this.scripts = new ScriptCache(account);
    this.libraries = new FunctionLibraries(account);
    // MONITOR shows the script's commands as Redis does, from "lua"; SORT sorts sets for scripts
    // (Redis's CLIENT_SCRIPT).
    this.client = new InternalClient(server, SCRIPT_CLIENT_ID, ClientFlag.IN_EXEC | ClientFlag.SCRIPT, 'lua', 'lua');
    this.client.reply.onError = (text) => {
      const stats = server.stats;
      stats.totalErrorReplies++;
      const sp = text.indexOf(' ');
      const prefix = sp === -1 ? text : text.slice(0, sp);
      stats.errors.set(prefix, (stats.errors.get(prefix) ?? 0) + 1);
    };
    this.runner = new ScriptRunner(server, this.client);
  }

  /** Creates the interpreters once the WASM module is loaded. */
  init(runtime: LuaRuntime): void {
    this.runtime = runtime;
    this.evalEngine = this.newEngine('eval');
    this.fnEngine = this.newEngine('function');
  }

  newEngine(mode: EngineMode): LuaEngine {
    const log = this.server.log;
    return new LuaEngine(this.runtime!, mode, {
      version: this.server.version,
      log: (level, text) => log[LOG_LEVELS[level] ?? 'notice'](text),
      warn: (text) => log.warning(text),
    });
  }

  /** SCRIPT FLUSH: forget every script and start a fresh EVAL interpreter. */
  resetEval(): void {
    this.scripts.clear();
    this.evalEngine?.close();
    if (this.runtime !== null) this.evalEngine = this.newEngine('eval');
  }

  close(): void {
    this.runner.stop();
    this.evalEngine?.close();
    this.fnEngine?.close();
  }

  /** INFO memory's scripting fields, in Redis 7.0's order. */
  memoryInfo(): [string, string | number][] {
    const evalVm = this.evalEngine?.memory() ?? 0;
    const fnVm = this.fnEngine?.memory() ?? 0;
    const scripts = this.scripts.memory;
    const fns = this.libraries.memory;
    return [
      ['used_memory_lua', evalVm],
      ['used_memory_vm_eval', evalVm],
      ['used_memory_lua_human', humanBytes(evalVm)],
      ['used_memory_scripts_eval', scripts],
      ['number_of_cached_scripts', this.scripts.size],
      ['number_of_functions', this.libraries.functionCount],
      ['number_of_libraries', this.libraries.size],
      ['used_memory_vm_functions', fnVm],
      ['used_memory_vm_total', evalVm + fnVm],
      ['used_memory_vm_total_human', humanBytes(evalVm + fnVm)],
      ['used_memory_functions', fns],
      ['used_memory_scripts', scripts + fns],
      ['used_memory_scripts_human', humanBytes(scripts + fns)],
    ];
  }

  /**
   * Redis's scriptPrepareForRun checks, then runs the script. `flags` are the script's flags
   * (EVAL_COMPAT for an EVAL script without shebang), `ro` is true for the *_RO commands.
   */
  startScript(
    c: ClientContext,
    engine: LuaEngine,
    fnRef: bigint,
    funcname: string,
    numkeys: number,
    isEval: boolean,
    flags: number,
    ro: boolean,
  ): void {
    // EVAL/FCALL are skip_monitor: Redis feeds them to MONITOR itself, before their commands.
    const d = this.server.dispatcher;
    if (d.monitorCount > 0) d.hooks.monitor?.(c, c.argv);
    const refusal = this.prepare(c, flags, ro);
    if (refusal !== null) return c.reply.error(refusal);
    const compat = (flags & ScriptFlag.EVAL_COMPAT) !== 0;
    this.runner.run({
      caller: c,
      engine,
      fnRef,
      funcname,
      argv: c.argv,
      spec: c.spec!,
      numkeys,
      isEval,
      readOnly: ro || (!compat && (flags & ScriptFlag.NO_WRITES) !== 0),
      allowOom: !compat && (flags & ScriptFlag.ALLOW_OOM) !== 0,
    });
  }

  private prepare(c: ClientContext, flags: number, ro: boolean): string | null {
    const server = this.server;
    const hooks = server.dispatcher.hooks;
    const stale = server.role === 'replica' ? (hooks.refuseStale?.() ?? null) : null;
    const obey = (c.flags & ClientFlag.MASTER) !== 0;
    if (flags & ScriptFlag.EVAL_COMPAT) return stale;
    if (stale !== null && !(flags & ScriptFlag.ALLOW_STALE)) {
      return "MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.";
    }
    if (!(flags & ScriptFlag.NO_WRITES)) {
      if (server.role === 'replica' && server.dispatcher.replicaReadOnly && !obey) return 'READONLY Can not run script with write flag on readonly replica';
      const misconf = obey ? null : (hooks.refuseWrites?.() ?? null);
      if (misconf !== null) {
        return misconf.includes('AOF')
          ? `MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: ${misconf}`
          : "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.";
      }
      if (ro) return 'ERR Can not execute a script with write flag using *_ro command.';
    }
    if (!(flags & (ScriptFlag.ALLOW_OOM | ScriptFlag.NO_WRITES)) && server.config.int('maxmemory') > 0 && !obey && hooks.overMaxmemory?.() === true) {
      return "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";
    }
    return null;
  }
}

const STATE = new ExtKey<ScriptingState>('scripting');

export function installScripting(server: ServerContext): ScriptingState {
  const st = new ScriptingState(server);
  server.ext.set(STATE.name, st);
  return st;
}

/** The server's scripting state (installed by the scripting feature). */
export function scripting(server: ServerContext): ScriptingState {
  return getExt(server.ext, STATE)!;
}
