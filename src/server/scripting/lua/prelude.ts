/**
 * The Lua side of Redis's scripting environment, run once in every new lua_State (chunk
 * `=[redis]`), before anything a user wrote:
 *
 * - the globals Redis 7.0 offers (its allow list) built into a fresh table R; `print`, `dofile`,
 *   `loadfile`, `require`, `io`, `os`, `package`, `debug` and `utf8` are not there;
 * - Lua 5.1 compatibility on top of 5.4: `unpack`, `loadstring` (text only, as Redis refuses
 *   binary chunks), `gcinfo`, `table.getn/maxn/foreach/foreachi`, `math.pow/mod/ldexp/frexp/log10/
 *   cosh/sinh/tanh/atan2`, `tostring` and `string.format('%d', float)` of numbers as 5.1 prints them;
 * - Redis's PRNG behind `math.random`/`math.randomseed` (redisLrand48, same sequence as Redis);
 * - the `redis` table (JS functions from `api` plus what is written here), the error handler that
 *   adds source/line to errors, and `pcall` returning an error table's `err` text;
 * - global protection: the global table P the scripts see is an empty read-only proxy whose reads
 *   fall through to R and whose misses raise "Script attempted to access nonexistent global
 *   variable"; every library table is a read-only proxy too; `rawset`/`setmetatable` refuse
 *   protected tables ("Attempt to modify a readonly table").
 *
 * Arguments: (api, mode, version, version_num) where mode is 'eval' or 'function'; api.lib(name)
 * compiles the bit/struct/cmsgpack/cjson chunks on first use. Returns a table of internals for the JS
 * side: R (the real globals, where KEYS and ARGV are set), run (the xpcall trampoline every script
 * runs under), load_library (runs a library chunk with FUNCTION LOAD's globals: only
 * redis.register_function, redis.log and the version fields) and count (memory in KB).
 */

