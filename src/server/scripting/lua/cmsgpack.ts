/**
 * `cmsgpack` (lua-cmsgpack 0.4.0 as Redis ships it), written in Lua 5.4 for our VM (chunk
 * `=[lib]`): pack(...) encodes each argument and concatenates them; unpack(s) decodes every value;
 * unpack_one(s, offset) and unpack_limit(s, limit, offset) return the next offset (-1 at the end)
 * first. Encoding as Redis's Lua 5.1 build does it: a number with an int64 value is an integer
 * (fixnum, uint8..64, int8..64), another one a float 32 when exact else a double; strings use
 * fixstr/str8/str16/str32; a table whose keys are exactly 1..n is an array, else a map; tables
 * nested deeper than 16 levels encode as nil (so circular references terminate).
 */

export const CMSGPACK_LIB = String.raw`
local MAX_NESTING = 16
local char, byte, sub, spack, sunpack = string.char, string.byte, string.sub, string.pack, string.unpack
local INT64_MAX_F = 9223372036854775807.0

local encode
local function encode_int(out, n)
  if n >= 0 then
    if n <= 127 then out[#out + 1] = char(n)
    elseif n <= 0xff then out[#out + 1] = char(0xcc, n)
    elseif n <= 0xffff then out[#out + 1] = spack('>BI2', 0xcd, n)
    elseif n <= 0xffffffff then out[#out + 1] = spack('>BI4', 0xce, n)
    else out[#out + 1] = spack('>Bi8', 0xcf, n) end
  else
    if n >= -32 then out[#out + 1] = char(n & 0xff)
    elseif n >= -128 then out[#out + 1] = spack('>Bi1', 0xd0, n)
    elseif n >= -32768 then out[#out + 1] = spack('>Bi2', 0xd1, n)
    elseif n >= -2147483648 then out[#out + 1] = spack('>Bi4', 0xd2, n)
    else out[#out + 1] = spack('>Bi8', 0xd3, n) end
  end
end
local function encode_number(out, n)
  local i = math.tointeger(n)
  if i == nil and n == math.floor(n) and n >= -INT64_MAX_F and n < INT64_MAX_F then i = math.tointeger(math.floor(n)) end
  if i ~= nil then return encode_int(out, i) end
  local f = sunpack('<f', spack('<f', n))
  if f == n or (n ~= n) then out[#out + 1] = spack('>Bf', 0xca, n)
  else out[#out + 1] = spack('>Bd', 0xcb, n) end
end
local function encode_string(out, s)
  local len = #s
  if len < 32 then out[#out + 1] = char(0xa0 | len)
  elseif len <= 0xff then out[#out + 1] = char(0xd9, len)
  elseif len <= 0xffff then out[#out + 1] = spack('>BI2', 0xda, len)
  else out[#out + 1] = spack('>BI4', 0xdb, len) end
  out[#out + 1] = s
end
local function is_array(t)
  local count, max = 0, 0
  for k in next, t do
    if math.type(k) ~= 'integer' or k <= 0 then return false end
    if k > max then max = k end
    count = count + 1
  end
  return max == count
end
local function encode_table(out, t, level)
  if is_array(t) then
    local n = #t
    if n < 16 then out[#out + 1] = char(0x90 | n)
    elseif n <= 0xffff then out[#out + 1] = spack('>BI2', 0xdc, n)
    else out[#out + 1] = spack('>BI4', 0xdd, n) end
    for j = 1, n do encode(out, t[j], level + 1) end
  else
    local n = 0
    for _ in next, t do n = n + 1 end
    if n < 16 then out[#out + 1] = char(0x80 | n)
    elseif n <= 0xffff then out[#out + 1] = spack('>BI2', 0xde, n)
    else out[#out + 1] = spack('>BI4', 0xdf, n) end
    for k, v in next, t do
      encode(out, k, level + 1)
      encode(out, v, level + 1)
    end
  end
end
encode = function(out, v, level)
  local t = type(v)
  if t == 'table' and level == MAX_NESTING then t = 'nil' end
  if t == 'string' then encode_string(out, v)
  elseif t == 'boolean' then out[#out + 1] = v and '\xc3' or '\xc2'
  elseif t == 'number' then encode_number(out, v)
  elseif t == 'table' then encode_table(out, v, level)
  else out[#out + 1] = '\xc0' end
end

local EOF, BADFMT = {}, {}
local decode
local function need(s, pos, n) if pos + n - 1 > #s then error(EOF, 0) end end
local function decode_array(s, pos, n)
  local t = {}
  for i = 1, n do
    local v
    v, pos = decode(s, pos)
    t[i] = v
  end
  return t, pos
end
local function decode_map(s, pos, n)
  local t = {}
  for _ = 1, n do
    local k, v
    k, pos = decode(s, pos)
    v, pos = decode(s, pos)
    if k ~= nil and k == k then t[k] = v end
  end
  return t, pos
end
local function u64(v) if v < 0 then return v + 18446744073709551616.0 end return v end
decode = function(s, pos)
  need(s, pos, 1)
  local b = byte(s, pos)
  if b <= 0x7f then return b, pos + 1 end
  if b >= 0xe0 then return b - 256, pos + 1 end
  if b >= 0xa0 and b <= 0xbf then
    local l = b & 0x1f
    need(s, pos, 1 + l)
    return sub(s, pos + 1, pos + l), pos + 1 + l
  end
  if b >= 0x90 and b <= 0x9f then return decode_array(s, pos + 1, b & 0xf) end
  if b >= 0x80 and b <= 0x8f then return decode_map(s, pos + 1, b & 0xf) end
  if b == 0xc0 then return nil, pos + 1 end
  if b == 0xc3 then return true, pos + 1 end
  if b == 0xc2 then return false, pos + 1 end
  if b == 0xcc then need(s, pos, 2) return byte(s, pos + 1), pos + 2 end
  if b == 0xd0 then need(s, pos, 2) return (sunpack('>i1', s, pos + 1)), pos + 2 end
  if b == 0xcd then need(s, pos, 3) return (sunpack('>I2', s, pos + 1)), pos + 3 end
  if b == 0xd1 then need(s, pos, 3) return (sunpack('>i2', s, pos + 1)), pos + 3 end
  if b == 0xce then need(s, pos, 5) return (sunpack('>I4', s, pos + 1)), pos + 5 end
  if b == 0xd2 then need(s, pos, 5) return (sunpack('>i4', s, pos + 1)), pos + 5 end
  if b == 0xcf then need(s, pos, 9) return u64((sunpack('>i8', s, pos + 1))), pos + 9 end
  if b == 0xd3 then need(s, pos, 9) return (sunpack('>i8', s, pos + 1)), pos + 9 end
  if b == 0xca then need(s, pos, 5) return (sunpack('>f', s, pos + 1)), pos + 5 end
  if b == 0xcb then need(s, pos, 9) return (sunpack('>d', s, pos + 1)), pos + 9 end
  if b == 0xd9 then
    need(s, pos, 2)
    local l = byte(s, pos + 1)
    need(s, pos, 2 + l)
    return sub(s, pos + 2, pos + 1 + l), pos + 2 + l
  end
  if b == 0xda then
    need(s, pos, 3)
    local l = sunpack('>I2', s, pos + 1)
    need(s, pos, 3 + l)
    return sub(s, pos + 3, pos + 2 + l), pos + 3 + l
  end
  if b == 0xdb then
    need(s, pos, 5)
    local l = sunpack('>I4', s, pos + 1)
    need(s, pos, 5 + l)
    return sub(s, pos + 5, pos + 4 + l), pos + 5 + l
  end
  if b == 0xdc then need(s, pos, 3) return decode_array(s, pos + 3, (sunpack('>I2', s, pos + 1))) end
  if b == 0xdd then need(s, pos, 5) return decode_array(s, pos + 5, (sunpack('>I4', s, pos + 1))) end
  if b == 0xde then need(s, pos, 3) return decode_map(s, pos + 3, (sunpack('>I2', s, pos + 1))) end
  if b == 0xdf then need(s, pos, 5) return decode_map(s, pos + 5, (sunpack('>I4', s, pos + 1))) end
  error(BADFMT, 0)
end

local function unpack_full(s, limit, offset, fname)
  if type(s) == 'number' then s = tostring(s) end
  if type(s) ~= 'string' then error("bad argument #1 to '" .. fname .. "' (string expected, got " .. (s == nil and 'no value' or type(s)) .. ")", 3) end
  local len = #s
  if offset < 0 or limit < 0 then error('Invalid request to unpack with offset of ' .. offset .. ' and limit of ' .. len .. '.', 3) end
  if offset > len then error('Start offset ' .. offset .. ' greater than input length ' .. len .. '.', 3) end
  local decode_all = limit == 0 and offset == 0
  if decode_all then limit = math.maxinteger end
  local results, pos, cnt = {}, offset + 1, 0
  while pos <= len and cnt < limit do
    local ok, v, nextpos = pcall(decode, s, pos)
    if not ok then
      if v == EOF then error('Missing bytes in input.', 3) end
      if v == BADFMT then error('Bad data format in input.', 3) end
      error(v, 0)
    end
    cnt = cnt + 1
    results[cnt] = v
    pos = nextpos
  end
  if decode_all then return table.unpack(results, 1, cnt) end
  return pos > len and -1 or pos - 1, table.unpack(results, 1, cnt)
end
local function optint(v, n, fname, def)
  if v == nil then return def end
  local x = tonumber(v)
  if x == nil or math.tointeger(x) == nil then error("bad argument #" .. n .. " to '" .. fname .. "' (number has no integer representation)", 3) end
  return math.tointeger(x)
end

local cmsgpack = { _NAME = 'cmsgpack', _VERSION = 'lua-cmsgpack 0.4.0', _COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo', _DESCRIPTION = 'MessagePack C implementation for Lua' }
function cmsgpack.pack(...)
  local n = select('#', ...)
  if n == 0 then error("bad argument #0 to 'pack' (MessagePack pack needs input.)", 2) end
  local out = {}
  for i = 1, n do encode(out, (select(i, ...)), 0) end
  return table.concat(out)
end
function cmsgpack.unpack(s) return unpack_full(s, 0, 0, 'unpack') end
function cmsgpack.unpack_one(s, offset) return unpack_full(s, 1, optint(offset, 2, 'unpack_one', 0), 'unpack_one') end
function cmsgpack.unpack_limit(s, limit, offset)
  if limit == nil then error("bad argument #2 to 'unpack_limit' (number expected, got no value)", 2) end
  return unpack_full(s, optint(limit, 2, 'unpack_limit', 0), optint(offset, 3, 'unpack_limit', 0), 'unpack_limit')
end
return cmsgpack
`;
