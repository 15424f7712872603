/**
 * One Lua interpreter with Redis's environment: a lua_State built by the prelude (globals,
 * protection, libraries; the JS functions the `redis` table calls are in lua-api.ts), compilation
 * of script bodies and libraries, and the execution of one script at a time.
 *
 * A script always runs inside one reusable coroutine (`thread`) under the prelude's xpcall
 * trampoline, so it can be suspended: a count hook (every HOOK_COUNT instructions) yields once
 * `yieldAt` has passed, and raises Redis's kill error once `killed` is set (then on every line, so a
 * pcall in the script cannot swallow it). The caller decides when to yield and resumes with
 * `resume()`; while suspended, no other script may run on this engine.
 *
 * Invariant: between runs the coroutine's stack is empty and `bridge` is null.
 */

import { pushApiTable, type ScriptBridge } from './lua-api.js';
import { writeError, writeLuaValue } from './lua-reply.js';
import {
  LUA_MASKCOUNT,
  LUA_MASKLINE,
  LUA_OK,
  LUA_REGISTRYINDEX,
  LUA_YIELD,
  LuaType,
  type LuaRuntime,
  type LuaState,
} from './lua-wasm.js';
import { PRELUDE } from './lua/prelude.js';
import { BIT_LIB, STRUCT_LIB } from './lua/bit-struct.js';
import { CMSGPACK_LIB } from './lua/cmsgpack.js';
import { CJSON_LIB } from './lua/cjson.js';
import type { ReplyWriter } from '../../protocol/reply-writer.js';
import { ScriptEngineError } from '../../errors.js';

export type EngineMode = 'eval' | 'function';

export interface EngineOptions {
  readonly version: string;
  /** redis.log lines (level 0..3 = debug, verbose, notice, warning). */
  log(level: number, text: string): void;
  /** Internal errors (a bug in a JS function called from Lua). */
  warn(text: string): void;
}

/** A function a library registered. */
export interface RegisteredFunction {
  readonly name: string;
  readonly ref: number;
  readonly description: string | null;
  readonly flags: number;
}

const HOOK_COUNT = 100000;
const LIBS = new Map([
  ['bit', BIT_LIB],
  ['struct', STRUCT_LIB],
  ['cmsgpack', CMSGPACK_LIB],
  ['cjson', CJSON_LIB],
]);
const KILLED = 'ERR Script killed by user with SCRIPT KILL...';

function versionNumber(v: string): number {
  const [a = 0, b = 0, c = 0] = v.split('.').map(Number);
  return (a << 16) | (b << 8) | c;
}

export class LuaEngine {
  readonly L: LuaState;
  private readonly thread: LuaState;
  private readonly runRef: bigint;
  private readonly globalsRef: bigint;
  private readonly loadLibraryRef: number;
  private readonly countRef: number;
  private readonly fnPtrs: number[] = [];
  private readonly hookPtr: number;
  private readonly loadHookPtr: number;
  private loadDeadline = 0;
  private closed = false;
  /** lua_resume's status of the run that just finished. */
  private status = LUA_OK;
  /** The running script's link to the server (null between runs). */
  bridge: ScriptBridge | null = null;
  /** performance.now() past which the hook suspends the script (Infinity: never). */
  yieldAt = Infinity;
  /** SCRIPT KILL / FUNCTION KILL was accepted: the next hook raises the kill error. */
  killed = false;

  constructor(
    private readonly rt: LuaRuntime,
    readonly mode: EngineMode,
    private readonly opts: EngineOptions,
  ) {
    const api = rt.api;
    const L = api._luaL_newstate();
    this.L = L;
    api._luaL_openlibs(L);
    this.hookPtr = api.addFunction((S: number, ar: number) => this.hook(S, ar), 'vii');
    this.loadHookPtr = api.addFunction((S: number, ar: number) => this.loadHook(S, ar), 'vii');
    this.fnPtrs.push(this.hookPtr, this.loadHookPtr);
    const internals = this.runPrelude();
    this.runRef = BigInt(this.refField(internals, 'run'));
    this.globalsRef = BigInt(this.refField(internals, 'R'));
    this.loadLibraryRef = this.refField(internals, 'load_library');
    this.countRef = this.refField(internals, 'count');
    api._lua_settop(L, 0);
    this.thread = api._lua_newthread(L);
    this.refTop(); // keeps the coroutine alive
    api._lua_sethook(this.thread, this.hookPtr, LUA_MASKCOUNT, HOOK_COUNT);
  }

