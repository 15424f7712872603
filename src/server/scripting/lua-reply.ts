/**
 * Redis's Lua ↔ RESP conversion rules (script_lua.c), both ways:
 *
 * - `pushReply`: a command's reply (RESP2/RESP3 bytes, as the script's client received them) onto
 *   the Lua stack: integer → number, bulk → string, null bulk/array → false, status → {ok=…},
 *   error → {err=…, ignore_error_stats_update=true}, array → table, RESP3 map → {map={…}},
 *   set → {set={member=true}}, null → nil, boolean, double → {double=n}, big number →
 *   {big_number=s}, verbatim → {verbatim_string={string=…, format=…}}; attributes are skipped.
 * - `writeLuaValue`: the value a script returned, into the caller's ReplyWriter: string → bulk,
 *   number → integer (truncated toward zero, as Redis's (long long) cast), boolean → 1/null in
 *   RESP2 scripts or a RESP3 boolean, tables by their err/ok/double/big_number/verbatim_string/map/
 *   set field or else as an array up to the first nil; anything else → null. Nesting deeper than
 *   MAX_DEPTH ends with Redis's "-ERR reached lua stack limit" (recursive tables terminate).
 */

import type { ReplyWriter } from '../../protocol/reply-writer.js';
import { formatDouble } from '../../protocol/double-format.js';
import { LuaType, type LuaRuntime, type LuaState } from './lua-wasm.js';

const MAX_DEPTH = 1000;
const INT64_MIN = '-9223372036854775808';

class Cursor {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  line(): string {
    const end = this.buf.indexOf(13, this.pos);
    const s = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 2;
    return s;
  }
}

/** Pushes one RESP reply read from `c` (recursively for aggregates). */
function pushValue(rt: LuaRuntime, L: LuaState, c: Cursor, base: number): void {
  const api = rt.api;
  api._lua_checkstack(L, 4);
  const type = c.buf[c.pos++]!;
  switch (type) {
    case 36 /* $ */: {
      const n = Number(c.line());
      if (n < 0) return api._lua_pushboolean(L, 0);
      api._lua_pushlstring(L, base + c.pos, n);
      c.pos += n + 2;
      return;
    }
    case 58 /* : */: {
      const s = c.line();
      const n = Number(s);
      if (Number.isSafeInteger(n)) api._lua_pushinteger(L, BigInt(n));
      else api._lua_pushinteger(L, BigInt(s));
      return;
    }
    case 43 /* + */: {
      const start = c.pos;
      const end = c.buf.indexOf(13, start);
      api._lua_createtable(L, 0, 1);
      api._lua_pushlstring(L, base + start, end - start);
      rt.setField(L, -2, 'ok');
      c.pos = end + 2;
      return;
    }
    case 45 /* - */:
      return pushErrorReply(rt, L, c.line());
    case 42 /* * */:
    case 62 /* > */: {
      const n = Number(c.line());
      if (n < 0) return api._lua_pushboolean(L, 0);
      api._lua_createtable(L, n, 0);
      for (let i = 1; i <= n; i++) {
        pushValue(rt, L, c, base);
        api._lua_rawseti(L, -2, BigInt(i));
      }
      return;
    }
    case 37 /* % */:
    case 126 /* ~ */: {
      const n = Number(c.line());
      api._lua_createtable(L, 0, 1);
      api._lua_createtable(L, 0, n);
      for (let i = 0; i < n; i++) {
        pushValue(rt, L, c, base);
        if (type === 37) pushValue(rt, L, c, base);
        else api._lua_pushboolean(L, 1);
        api._lua_rawset(L, -3);
      }
      rt.setField(L, -2, type === 37 ? 'map' : 'set');
      return;
    }
    case 95 /* _ */:
      c.pos += 2;
      return api._lua_pushnil(L);
    case 35 /* # */:
      return api._lua_pushboolean(L, c.line() === 't' ? 1 : 0);
    case 44 /* , */: {
      const s = c.line();
      api._lua_createtable(L, 0, 1);
      api._lua_pushnumber(L, s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));
      rt.setField(L, -2, 'double');
      return;
    }
    case 40 /* ( */: {
      api._lua_createtable(L, 0, 1);
      rt.pushString(L, c.line());
      rt.setField(L, -2, 'big_number');
      return;
    }
    case 61 /* = */: {
      const n = Number(c.line());
      api._lua_createtable(L, 0, 1);
      api._lua_createtable(L, 0, 2);
      api._lua_pushlstring(L, base + c.pos + 4, n - 4);
      rt.setField(L, -2, 'string');
      api._lua_pushlstring(L, base + c.pos, 3);
      rt.setField(L, -2, 'format');
      rt.setField(L, -2, 'verbatim_string');
      c.pos += n + 2;
      return;
    }
    case 124 /* | */: {
      const n = Number(c.line());
      for (let i = 0; i < n * 2; i++) {
        pushValue(rt, L, c, base);
        api._lua_settop(L, -2);
      }
      return pushValue(rt, L, c, base);
    }
    default:
      c.pos = c.buf.length;
      return api._lua_pushnil(L);
  }
}

