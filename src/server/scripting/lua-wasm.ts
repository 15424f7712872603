/**
 * The Lua VM binding: Lua 5.4 compiled to WebAssembly (npm `wasmoon`), driven through its raw C API
 * exports. wasmoon's own object layer (engine, automatic conversions, UTF-8 strings) is not used:
 * Redis values are byte strings, so strings cross the boundary as latin1 through the WASM heap, and
 * the few C functions the node needs are typed here once (`LuaApi`).
 *
 * One WASM module per process (loaded once, asynchronously); every server of the process creates
 * its own lua_States inside it. Memory views are re-read after any call that may grow the heap.
 *
 * JS functions called from Lua (`LuaCFunction`) must never let a JS exception unwind WASM frames:
 * Lua's own errors (longjmp) travel as the number `Infinity`, which `guard` lets through; anything
 * else is turned into a Lua error so the state stays consistent.
 */

import { LuaWasm } from 'wasmoon';

/** A lua_State pointer. */
export type LuaState = number;
/** A function Lua can call: returns the number of results it pushed. */
export type LuaCFunction = (L: LuaState) => number;

export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_REGISTRYINDEX = -1001000;
export const LUA_RIDX_GLOBALS = 2;
export const LUA_MASKLINE = 4;
export const LUA_MASKCOUNT = 8;
export const LuaType = { NONE: -1, NIL: 0, BOOLEAN: 1, LIGHTUSERDATA: 2, NUMBER: 3, STRING: 4, TABLE: 5, FUNCTION: 6, USERDATA: 7, THREAD: 8 } as const;

/** The raw exports of the Lua build that the node uses. */
export interface LuaApi {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  removeFunction(ptr: number): void;
  _luaL_newstate(): LuaState;
  _luaL_openlibs(L: LuaState): void;
  _lua_close(L: LuaState): void;
  _lua_newthread(L: LuaState): LuaState;
  _lua_resetthread(L: LuaState): number;
  _lua_resume(L: LuaState, from: LuaState, nargs: number, nresults: number): number;
  _lua_yieldk(L: LuaState, nresults: number, ctx: number, k: number): number;
  _lua_isyieldable(L: LuaState): number;
  _lua_sethook(L: LuaState, fn: number, mask: number, count: number): void;
  _lua_getinfo(L: LuaState, what: number, ar: number): number;
  _lua_gettop(L: LuaState): number;
  _lua_settop(L: LuaState, idx: number): void;
  _lua_pushvalue(L: LuaState, idx: number): void;
  _lua_rotate(L: LuaState, idx: number, n: number): void;
  _lua_xmove(from: LuaState, to: LuaState, n: number): void;
  _lua_checkstack(L: LuaState, n: number): number;
  _lua_type(L: LuaState, idx: number): number;
  _lua_isinteger(L: LuaState, idx: number): number;
  _lua_tonumberx(L: LuaState, idx: number, isnum: number): number;
  _lua_tointegerx(L: LuaState, idx: number, isnum: number): bigint;
  _lua_toboolean(L: LuaState, idx: number): number;
  _lua_tolstring(L: LuaState, idx: number, len: number): number;
  _lua_rawlen(L: LuaState, idx: number): number;
  _lua_pushnil(L: LuaState): void;
  _lua_pushnumber(L: LuaState, n: number): void;
  _lua_pushinteger(L: LuaState, n: bigint): void;
  _lua_pushlstring(L: LuaState, s: number, len: number): number;
  _lua_pushboolean(L: LuaState, b: number): void;
  _lua_pushlightuserdata(L: LuaState, p: number): void;
  _lua_pushcclosure(L: LuaState, fn: number, n: number): void;
  _lua_createtable(L: LuaState, narr: number, nrec: number): void;
  _lua_rawget(L: LuaState, idx: number): number;
  _lua_rawgeti(L: LuaState, idx: number, n: bigint): number;
  _lua_rawset(L: LuaState, idx: number): void;
  _lua_rawseti(L: LuaState, idx: number, n: bigint): void;
  _lua_getfield(L: LuaState, idx: number, k: number): number;
  _lua_setfield(L: LuaState, idx: number, k: number): void;
  _lua_next(L: LuaState, idx: number): number;
  _lua_error(L: LuaState): number;
  _luaL_ref(L: LuaState, t: number): number;
  _luaL_unref(L: LuaState, t: number, ref: number): void;
  _luaL_loadbufferx(L: LuaState, buf: number, size: number, name: number, mode: number): number;
  _lua_pcallk(L: LuaState, nargs: number, nresults: number, msgh: number, ctx: number, k: number): number;
}

/** Returned by a guarded body: raise the value on top of the stack as a Lua error. */
export const RAISE = -1;

let loading: Promise<LuaRuntime> | null = null;

/** Loads the WASM module once per process. */
export function loadLuaRuntime(): Promise<LuaRuntime> {
  if (loading === null) loading = LuaWasm.initialize().then((w) => new LuaRuntime(w.module as unknown as LuaApi));
  return loading;
}

/** The loaded module with string helpers over its heap. */
export class LuaRuntime {
  private heapBuf: Buffer;
  private scratch: number;
  private scratchSize = 4096;
  /** One size_t out-parameter slot, reused by every lua_tolstring. */
  private readonly lenPtr: number;
  private readonly names = new Map<string, number>();
  /** An int out-parameter slot (lua_resume's result count). */
  private readonly intPtr: number;

