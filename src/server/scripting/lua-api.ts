/**
 * The JS functions behind the `redis` table and the prelude's helpers (`api` in lua/prelude.ts):
 * redis.call / redis.pcall (arguments read as Redis reads them, the reply pushed back as Lua
 * values, errors as Redis's error tables), sha1hex, log, setresp, set_repl, acl_check_cmd, the
 * "only inside a script" check, the PRNG seed, cjson.null and the lazy library loader.
 *
 * Each function reaches the running script through `host.bridge()` (null between runs). A Lua
 * error is raised by returning RAISE with the error value pushed (see LuaRuntime.guard).
 */

import { randomInt } from 'node:crypto';
import { luaErrorText, numberArgument, pushReply } from './lua-reply.js';
import { LuaType, RAISE, type LuaCFunction, type LuaRuntime, type LuaState } from './lua-wasm.js';
import { sha1hex } from './sha1hex.js';

/** What a running script asks of the server (script-run.ts implements it). */
export interface ScriptBridge {
  /** redis.call/pcall: the command's reply bytes, or the text of a script-level rejection. */
  command(argv: string[]): Buffer | string;
  setResp(resp: 2 | 3): void;
  setRepl(flags: number): void;
  /** redis.acl_check_cmd: allowed or not; null for an unknown command. */
  aclCheck(argv: string[]): boolean | null;
}

export interface ApiHost {
  readonly rt: LuaRuntime;
  /** The running script's bridge, or null between runs. */
  bridge(): ScriptBridge | null;
  /** redis.log: level 0..3 (debug, verbose, notice, warning). */
  log(level: number, text: string): void;
  /** Compiles one of our library chunks (bit, struct, cmsgpack, cjson) onto L; false if unknown. */
  loadLibrary(name: string, L: LuaState): boolean;
  /** Registers a JS function and pushes it as a C function on the host's state. */
  pushFunction(fn: LuaCFunction): void;
}

/** The call's arguments as Redis takes them (strings, numbers as %.17g); null if one is neither. */
function readArgs(rt: LuaRuntime, L: LuaState): string[] | null {
  const api = rt.api;
  const n = api._lua_gettop(L);
  const argv = new Array<string>(n);
  for (let i = 1; i <= n; i++) {
    const t = api._lua_type(L, i);
    const s = t === LuaType.NUMBER ? numberArgument(rt, L, i) : t === LuaType.STRING ? rt.toString(L, i) : null;
    if (s === null) return null;
    argv[i - 1] = s;
  }
  return argv;
}

const NO_ARGS = 'ERR Please specify at least one argument for this redis lib call';
const BAD_ARGS = 'ERR Lua redis lib command arguments must be strings or integers';

function redisCall(host: ApiHost, L: LuaState, raise: boolean): number {
  const rt = host.rt;
  const bridge = host.bridge();
  if (bridge === null) {
    rt.pushErrorTable(L, 'ERR redis.call/pcall can only be called inside a script invocation', false);
    return RAISE;
  }
  const argv = rt.api._lua_gettop(L) === 0 ? NO_ARGS : (readArgs(rt, L) ?? BAD_ARGS);
  rt.api._lua_settop(L, 0);
  if (typeof argv === 'string') {
    rt.pushErrorTable(L, argv, false);
    return raise ? RAISE : 1;
  }
  const out = bridge.command(argv);
  if (typeof out === 'string') {
    rt.pushErrorTable(L, luaErrorText(out), true);
    return raise ? RAISE : 1;
  }
  pushReply(rt, L, out);
  return raise && out[0] === 45 ? RAISE : 1;
}

function aclCheck(host: ApiHost, L: LuaState): number {
  const rt = host.rt;
  const bridge = host.bridge();
  if (bridge === null) {
    rt.pushErrorTable(L, 'ERR redis.acl_check_cmd can only be called inside a script invocation', false);
    return RAISE;
  }
  const argv = rt.api._lua_gettop(L) === 0 ? NO_ARGS : (readArgs(rt, L) ?? BAD_ARGS);
  if (typeof argv === 'string') {
    rt.pushErrorTable(L, argv, false);
    return RAISE;
  }
  const ok = bridge.aclCheck(argv);
  if (ok === null) {
    rt.pushErrorTable(L, 'ERR Invalid command passed to redis.acl_check_cmd()', false);
    return RAISE;
  }
  rt.api._lua_pushboolean(L, ok ? 1 : 0);
  return 1;
}

/** api.inscript(msg, asTable): raises when no script is running. */
function inScript(host: ApiHost, L: LuaState): number {
  if (host.bridge() !== null) return 0;
  const rt = host.rt;
  const msg = rt.toString(L, 1) ?? '';
  if (rt.api._lua_toboolean(L, 2) !== 0) rt.pushErrorTable(L, `ERR ${msg}`, false);
  else rt.pushString(L, msg);
  return RAISE;
}

/** Pushes the `api` table the prelude receives onto L (the host's own state). */
export function pushApiTable(host: ApiHost, L: LuaState): void {
  const rt = host.rt;
  const api = rt.api;
  const fields: [string, LuaCFunction][] = [
    ['call', (S) => redisCall(host, S, true)],
    ['pcall', (S) => redisCall(host, S, false)],
    ['acl_check_cmd', (S) => aclCheck(host, S)],
    ['inscript', (S) => inScript(host, S)],
    [
      'sha1hex',
      (S) => {
        rt.pushString(S, sha1hex(rt.toString(S, 1) ?? ''));
        return 1;
      },
    ],
    [
      'log',
      (S) => {
        host.log(api._lua_tonumberx(S, 1, 0), rt.toString(S, 2) ?? '');
        return 0;
      },
    ],
    [
      'seed',
      (S) => {
        api._lua_pushinteger(S, BigInt(randomInt(0, 2 ** 31)));
        return 1;
      },
    ],
    [
      'setresp',
      (S) => {
        host.bridge()?.setResp(api._lua_tonumberx(S, 1, 0) === 3 ? 3 : 2);
        return 0;
      },
    ],
    [
      'set_repl',
      (S) => {
        host.bridge()?.setRepl(api._lua_tonumberx(S, 1, 0));
        return 0;
      },
    ],
    ['lib', (S) => (host.loadLibrary(rt.toString(S, 1) ?? '', S) ? 1 : 0)],
  ];
  api._lua_createtable(L, 0, fields.length + 1);
  for (const [name, fn] of fields) {
    host.pushFunction(fn);
    rt.setField(L, -2, name);
  }
  api._lua_pushlightuserdata(L, 0);
  rt.setField(L, -2, 'null');
}