export const PRELUDE = String.raw`
local api, mode, redis_version, redis_version_num = ...
local type, error, tostring, tonumber, rawset, rawget, setmetatable, getmetatable, next, select, pairs, ipairs =
      type, error, tostring, tonumber, rawset, rawget, setmetatable, getmetatable, next, select, pairs, ipairs
local string, table, math, coroutine, xpcall, pcall, load, collectgarbage = string, table, math, coroutine, xpcall, pcall, load, collectgarbage
local getinfo = debug.getinfo
local registry = debug.getregistry()
local READONLY = 'Attempt to modify a readonly table'

local protected = {}
local function readonly_newindex() error(READONLY, 2) end
local FROZEN = setmetatable({}, { __newindex = readonly_newindex, __metatable = false })
protected[FROZEN] = true

-- A read-only view of t (tables inside t are protected too).
local function protect(t)
  for k, v in pairs(t) do
    if type(v) == 'table' and not protected[v] then t[k] = protect(v) end
  end
  local proxy = {}
  setmetatable(proxy, {
    __index = t,
    __newindex = readonly_newindex,
    __len = function() return #t end,
    __pairs = function() return next, t, nil end,
    __metatable = FROZEN,
  })
  protected[proxy] = true
  return proxy
end

local function missing(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end

-- bit, struct, cmsgpack and cjson are compiled on first use (api.lib), which keeps a fresh
-- interpreter small; a script sees no difference.
local R
local lazy = { bit = true, struct = true, cmsgpack = true, cjson = true }
local function global_miss(t, k)
  if lazy[k] then
    lazy[k] = nil
    local lib = protect(api.lib(k)(api))
    rawset(R, k, lib)
    return lib
  end
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end

-- Redis's error object from a message ("-CODE text" or plain text).
local function error_object(s)
  local code, msg
  if string.sub(s, 1, 1) == '-' then
    local sp = string.find(s, ' ', 1, true)
    if sp == nil then code, msg = 'ERR', string.sub(s, 2) else code, msg = string.sub(s, 2, sp - 1), string.sub(s, sp + 1) end
  else
    code, msg = 'ERR', s
  end
  msg = string.gsub(string.gsub(msg, '^[\r\n]+', ''), '[\r\n]+$', '')
  return { err = code .. ' ' .. msg }
end

-- Errors raised by the API itself point at the user's line: skip C frames and this chunk.
local function err_handler(err)
  local level, i = 2, nil
  repeat
    i = getinfo(level, 'nSl')
    level = level + 1
  until i == nil or (i.what ~= 'C' and i.source ~= '=[redis]' and i.source ~= '=[lib]')
  if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

local function run(fn, ...) return xpcall(fn, err_handler, ...) end

-- Redis's PRNG (rand.c): a 48-bit LCG, 31 random bits per draw.
local lrand_x = 0x330E
local function srand48(seed)
  seed = seed & 0xffffffff
  lrand_x = ((seed >> 16) << 32) | ((seed & 0xffff) << 16) | 0x330E
end
local function lrand48()
  lrand_x = (0x5DEECE66D * lrand_x + 0xB) & 0xffffffffffff
  return lrand_x >> 17
end
srand48(api.seed())
local function checkint(v, n, fname)
  local x = tonumber(v)
  if x == nil then
    error("bad argument #" .. n .. " to '" .. fname .. "' (number expected, got " .. (v == nil and 'no value' or type(v)) .. ")", 3)
  end
  if x >= 0 then return math.floor(x) else return -math.floor(-x) end
end
local function random(...)
  api.inscript('math.random can only be called inside a script invocation')
  local r = (lrand48() % 0x7fffffff) / 0x7fffffff
  local n = select('#', ...)
  if n == 0 then return r end
  if n == 1 then
    local u = checkint((...), 1, 'random')
    if u < 1 then error("bad argument #1 to 'random' (interval is empty)", 2) end
    return math.floor(r * u) + 1
  end
  if n == 2 then
    local l, u = checkint((...), 1, 'random'), checkint(select(2, ...), 2, 'random')
    if l > u then error("bad argument #2 to 'random' (interval is empty)", 2) end
    return math.floor(r * (u - l + 1)) + l
  end
  error('wrong number of arguments', 2)
end
local function randomseed(v)
  api.inscript('math.randomseed can only be called inside a script invocation')
  srand48(checkint(v, 1, 'randomseed'))
end

-- Lua 5.1 prints every number with %.14g.
local function num51(v)
  if math.type(v) == 'float' and (v ~= v or v == math.huge or v == -math.huge) then
    return v ~= v and (string.format('%f', v)) or (v > 0 and 'inf' or '-inf')
  end
  return string.format('%.14g', v)
end
local function tostring51(v)
  if type(v) == 'number' then return num51(v) end
  return tostring(v)
end
local format = string.format
local function format51(fmt, ...)
  local n = select('#', ...)
  if n == 0 then return format(fmt) end
  local args = { ... }
  local i = 0
  for spec in string.gmatch(fmt, '%%[-+ #0]*%d*%.?%d*(%a)') do
    i = i + 1
    local a = args[i]
    if string.find('dicoxXu', spec, 1, true) and math.type(a) == 'float' then
      args[i] = a >= 0 and math.floor(a) or -math.floor(-a)
    end
  end
  return format(fmt, table.unpack(args, 1, n))
end

local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end

local str = copy(string)
str.format = format51
local tab = copy(table)
tab.getn = function(t) return #t end
tab.maxn = function(t) local m = 0 for k in pairs(t) do if type(k) == 'number' and k > m then m = k end end return m end
tab.foreach = function(t, f) for k, v in pairs(t) do local r = f(k, v) if r ~= nil then return r end end end
tab.foreachi = function(t, f) for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end end
tab.setn = function() error("'setn' is obsolete", 2) end
local mth = copy(math)
mth.random, mth.randomseed = random, randomseed
mth.pow = function(a, b) return a ^ b end
mth.mod = math.fmod
mth.ldexp = function(m, e) return m * 2.0 ^ e end
mth.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = math.floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m, e = m / 2, e + 1 elseif math.abs(m) < 0.5 then m, e = m * 2, e - 1 end
  return m, e
end
mth.log10 = function(x) return math.log(x, 10) end
mth.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
mth.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
mth.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
mth.atan2 = function(y, x) return math.atan(y, x) end

local P = {}
R = {}
local PM = { __index = R, __newindex = readonly_newindex }
local function loadstring(s, chunkname)
  return load(s, chunkname, 't', P)
end
local function fix_pcall(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then return false, m end
  end
  return false, e
end

for _, name in ipairs({ 'xpcall', 'setmetatable', 'next', 'assert', 'tonumber', 'rawequal', 'collectgarbage',
    'getmetatable', 'rawset', 'pcall', 'type', 'select', 'pairs', 'rawget', 'ipairs', 'error' }) do
  R[name] = _G[name]
end
R._VERSION = 'Lua 5.1'
R.tostring = tostring51
R.unpack = table.unpack
R.loadstring = loadstring
R.load = function(chunk, chunkname) return load(chunk, chunkname, 't', P) end
R.gcinfo = function() return math.floor(collectgarbage('count')) end
R.pcall = function(...) return fix_pcall(pcall(...)) end
R.rawset = function(t, k, v)
  if protected[t] then error(READONLY, 2) end
  return rawset(t, k, v)
end
R.setmetatable = function(t, m)
  if protected[t] then error(READONLY, 2) end
  return setmetatable(t, m)
end
R.coroutine = copy(coroutine)
R.string, R.table, R.math = str, tab, mth

local redis = {
  call = api.call,
  pcall = api.pcall,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = redis_version, REDIS_VERSION_NUM = redis_version_num,
  REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
}
local function log(...)
  local n = select('#', ...)
  if n < 2 then error(error_object('redis.log() requires two arguments or more.')) end
  local level = ...
  if math.type(level) == nil then error(error_object('First argument must be a number (log level).')) end
  level = math.floor(level)
  if level < 0 or level > 3 then error(error_object('Invalid debug level.')) end
  local parts = {}
  for i = 2, n do
    local v = select(i, ...)
    local t = type(v)
    if t == 'string' then parts[#parts + 1] = v elseif t == 'number' then parts[#parts + 1] = tostring(v) end
  end
  api.log(level, table.concat(parts, ' '))
end
redis.log = log
redis.sha1hex = function(...)
  if select('#', ...) ~= 1 then error(error_object('wrong number of arguments')) end
  return api.sha1hex((...))
end
redis.error_reply = function(...)
  local e = ...
  if select('#', ...) ~= 1 or type(e) ~= 'string' then return error_object('wrong number or type of arguments') end
  if string.sub(e, 1, 1) ~= '-' then e = '-' .. e end
  return error_object(e)
end
redis.status_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then return error_object('wrong number or type of arguments') end
  return { ok = s }
end
redis.setresp = function(...)
  api.inscript('redis.setresp can only be called inside a script invocation', true)
  if select('#', ...) ~= 1 then error(error_object('redis.setresp() requires one argument.')) end
  local v = tonumber((...)) or 0
  if v ~= 2 and v ~= 3 then error(error_object('RESP version must be 2 or 3.')) end
  api.setresp(math.floor(v))
end
redis.set_repl = function(...)
  api.inscript('redis.set_repl can only be called inside a script invocation', true)
  if select('#', ...) ~= 1 then error(error_object('redis.set_repl() requires two arguments.')) end
  local f = math.floor(tonumber((...)) or 0)
  if f & ~3 ~= 0 then error(error_object('Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.')) end
  api.set_repl(f)
end
redis.acl_check_cmd = api.acl_check_cmd
if mode == 'eval' then
  redis.breakpoint = function() return false end
  redis.debug = function() end
  redis.replicate_commands = function() return true end
end
R.redis = redis

-- The library registration context of FUNCTION LOAD: only redis.register_function, redis.log and
-- the version fields; anything else is a missing global.
local loading = { active = false, functions = nil, count = 0 }
local FLAGS = { ['no-writes'] = 1, ['allow-oom'] = 2, ['allow-stale'] = 4, ['no-cluster'] = 8, ['allow-cross-slot-keys'] = 16 }
local function valid_name(s)
  return #s > 0 and string.find(s, '^[%w_]+$') ~= nil
end
local function register_function(...)
  if not loading.active then error(error_object('redis.register_function can only be called on FUNCTION LOAD command')) end
  local n = select('#', ...)
  if n < 1 or n > 2 then error(error_object('wrong number of arguments to redis.register_function')) end
  local name, fn, desc, flags = nil, nil, nil, 0
  if n == 1 then
    local t = ...
    if type(t) ~= 'table' then error(error_object('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).')) end
    for k, v in pairs(t) do
      if type(k) ~= 'string' and type(k) ~= 'number' then error(error_object('named argument key given to redis.register_function is not a string')) end
      local key = string.lower(tostring(k))
      if key == 'function_name' then
        if type(v) ~= 'string' and type(v) ~= 'number' then error(error_object('function_name argument given to redis.register_function must be a string')) end
        name = tostring(v)
      elseif key == 'description' then
        if type(v) ~= 'string' and type(v) ~= 'number' then error(error_object('description argument given to redis.register_function must be a string')) end
        desc = tostring(v)
      elseif key == 'callback' then
        if type(v) ~= 'function' then error(error_object('callback argument given to redis.register_function must be a function')) end
        fn = v
      elseif key == 'flags' then
        if type(v) ~= 'table' then error(error_object('flags argument to redis.register_function must be a table representing function flags')) end
        local i = 1
        while v[i] ~= nil do
          local f = v[i]
          if type(f) ~= 'string' and type(f) ~= 'number' then error(error_object('unknown flag given')) end
          local bit = FLAGS[string.lower(tostring(f))]
          if bit == nil then error(error_object('unknown flag given')) end
          flags = flags | bit
          i = i + 1
        end
      else
        error(error_object('unknown argument given to redis.register_function'))
      end
    end
    if name == nil then error(error_object('redis.register_function must get a function name argument')) end
    if fn == nil then error(error_object('redis.register_function must get a callback argument')) end
  else
    name, fn = ...
    if type(name) ~= 'string' and type(name) ~= 'number' then error(error_object('first argument to redis.register_function must be a string')) end
    name = tostring(name)
    if type(fn) ~= 'function' then error(error_object('second argument to redis.register_function must be a function')) end
  end
  if not valid_name(name) then error(error_object('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long')) end
  if loading.functions[name] ~= nil then error(error_object('Function already exists in the library')) end
  loading.functions[name] = { fn = fn, desc = desc, flags = flags }
  loading.count = loading.count + 1
end
local library_redis = setmetatable({
  register_function = register_function,
  log = log,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = redis_version, REDIS_VERSION_NUM = redis_version_num,
}, { __index = missing })
local library = protect(setmetatable({ redis = library_redis }, { __index = missing }))

-- Lock everything: library tables become read-only proxies, R falls through to 'missing', and the
-- globals every chunk sees (the registry's) become P.
for k, v in pairs(R) do
  if type(v) == 'table' then R[k] = protect(v) end
end
R._G = P
setmetatable(R, { __index = global_miss, __newindex = readonly_newindex, __metatable = FROZEN })
PM.__metatable = protect({ __index = R })
setmetatable(P, PM)
protected[P] = true
protected[R] = true
local smt = getmetatable('')
smt.__index = R.string
smt.__metatable = FROZEN
registry[2] = P

-- FUNCTION LOAD: run a compiled library with the registration globals; returns true and the
-- registered functions ({name = {fn, desc, flags}}), or false and the error object.
local function load_library(chunk)
  loading.active, loading.functions, loading.count = true, {}, 0
  PM.__index = library
  local ok, err = xpcall(chunk, err_handler)
  PM.__index = R
  loading.active = false
  local fns = loading.functions
  loading.functions = nil
  if not ok then return false, err end
  return true, fns
end

return {
  R = R, run = run, load_library = load_library,
  count = function() return collectgarbage('count') end,
}
`;