  constructor(readonly api: LuaApi) {
    this.heapBuf = Buffer.from(api.HEAPU8.buffer);
    this.scratch = api._malloc(this.scratchSize);
    this.lenPtr = api._malloc(8);
    this.intPtr = api._malloc(8);
  }

  scratchInt(): number {
    return this.intPtr;
  }

  /** The heap as a Buffer, re-created when the memory grew (the old view is detached). */
  heap(): Buffer {
    const u8 = this.api.HEAPU8;
    if (this.heapBuf.buffer !== u8.buffer) this.heapBuf = Buffer.from(u8.buffer);
    return this.heapBuf;
  }

  /** A NUL-terminated C string for a constant name (field names, chunk names), allocated once. */
  name(s: string): number {
    let p = this.names.get(s);
    if (p === undefined) {
      const b = Buffer.from(`${s}\0`, 'latin1');
      p = this.api._malloc(b.length);
      this.heap().set(b, p);
      this.names.set(s, p);
    }
    return p;
  }

  private ensureScratch(n: number): number {
    if (n > this.scratchSize) {
      this.api._free(this.scratch);
      this.scratchSize = Math.max(n, this.scratchSize * 2);
      this.scratch = this.api._malloc(this.scratchSize);
    }
    return this.scratch;
  }

  /** Pushes a latin1 (byte) string. */
  pushString(L: LuaState, s: string): void {
    const n = s.length;
    const p = this.ensureScratch(n);
    if (n > 0) latin1Write(this.heap(), s, p, n);
    this.api._lua_pushlstring(L, p, n);
  }

  /** Pushes bytes[start, end). */
  pushBytes(L: LuaState, bytes: Buffer, start: number, end: number): void {
    const n = end - start;
    const p = this.ensureScratch(n);
    if (n > 0) bytes.copy(this.heap(), p, start, end);
    this.api._lua_pushlstring(L, p, n);
  }

  /** Copies bytes into the scratch area and returns its address (for strings pushed by offset). */
  stage(bytes: Buffer): number {
    const p = this.ensureScratch(bytes.length);
    bytes.copy(this.heap(), p);
    return p;
  }

  /** The string at `idx` as latin1, or null when the value is neither a string nor a number. */
  toString(L: LuaState, idx: number): string | null {
    const p = this.api._lua_tolstring(L, idx, this.lenPtr);
    if (p === 0) return null;
    const n = this.api.HEAPU32[this.lenPtr >> 2]!;
    return latin1Slice(this.heap(), p, p + n);
  }

  /** Sets t[name] = top (t at `idx`, raw), popping the value. */
  setField(L: LuaState, idx: number, name: string): void {
    this.api._lua_setfield(L, idx, this.name(name));
  }

  /**
   * Pushes t[name] for the table at `idx` without metamethods (returns its type). Every access from
   * JS outside a protected call must be raw: a Lua error there aborts the process.
   */
  rawGetField(L: LuaState, idx: number, name: string): number {
    const api = this.api;
    const abs = idx < 0 ? api._lua_gettop(L) + idx + 1 : idx;
    this.pushString(L, name);
    return api._lua_rawget(L, abs);
  }

  /** Sets t[name] = top for the table at `idx` without metamethods, popping the value. */
  rawSetField(L: LuaState, idx: number, name: string): void {
    const api = this.api;
    const abs = idx < 0 ? api._lua_gettop(L) + idx + 1 : idx;
    this.pushString(L, name);
    api._lua_rotate(L, -2, 1);
    api._lua_rawset(L, abs);
  }

  /** Pushes an error table `{err = text}` (Redis's error object). */
  pushErrorTable(L: LuaState, text: string, ignoreStats: boolean): void {
    const api = this.api;
    api._lua_createtable(L, 0, 2);
    this.pushString(L, text);
    this.setField(L, -2, 'err');
    if (ignoreStats) {
      api._lua_pushboolean(L, 1);
      this.setField(L, -2, 'ignore_error_stats_update');
    }
  }

  /**
   * Wraps a JS function for Lua: a thrown JS error becomes a Lua error (never unwinds WASM frames),
   * and a body returning RAISE raises the value on top of the stack.
   */
  guard(body: LuaCFunction, onError: (err: unknown) => void): number {
    const api = this.api;
    return api.addFunction((L: number) => {
      let r: number;
      try {
        r = body(L);
      } catch (err) {
        if (err === Infinity) throw err; // a Lua error (longjmp) in flight
        onError(err);
        this.pushErrorTable(L, 'ERR internal error in a scripting function', false);
        r = RAISE;
      }
      return r === RAISE ? api._lua_error(L) : r;
    }, 'ii');
  }
}

/** Node's internal latin1 codecs on Buffer (typed here; they skip the encoding lookup). */
interface Latin1Codec {
  latin1Write(s: string, offset: number, length: number): number;
  latin1Slice(start: number, end: number): string;
}

function latin1Write(buf: Buffer, s: string, offset: number, length: number): void {
  (buf as unknown as Latin1Codec).latin1Write(s, offset, length);
}

function latin1Slice(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1Codec).latin1Slice(start, end);
}