/** Redis's error object from an error reply: {err = "CODE msg", ignore_error_stats_update = true}. */
function pushErrorReply(rt: LuaRuntime, L: LuaState, text: string): void {
  rt.pushErrorTable(L, luaErrorText(`-${text}`), true);
}

/**
 * luaPushErrorBuff's normalisation: "-CODE msg" keeps its code, a text without a leading '-' gets
 * ERR; the message is trimmed of CR/LF at both ends.
 */
export function luaErrorText(s: string): string {
  let code: string;
  let msg: string;
  if (s.charCodeAt(0) === 45) {
    const sp = s.indexOf(' ');
    if (sp === -1) {
      code = 'ERR';
      msg = s.slice(1);
    } else {
      code = s.slice(1, sp);
      msg = s.slice(sp + 1);
    }
  } else {
    code = 'ERR';
    msg = s;
  }
  return `${code} ${msg.replace(/^[\r\n]+|[\r\n]+$/g, '')}`;
}

/** Pushes the reply in `bytes` (exactly one RESP reply) onto L's stack. */
export function pushReply(rt: LuaRuntime, L: LuaState, bytes: Buffer): void {
  const base = rt.stage(bytes);
  pushValue(rt, L, new Cursor(bytes), base);
}

/** Reads t[name] (raw) onto the stack and returns its type. */
function rawField(rt: LuaRuntime, L: LuaState, name: string): number {
  rt.pushString(L, name);
  return rt.api._lua_rawget(L, -2);
}

function writeNumber(rt: LuaRuntime, L: LuaState, idx: number, w: ReplyWriter): void {
  const api = rt.api;
  const d = api._lua_tonumberx(L, idx, 0);
  if (api._lua_isinteger(L, idx)) {
    // An integer within ±2^53 converts to a double exactly; a larger one is read as a bigint.
    if (Number.isSafeInteger(d)) w.integer(d);
    else w.bigInteger(api._lua_tointegerx(L, idx, 0));
    return;
  }
  if (!Number.isFinite(d) || Math.abs(d) >= 9223372036854775808) return w.bigInteger(BigInt(INT64_MIN));
  const t = Math.trunc(d);
  if (Number.isSafeInteger(t)) w.integer(t === 0 ? 0 : t);
  else w.bigInteger(BigInt(t));
}

/** Writes the table on top of the stack; returns false when it was handled as a special field. */
function writeSpecialTable(rt: LuaRuntime, L: LuaState, w: ReplyWriter, depth: number, scriptResp: 2 | 3): boolean {
  const api = rt.api;
  if (rawField(rt, L, 'err') === LuaType.STRING) {
    const msg = rt.toString(L, -1) ?? '';
    api._lua_settop(L, -2);
    const ignore = rawField(rt, L, 'ignore_error_stats_update') === LuaType.BOOLEAN && api._lua_toboolean(L, -1) !== 0;
    api._lua_settop(L, -2);
    writeError(w, msg, ignore);
    return true;
  }
  api._lua_settop(L, -2);
  if (rawField(rt, L, 'ok') === LuaType.STRING) {
    w.simple(cString(rt.toString(L, -1) ?? '').replace(/[\r\n]/g, ' '));
    api._lua_settop(L, -2);
    return true;
  }
  api._lua_settop(L, -2);
  if (rawField(rt, L, 'double') === LuaType.NUMBER) {
    w.double(api._lua_tonumberx(L, -1, 0));
    api._lua_settop(L, -2);
    return true;
  }
  api._lua_settop(L, -2);
  if (rawField(rt, L, 'big_number') === LuaType.STRING) {
    const s = (rt.toString(L, -1) ?? '').replace(/[\r\n]/g, ' ');
    api._lua_settop(L, -2);
    if (w.proto === 3) w.raw(Buffer.from(`(${s}\r\n`, 'latin1'));
    else w.bulk(s);
    return true;
  }
  api._lua_settop(L, -2);
  if (rawField(rt, L, 'verbatim_string') === LuaType.TABLE && writeVerbatim(rt, L, w)) {
    api._lua_settop(L, -2);
    return true;
  }
  api._lua_settop(L, -2);
  const map = rawField(rt, L, 'map');
  if (map === LuaType.TABLE) {
    writeCollection(rt, L, w, depth, scriptResp, true);
    api._lua_settop(L, -2);
    return true;
  }
  api._lua_settop(L, -2);
  if (rawField(rt, L, 'set') === LuaType.TABLE) {
    writeCollection(rt, L, w, depth, scriptResp, false);
    api._lua_settop(L, -2);
    return true;
  }
  api._lua_settop(L, -2);
  return false;
}

