/**
 * The Lua VM comparison behind issue 21's choice: fengari (Lua 5.3 in JavaScript) against wasmoon
 * (Lua 5.4 in WebAssembly), both driven through their raw C-style API exactly as the node drives
 * its VM per EVAL: push the cached compiled chunk, build KEYS and ARGV, pcall, convert the reply.
 * `redis.call` is a JS function over a Map, so the figures isolate the VM and the crossing cost.
 *
 *   node bench/lua-vm-compare.mjs            (BENCH_MS=1500 per case by default)
 *
 * Cases: a 2-call script (SET then GET), a 100-iteration pure Lua loop, and the cost of one crossing
 * into redis.call (a script calling it 100 times, per call). Prints µs per EVAL and calls/s.
 */

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const BENCH_MS = Number(process.env.BENCH_MS ?? 1500);

const SCRIPTS = {
  'two-call': "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
  'loop-100': 'local t = {} for i = 1, 100 do t[i] = i * 2 end local s = 0 for i = 1, #t do s = s + t[i] % 7 end return s',
  'call-100': "local v for i = 1, 100 do v = redis.call('GET', KEYS[1]) end return v",
};

function measure(fn) {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < BENCH_MS) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    now = performance.now();
  }
  return ((now - start) * 1000) / n;
}

function fengariRunner() {
  const { lua, lauxlib, lualib } = require('fengari');
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const store = new Map();
  lua.lua_newtable(L);
  lua.lua_pushcfunction(L, (S) => {
    const n = lua.lua_gettop(S);
    const argv = [];
    for (let i = 1; i <= n; i++) argv.push(Buffer.from(lua.lua_tolstring(S, i)).toString('latin1'));
    const name = argv[0].toLowerCase();
    if (name === 'set') {
      store.set(argv[1], argv[2]);
      lua.lua_newtable(S);
      lua.lua_pushstring(S, Buffer.from('OK', 'latin1'));
      lua.lua_setfield(S, -2, Buffer.from('ok'));
      return 1;
    }
    const v = store.get(argv[1]);
    if (v === undefined) lua.lua_pushboolean(S, false);
    else lua.lua_pushstring(S, Buffer.from(v, 'latin1'));
    return 1;
  });
  lua.lua_setfield(L, -2, Buffer.from('call'));
  lua.lua_setglobal(L, Buffer.from('redis'));
  const refs = {};
  for (const [name, src] of Object.entries(SCRIPTS)) {
    if (lauxlib.luaL_loadbuffer(L, Buffer.from(src, 'latin1'), null, Buffer.from('@user_script')) !== 0) throw new Error('load');
    refs[name] = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  }
  const KEYS = Buffer.from('KEYS');
  const ARGV = Buffer.from('ARGV');
  return (name, key, arg) => {
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, refs[name]);
    lua.lua_createtable(L, 1, 0);
    lua.lua_pushstring(L, Buffer.from(key, 'latin1'));
    lua.lua_rawseti(L, -2, 1);
    lua.lua_setglobal(L, KEYS);
    lua.lua_createtable(L, 1, 0);
    lua.lua_pushstring(L, Buffer.from(arg, 'latin1'));
    lua.lua_rawseti(L, -2, 1);
    lua.lua_setglobal(L, ARGV);
    if (lua.lua_pcall(L, 0, 1, 0) !== 0) throw new Error(Buffer.from(lua.lua_tolstring(L, -1)).toString());
    let out;
    if (lua.lua_type(L, -1) === lua.LUA_TSTRING) out = Buffer.from(lua.lua_tolstring(L, -1)).toString('latin1');
    else out = lua.lua_tonumber(L, -1);
    lua.lua_settop(L, 0);
    return out;
  };
}

