/**
 * Two of the libraries Redis bundles with its Lua, written in Lua 5.4 for our VM (chunk `=[lib]`):
 *
 * - `bit` (LuaBitOp 1.0.2 as Redis ships it): every argument is normalised to a 32-bit integer
 *   (rounded, modulo 2^32) and every result is a signed 32-bit number;
 * - `struct` (Roberto Ierusalimschy's struct 0.3 as Redis ships it): pack/unpack/size with its
 *   format letters, native little-endian and alignment 1 by default, sizes as on x86-64 Linux
 *   (short 2, int 4, long 8, size_t 8), integers up to 8 bytes.
 *
 * Each chunk returns its library table.
 */

export const BIT_LIB = String.raw`
local function tobit(x, name, argn)
  local n = tonumber(x)
  if n == nil then error("bad argument #" .. (argn or 1) .. " to '" .. (name or 'tobit') .. "' (number expected, got " .. (x == nil and 'no value' or type(x)) .. ")", 3) end
  local i = math.tointeger(n)
  if i == nil then
    -- LuaBitOp adds 2^52+2^51 and keeps the low word: round half to even.
    local f = math.floor(n)
    local d = n - f
    if d > 0.5 or (d == 0.5 and f % 2 == 1) then f = f + 1 end
    i = math.tointeger(f % 4294967296) or 0
  end
  i = i & 0xffffffff
  if i >= 0x80000000 then i = i - 0x100000000 end
  return i
end
local function ret(i)
  i = i & 0xffffffff
  if i >= 0x80000000 then i = i - 0x100000000 end
  return i
end
local bit = {}
function bit.tobit(x) return tobit(x, 'tobit') end
function bit.bnot(x) return ret(~tobit(x, 'bnot')) end
function bit.band(x, ...)
  local b = tobit(x, 'band')
  for i = 1, select('#', ...) do b = b & tobit((select(i, ...)), 'band', i + 1) end
  return ret(b)
end
function bit.bor(x, ...)
  local b = tobit(x, 'bor')
  for i = 1, select('#', ...) do b = b | tobit((select(i, ...)), 'bor', i + 1) end
  return ret(b)
end
function bit.bxor(x, ...)
  local b = tobit(x, 'bxor')
  for i = 1, select('#', ...) do b = b ~ tobit((select(i, ...)), 'bxor', i + 1) end
  return ret(b)
end
function bit.lshift(x, n) return ret((tobit(x, 'lshift') & 0xffffffff) << (tobit(n, 'lshift', 2) & 31)) end
function bit.rshift(x, n) return ret((tobit(x, 'rshift') & 0xffffffff) >> (tobit(n, 'rshift', 2) & 31)) end
function bit.arshift(x, n) return ret(tobit(x, 'arshift') // (1 << (tobit(n, 'arshift', 2) & 31))) end
function bit.rol(x, n)
  local b, s = tobit(x, 'rol') & 0xffffffff, tobit(n, 'rol', 2) & 31
  return ret((b << s) | (b >> (32 - s)))
end
function bit.ror(x, n)
  local b, s = tobit(x, 'ror') & 0xffffffff, tobit(n, 'ror', 2) & 31
  return ret((b << (32 - s)) | (b >> s))
end
function bit.bswap(x)
  local b = tobit(x, 'bswap') & 0xffffffff
  return ret((b >> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24))
end
function bit.tohex(x, n)
  local b = tobit(x, 'tohex') & 0xffffffff
  n = n == nil and 8 or tobit(n, 'tohex', 2)
  local digits = '0123456789abcdef'
  if n < 0 then n = -n digits = '0123456789ABCDEF' end
  if n > 8 then n = 8 end
  local out = {}
  for i = n, 1, -1 do
    local d = b & 15
    out[i] = string.sub(digits, d + 1, d + 1)
    b = b >> 4
  end
  return table.concat(out)
end
return bit
`;