function writeVerbatim(rt: LuaRuntime, L: LuaState, w: ReplyWriter): boolean {
  const api = rt.api;
  if (rawField(rt, L, 'format') !== LuaType.STRING) {
    api._lua_settop(L, -2);
    return false;
  }
  const format = rt.toString(L, -1) ?? '';
  api._lua_settop(L, -2);
  if (rawField(rt, L, 'string') !== LuaType.STRING) {
    api._lua_settop(L, -2);
    return false;
  }
  const text = rt.toString(L, -1) ?? '';
  api._lua_settop(L, -2);
  if (w.proto === 3) {
    const head = `=${text.length + 4}\r\n${format.slice(0, 3).padEnd(3, ' ')}:`;
    w.raw(Buffer.from(`${head}${text}\r\n`, 'latin1'));
  } else {
    w.bulk(text);
  }
  return true;
}

/** A {map=…} or {set=…} field's table (on top of the stack). */
function writeCollection(rt: LuaRuntime, L: LuaState, w: ReplyWriter, depth: number, scriptResp: 2 | 3, isMap: boolean): void {
  const api = rt.api;
  let n = 0;
  api._lua_pushnil(L);
  while (api._lua_next(L, -2) !== 0) {
    api._lua_settop(L, -2);
    n++;
  }
  if (isMap) w.map(n);
  else w.set(n);
  api._lua_pushnil(L);
  while (api._lua_next(L, -2) !== 0) {
    if (isMap) {
      api._lua_pushvalue(L, -2);
      writeAt(rt, L, -1, w, depth + 1, scriptResp);
      api._lua_settop(L, -2);
      writeAt(rt, L, -1, w, depth + 1, scriptResp);
    } else {
      writeAt(rt, L, -2, w, depth + 1, scriptResp);
    }
    api._lua_settop(L, -2);
  }
}

function writeArray(rt: LuaRuntime, L: LuaState, w: ReplyWriter, depth: number, scriptResp: 2 | 3): void {
  const api = rt.api;
  let n = 0;
  while (api._lua_rawgeti(L, -1, BigInt(n + 1)) !== LuaType.NIL) {
    api._lua_settop(L, -2);
    n++;
  }
  api._lua_settop(L, -2);
  w.array(n);
  for (let i = 1; i <= n; i++) {
    api._lua_rawgeti(L, -1, BigInt(i));
    writeAt(rt, L, -1, w, depth + 1, scriptResp);
    api._lua_settop(L, -2);
  }
}

/** Writes the value at `idx` (a negative, top-relative index) into `w`. */
function writeAt(rt: LuaRuntime, L: LuaState, idx: number, w: ReplyWriter, depth: number, scriptResp: 2 | 3): void {
  const api = rt.api;
  if (depth > MAX_DEPTH || api._lua_checkstack(L, 4) === 0) {
    w.error('ERR reached lua stack limit');
    return;
  }
  switch (api._lua_type(L, idx)) {
    case LuaType.STRING:
      w.bulk(rt.toString(L, idx) ?? '');
      return;
    case LuaType.BOOLEAN: {
      const b = api._lua_toboolean(L, idx) !== 0;
      if (scriptResp === 2) {
        if (b) w.integer(1);
        else w.nullBulk();
      } else {
        w.boolean(b);
      }
      return;
    }
    case LuaType.NUMBER:
      writeNumber(rt, L, idx, w);
      return;
    case LuaType.TABLE:
      api._lua_pushvalue(L, idx);
      if (!writeSpecialTable(rt, L, w, depth, scriptResp)) writeArray(rt, L, w, depth, scriptResp);
      api._lua_settop(L, -2);
      return;
    default:
      w.nullBulk();
  }
}

/** Writes the script's return value (at `idx`) as the caller's reply. */
export function writeLuaValue(rt: LuaRuntime, L: LuaState, idx: number, w: ReplyWriter, scriptResp: 2 | 3): void {
  writeAt(rt, L, idx, w, 0, scriptResp);
}

/** An error reply; with `ignoreStats` the error is not counted again (it was, when it happened). */
export function writeError(w: ReplyWriter, text: string, ignoreStats: boolean): void {
  if (!ignoreStats) return w.error(text);
  const counter = w.onError;
  w.onError = null;
  w.error(text);
  w.onError = counter;
}

/** A C string view: Redis reads some fields with lua_tostring, stopping at the first NUL. */
function cString(s: string): string {
  const z = s.indexOf('\0');
  return z === -1 ? s : s.slice(0, z);
}

/** Lua number → the argument string Redis builds for redis.call ("%.17g"; integers exactly). */
export function numberArgument(rt: LuaRuntime, L: LuaState, idx: number): string {
  const api = rt.api;
  if (api._lua_isinteger(L, idx)) return api._lua_tointegerx(L, idx, 0).toString();
  return formatDouble(api._lua_tonumberx(L, idx, 0));
}