async function wasmoonRunner() {
  const { LuaFactory } = await import('wasmoon');
  const engine = await new LuaFactory().createEngine({ openStandardLibs: true });
  const m = engine.global.lua.module;
  const L = engine.global.address;
  const store = new Map();
  const scratch = { ptr: m._malloc(1024), size: 1024 };
  const lenPtr = m._malloc(8);
  const cstr = (s) => {
    const b = Buffer.from(s + '\0', 'latin1');
    const p = m._malloc(b.length);
    m.HEAPU8.set(b, p);
    return p;
  };
  const push = (S, s) => {
    const n = s.length;
    if (n > scratch.size) {
      m._free(scratch.ptr);
      scratch.size = n * 2;
      scratch.ptr = m._malloc(scratch.size);
    }
    m.HEAPU8.set(Buffer.from(s, 'latin1'), scratch.ptr);
    m._lua_pushlstring(S, scratch.ptr, n);
  };
  const read = (S, i) => {
    const p = m._lua_tolstring(S, i, lenPtr);
    const n = m.HEAPU32[lenPtr >> 2];
    return Buffer.from(m.HEAPU8.buffer, m.HEAPU8.byteOffset + p, n).toString('latin1');
  };
  const okKey = cstr('ok');
  const call = m.addFunction((S) => {
    const n = m._lua_gettop(S);
    const argv = [];
    for (let i = 1; i <= n; i++) argv.push(read(S, i));
    const name = argv[0].toLowerCase();
    if (name === 'set') {
      store.set(argv[1], argv[2]);
      m._lua_createtable(S, 0, 1);
      push(S, 'OK');
      m._lua_setfield(S, -2, okKey);
      return 1;
    }
    const v = store.get(argv[1]);
    if (v === undefined) m._lua_pushboolean(S, 0);
    else push(S, v);
    return 1;
  }, 'ii');
  m._lua_createtable(L, 0, 1);
  m._lua_pushcclosure(L, call, 0);
  m._lua_setfield(L, -2, cstr('call'));
  m._lua_setglobal(L, cstr('redis'));
  const REG = -1001000;
  const refs = {};
  const name = cstr('@user_script');
  for (const [k, src] of Object.entries(SCRIPTS)) {
    const p = cstr(src);
    if (m._luaL_loadbufferx(L, p, src.length, name, 0) !== 0) throw new Error('load');
    refs[k] = m._luaL_ref(L, REG);
  }
  const KEYS = cstr('KEYS');
  const ARGV = cstr('ARGV');
  const LUA_TSTRING = 4;
  return (k, key, arg) => {
    m._lua_rawgeti(L, REG, BigInt(refs[k]));
    m._lua_createtable(L, 1, 0);
    push(L, key);
    m._lua_rawseti(L, -2, 1n);
    m._lua_setglobal(L, KEYS);
    m._lua_createtable(L, 1, 0);
    push(L, arg);
    m._lua_rawseti(L, -2, 1n);
    m._lua_setglobal(L, ARGV);
    if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== 0) throw new Error(read(L, -1));
    const out = m._lua_type(L, -1) === LUA_TSTRING ? read(L, -1) : m._lua_tonumberx(L, -1, 0);
    m._lua_settop(L, 0);
    return out;
  };
}

export async function compareVms() {
  const runners = { fengari: fengariRunner(), wasmoon: await wasmoonRunner() };
  const rows = [];
  for (const name of Object.keys(SCRIPTS)) {
    const row = { script: name };
    for (const [vm, run] of Object.entries(runners)) {
      const check = run(name, 'k', 'v');
      if (check !== 'v' && check !== 300) throw new Error(`${vm} ${name} answered ${check}`);
      row[vm] = measure(() => run(name, 'k', 'v'));
    }
    rows.push(row);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await compareVms();
  console.log('Lua VM comparison (µs per EVAL-equivalent, lower is better)');
  console.log('script     fengari   wasmoon   fengari/wasmoon');
  for (const r of rows) {
    console.log(`${r.script.padEnd(10)} ${r.fengari.toFixed(2).padStart(8)}  ${r.wasmoon.toFixed(2).padStart(8)}   ${(r.fengari / r.wasmoon).toFixed(2)}×`);
  }
  const per = (vm) => ((rows[2][vm] - rows[0][vm] / 2) / 100).toFixed(3);
  console.log(`one redis.call crossing ≈ fengari ${per('fengari')} µs, wasmoon ${per('wasmoon')} µs`);
}