export const STRUCT_LIB = String.raw`
local SIZES = { b = 1, B = 1, h = 2, H = 2, l = 8, L = 8, T = 8, f = 4, d = 8, x = 1 }
local function getnum(fmt, i, df)
  local digits = string.match(fmt, '^%d+', i)
  if digits == nil then return df, i end
  local n = tonumber(digits)
  if n > 2147483647 then error('integral size overflow', 3) end
  return n, i + #digits
end
local function optsize(opt, fmt, i)
  local s = SIZES[opt]
  if s then return s, i end
  if opt == 'c' then return getnum(fmt, i, 1) end
  if opt == 'i' or opt == 'I' then
    local n
    n, i = getnum(fmt, i, 4)
    if n > 8 then error('integral size ' .. n .. ' is larger than limit of 8', 3) end
    return n, i
  end
  return 0, i
end
local function toalign(len, align, opt, size)
  if size == 0 or opt == 'c' then return 0 end
  if size > align then size = align end
  return (size - (len & (size - 1))) & (size - 1)
end
-- Endianness/alignment/whitespace options; anything else is an invalid option.
local function control(opt, fmt, i, h)
  if opt == ' ' then return i end
  if opt == '>' then h.big = true return i end
  if opt == '<' then h.big = false return i end
  if opt == '!' then
    local a
    a, i = getnum(fmt, i, 8)
    if a & (a - 1) ~= 0 then error('alignment ' .. a .. ' is not a power of 2', 3) end
    h.align = a
    return i
  end
  error("bad argument #1 to '" .. h.fn .. "' (invalid format option '" .. opt .. "')", 3)
end
local function num(v, arg, fn)
  local n = tonumber(v)
  if n == nil then error("bad argument #" .. arg .. " to '" .. fn .. "' (number expected, got " .. (v == nil and 'no value' or type(v)) .. ")", 3) end
  return n
end
local function int_bytes(n, size, big)
  local v = math.tointeger(n >= 0 and math.floor(n) or -math.floor(-n)) or 0
  local out = {}
  for k = 1, size do
    out[k] = string.char(v & 0xff)
    v = v >> 8
    if k == 8 then v = (out[8]:byte() >= 0x80) and 0xff or 0 end
  end
  local s = table.concat(out)
  return big and string.reverse(s) or s
end
local function bytes_int(s, big, signed)
  if big then s = string.reverse(s) end
  local v = 0
  local size = math.min(#s, 8)
  for k = size, 1, -1 do v = (v << 8) | string.byte(s, k) end
  if signed and size < 8 and v & (1 << (size * 8 - 1)) ~= 0 then v = v - (1 << (size * 8)) end
  if not signed and size == 8 and v < 0 then return v + 18446744073709551616.0 end
  return v
end

local struct = {}
function struct.pack(fmt, ...)
  if type(fmt) ~= 'string' then error("bad argument #1 to 'pack' (string expected, got " .. type(fmt) .. ")", 2) end
  local h = { big = false, align = 1, fn = 'pack' }
  local out, total, arg, i = {}, 0, 1, 1
  while i <= #fmt do
    local opt = string.sub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    local pad = toalign(total, h.align, opt, size)
    if pad > 0 then out[#out + 1] = string.rep('\0', pad) total = total + pad end
    if string.find('bBhHlLTiI', opt, 1, true) then
      out[#out + 1] = int_bytes(num((select(arg, ...)), arg + 1, 'pack'), size, h.big)
      arg = arg + 1
    elseif opt == 'x' then
      out[#out + 1] = '\0'
    elseif opt == 'f' or opt == 'd' then
      local v = num((select(arg, ...)), arg + 1, 'pack')
      arg = arg + 1
      out[#out + 1] = string.pack((h.big and '>' or '<') .. opt, v)
    elseif opt == 'c' or opt == 's' then
      local s = select(arg, ...)
      if type(s) == 'number' then s = tostring(s) end
      if type(s) ~= 'string' then error("bad argument #" .. (arg + 1) .. " to 'pack' (string expected, got " .. (s == nil and 'no value' or type(s)) .. ")", 2) end
      arg = arg + 1
      if size == 0 then size = #s end
      if #s < size then error("bad argument #" .. (arg + 1) .. " to 'pack' (string too short)", 2) end
      out[#out + 1] = string.sub(s, 1, size)
      if opt == 's' then out[#out + 1] = '\0' size = size + 1 end
    else
      i = control(opt, fmt, i, h)
    end
    total = total + size
  end
  return table.concat(out)
end
function struct.unpack(fmt, data, init)
  if type(fmt) ~= 'string' then error("bad argument #1 to 'unpack' (string expected, got " .. type(fmt) .. ")", 2) end
  if type(data) == 'number' then data = tostring(data) end
  if type(data) ~= 'string' then error("bad argument #2 to 'unpack' (string expected, got " .. type(data) .. ")", 2) end
  local pos = init == nil and 1 or math.floor(num(init, 3, 'unpack'))
  if pos <= 0 then error("bad argument #3 to 'unpack' (offset must be 1 or greater)", 2) end
  pos = pos - 1
  local h = { big = false, align = 1, fn = 'unpack' }
  local res, i, ld = {}, 1, #data
  while i <= #fmt do
    local opt = string.sub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    pos = pos + toalign(pos, h.align, opt, size)
    if size > ld or pos > ld - size then error("bad argument #2 to 'unpack' (data string too short)", 2) end
    if string.find('bBhHlLTiI', opt, 1, true) then
      res[#res + 1] = bytes_int(string.sub(data, pos + 1, pos + size), h.big, string.find('bhli', opt, 1, true) ~= nil)
    elseif opt == 'f' or opt == 'd' then
      res[#res + 1] = string.unpack((h.big and '>' or '<') .. opt, data, pos + 1)
    elseif opt == 'c' then
      if size == 0 then
        local prev = res[#res]
        if #res == 0 or type(prev) ~= 'number' then error("format 'c0' needs a previous size", 2) end
        size = math.floor(prev)
        res[#res] = nil
        if size > ld or pos > ld - size then error("bad argument #2 to 'unpack' (data string too short)", 2) end
      end
      res[#res + 1] = string.sub(data, pos + 1, pos + size)
    elseif opt == 's' then
      local e = string.find(data, '\0', pos + 1, true)
      if e == nil then error('unfinished string in data', 2) end
      size = e - pos
      res[#res + 1] = string.sub(data, pos + 1, e - 1)
    elseif opt ~= 'x' then
      i = control(opt, fmt, i, h)
    end
    pos = pos + size
  end
  res[#res + 1] = pos + 1
  return table.unpack(res, 1, #res)
end
function struct.size(fmt)
  if type(fmt) ~= 'string' then error("bad argument #1 to 'size' (string expected, got " .. type(fmt) .. ")", 2) end
  local h = { big = false, align = 1, fn = 'size' }
  local pos, i = 0, 1
  while i <= #fmt do
    local opt = string.sub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    pos = pos + toalign(pos, h.align, opt, size)
    if opt == 's' then error("bad argument #1 to 'size' (option 's' has no fixed size)", 2)
    elseif opt == 'c' and size == 0 then error("bad argument #1 to 'size' (option 'c0' has no fixed size)", 2) end
    if not string.find(opt, '^%w$') then i = control(opt, fmt, i, h) end
    pos = pos + size
  end
  return pos
end
return struct
`;