  private refTop(): number {
    return this.rt.api._luaL_ref(this.L, LUA_REGISTRYINDEX);
  }

  private refField(tableIdx: number, name: string): number {
    this.rt.api._lua_getfield(this.L, tableIdx, this.rt.name(name));
    return this.refTop();
  }

  /** Builds the environment; leaves the prelude's internals table at stack index 1. */
  private runPrelude(): number {
    const { rt, L } = this;
    const api = rt.api;
    api._lua_settop(L, 0);
    this.load(PRELUDE, '=[redis]');
    pushApiTable(
      {
        rt,
        bridge: () => this.bridge,
        log: (level, text) => this.opts.log(level, text),
        loadLibrary: (name, S) => {
          const src = LIBS.get(name);
          if (src === undefined) return false;
          this.load(src, '=[lib]', S);
          return true;
        },
        pushFunction: (fn) => {
          const p = rt.guard(fn, (err) => this.opts.warn(`Internal error in a Lua API function: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
          this.fnPtrs.push(p);
          api._lua_pushcclosure(L, p, 0);
        },
      },
      L,
    );
    rt.pushString(L, this.mode);
    rt.pushString(L, this.opts.version);
    api._lua_pushinteger(L, BigInt(versionNumber(this.opts.version)));
    if (api._lua_pcallk(L, 4, 1, 0, 0, 0) !== LUA_OK) throw new ScriptEngineError(`Lua prelude failed: ${rt.toString(L, -1) ?? '?'}`);
    return 1;
  }

  /** Compiles a chunk of ours onto L's stack (never fails unless the source is broken). */
  private load(src: string, name: string, L: LuaState = this.L): void {
    const { rt } = this;
    const b = Buffer.from(src, 'latin1');
    const p = rt.stage(b);
    if (rt.api._luaL_loadbufferx(L, p, b.length, rt.name(name), rt.name('t')) !== LUA_OK) {
      throw new ScriptEngineError(`Lua source ${name} failed to compile: ${rt.toString(L, -1) ?? '?'}`);
    }
  }

  /**
   * True when the hook fired in our own Lua (the prelude, the error handler, the libraries): an
   * error raised there would escape the script's handler, so kill and timeout wait for user code.
   * Reads lua_Debug.source (offset 16 on wasm32) after lua_getinfo("S").
   */
  private inInternalCode(L: LuaState, ar: number): boolean {
    const api = this.rt.api;
    if (api._lua_getinfo(L, this.rt.name('S'), ar) === 0) return false;
    const src = api.HEAPU32[(ar + 16) >> 2]!;
    return src !== 0 && api.HEAPU8[src] === 61 /* = */ && api.HEAPU8[src + 1] === 91 /* [ */;
  }

  private hook(L: LuaState, ar: number): void {
    const api = this.rt.api;
    if (this.killed) {
      if (this.inInternalCode(L, ar)) return;
      api._lua_sethook(L, this.hookPtr, LUA_MASKLINE, 0);
      if (L !== this.thread) api._lua_sethook(this.thread, this.hookPtr, LUA_MASKLINE, 0);
      this.rt.pushErrorTable(L, KILLED, false);
      api._lua_error(L);
      return;
    }
    if (L === this.thread && performance.now() >= this.yieldAt && api._lua_isyieldable(L) !== 0) {
      api._lua_yieldk(L, 0, 0, 0);
    }
  }

  private loadHook(L: LuaState, ar: number): void {
    if (this.loadDeadline > 0 && performance.now() > this.loadDeadline && !this.inInternalCode(L, ar)) {
      this.rt.api._lua_sethook(L, this.loadHookPtr, LUA_MASKLINE, 0);
      this.rt.pushErrorTable(L, 'ERR FUNCTION LOAD timeout', false);
      this.rt.api._lua_error(L);
    }
  }

  // ---- compiling -----------------------------------------------------------------------------

  /** Compiles a user chunk; returns its registry reference or Lua's error message. */
  compile(code: string, chunkname: string): number | string {
    const { rt, L } = this;
    const b = Buffer.from(code, 'latin1');
    const p = rt.stage(b);
    if (rt.api._luaL_loadbufferx(L, p, b.length, rt.name(chunkname), rt.name('t')) !== LUA_OK) {
      const msg = rt.toString(L, -1) ?? 'syntax error';
      rt.api._lua_settop(L, 0);
      return msg;
    }
    return this.refTop();
  }

  unref(ref: number): void {
    if (!this.closed) this.rt.api._luaL_unref(this.L, LUA_REGISTRYINDEX, ref);
  }

  /**
   * FUNCTION LOAD: runs a compiled library with the registration globals (timeout in ms, 0 for
   * none); returns the functions it registered, or the error text ("ERR …").
   */
  loadLibrary(chunkRef: number, timeoutMs: number): RegisteredFunction[] | string {
    const { rt, L } = this;
    const api = rt.api;
    api._lua_settop(L, 0);
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.loadLibraryRef));
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(chunkRef));
    this.loadDeadline = timeoutMs > 0 ? performance.now() + timeoutMs : 0;
    api._lua_sethook(L, this.loadHookPtr, LUA_MASKCOUNT, HOOK_COUNT);
    const status = api._lua_pcallk(L, 1, 2, 0, 0, 0);
    api._lua_sethook(L, 0, 0, 0);
    try {
      if (status !== LUA_OK) return `ERR ${rt.toString(L, -1) ?? 'error loading the library'}`;
      if (api._lua_toboolean(L, 1) === 0) {
        if (api._lua_type(L, 2) !== LuaType.TABLE) return `ERR ${rt.toString(L, 2) ?? 'error'}`;
        rt.rawGetField(L, 2, 'err');
        return rt.toString(L, -1) ?? 'ERR error';
      }
      return this.collectFunctions();
    } finally {
      api._lua_settop(L, 0);
    }
  }

  /** Reads load_library's {name = {fn, desc, flags}} table (stack index 2). */
  private collectFunctions(): RegisteredFunction[] {
    const { rt, L } = this;
    const api = rt.api;
    const out: RegisteredFunction[] = [];
    api._lua_pushnil(L);
    while (api._lua_next(L, 2) !== 0) {
      const name = rt.toString(L, -2) ?? '';
      const description = rt.rawGetField(L, -1, 'desc') === LuaType.STRING ? rt.toString(L, -1) : null;
      api._lua_settop(L, -2);
      rt.rawGetField(L, -1, 'flags');
      const flags = api._lua_tonumberx(L, -1, 0);
      api._lua_settop(L, -2);
      rt.rawGetField(L, -1, 'fn');
      const ref = this.refTop();
      out.push({ name, ref, description, flags });
      api._lua_settop(L, -2);
    }
    return out;
  }

  // ---- running -------------------------------------------------------------------------------

  private pushArray(L: LuaState, items: readonly string[], from: number, to: number): void {
    const api = this.rt.api;
    api._lua_createtable(L, to - from, 0);
    for (let i = from; i < to; i++) {
      this.rt.pushString(L, items[i]!);
      api._lua_rawseti(L, -2, BigInt(i - from + 1));
    }
  }

  /**
   * Starts a compiled script with keys argv[from, from+numkeys) and the rest as arguments (EVAL:
   * as the globals KEYS/ARGV; FCALL: as the function's two arguments). Returns true when it
   * finished, false when it was suspended.
   */
  start(fnRef: bigint, argv: readonly string[], from: number, numkeys: number): boolean {
    const { rt, thread: T } = this;
    const api = rt.api;
    if (this.killed) {
      // The kill switched the hook to every line; back to counting.
      this.killed = false;
      api._lua_sethook(T, this.hookPtr, LUA_MASKCOUNT, HOOK_COUNT);
    }
    api._lua_settop(T, 0);
    api._lua_rawgeti(T, LUA_REGISTRYINDEX, this.runRef);
    api._lua_rawgeti(T, LUA_REGISTRYINDEX, fnRef);
    let nargs = 1;
    if (this.mode === 'eval') {
      api._lua_rawgeti(T, LUA_REGISTRYINDEX, this.globalsRef);
      this.pushArray(T, argv, from, from + numkeys);
      rt.rawSetField(T, -2, 'KEYS');
      this.pushArray(T, argv, from + numkeys, argv.length);
      rt.rawSetField(T, -2, 'ARGV');
      api._lua_settop(T, -2);
    } else {
      this.pushArray(T, argv, from, from + numkeys);
      this.pushArray(T, argv, from + numkeys, argv.length);
      nargs = 3;
    }
    return this.step(nargs);
  }

  /** Continues a suspended script; true when it finished. */
  resume(): boolean {
    return this.step(0);
  }

  private step(nargs: number): boolean {
    const status = this.rt.api._lua_resume(this.thread, this.L, nargs, this.rt.scratchInt());
    if (status === LUA_YIELD) return false;
    this.status = status;
    return true;
  }

  /**
   * Writes a finished script's reply (its first return value, or its error with Redis's
   * " script: <name>, on <source>:<line>." suffix) and empties the coroutine.
   */
  finish(w: ReplyWriter, funcname: string, scriptResp: 2 | 3): void {
    const { rt, thread: T } = this;
    const api = rt.api;
    try {
      if (this.status !== LUA_OK) {
        const msg = rt.toString(T, -1) ?? 'execution failure';
        w.error(`ERR Error running script ${funcname}, ${msg.slice(0, 100)}`);
        api._lua_resetthread(T);
        return;
      }
      if (api._lua_toboolean(T, 1) !== 0) {
        if (api._lua_gettop(T) < 2) api._lua_pushnil(T);
        writeLuaValue(rt, T, 2, w, scriptResp);
        return;
      }
      this.writeScriptError(w, funcname);
    } finally {
      api._lua_settop(T, 0);
      this.status = LUA_OK;
    }
  }

  private writeScriptError(w: ReplyWriter, funcname: string): void {
    const { rt, thread: T } = this;
    const api = rt.api;
    if (api._lua_type(T, 2) !== LuaType.TABLE) {
      w.error(`ERR Error running script ${funcname}, ${(rt.toString(T, 2) ?? 'execution failure').slice(0, 100)}`);
      return;
    }
    const field = (name: string): string | null => {
      const s = rt.rawGetField(T, 2, name) === LuaType.NIL ? null : rt.toString(T, -1);
      api._lua_settop(T, -2);
      return s;
    };
    const msg = field('err') ?? '(null)';
    const source = field('source');
    const line = field('line');
    rt.rawGetField(T, 2, 'ignore_error_stats_update');
    const ignore = api._lua_toboolean(T, -1) !== 0;
    api._lua_settop(T, -2);
    const where = source !== null && line !== null ? ` script: ${funcname}, on ${source}:${line}.` : '';
    writeError(w, `${msg}${where}`, ignore);
  }

  /** Drops a suspended script (SHUTDOWN NOSAVE while it ran). */
  abandon(): void {
    if (this.closed) return;
    this.rt.api._lua_resetthread(this.thread);
    this.rt.api._lua_settop(this.thread, 0);
    this.bridge = null;
  }

  /** Memory used by the interpreter, in bytes (Lua's collectgarbage('count')). */
  memory(): number {
    if (this.closed) return 0;
    const api = this.rt.api;
    const L = this.L;
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.countRef));
    if (api._lua_pcallk(L, 0, 1, 0, 0, 0) !== LUA_OK) {
      api._lua_settop(L, 0);
      return 0;
    }
    const kb = api._lua_tonumberx(L, -1, 0);
    api._lua_settop(L, 0);
    return Math.round(kb * 1024);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rt.api._lua_close(this.L);
    for (const p of this.fnPtrs) this.rt.api.removeFunction(p);
  }
}
