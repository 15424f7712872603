/**
 * `cjson` (lua-cjson 2.1.0 as Redis ships it), written in Lua 5.4 for our VM (chunk `=[lib]`):
 * encode/decode with its options (encode_sparse_array, encode_max_depth, decode_max_depth,
 * encode_number_precision, encode_keep_buffer, encode_invalid_numbers, decode_invalid_numbers)
 * and its error texts. Numbers encode with %.<precision>g (14 by default); '/' is escaped as
 * "\/"; an empty table encodes as {}; null decodes to `cjson.null` (a NULL light userdata, as in
 * Redis, passed in by the host as `api.null`). Decoded integral numbers become Lua integers so
 * they print as Lua 5.1 prints them.
 */

export const CJSON_LIB = String.raw`
local api = ...
local NULL = api.null
local byte, char, sub, find, format, concat = string.byte, string.char, string.sub, string.find, string.format, table.concat
local cfg = {
  sparse_convert = false, sparse_ratio = 2, sparse_safe = 10,
  encode_max_depth = 1000, decode_max_depth = 1000,
  encode_invalid_numbers = 0, decode_invalid_numbers = true,
  keep_buffer = true, precision = 14,
}

local ESC = {}
for i = 0, 31 do ESC[char(i)] = format('\\u%04x', i) end
ESC['\b'], ESC['\t'], ESC['\n'], ESC['\f'], ESC['\r'] = '\\b', '\\t', '\\n', '\\f', '\\r'
ESC['"'], ESC['\\'], ESC['/'], ESC['\127'] = '\\"', '\\\\', '\\/', '\\u007f'

local function fail(what, value, reason)
  error('Cannot serialise ' .. what .. ': ' .. reason, 0)
end
local function encode_number(n)
  if n ~= n or n == math.huge or n == -math.huge then
    if cfg.encode_invalid_numbers == 0 then fail('number', n, 'must not be NaN or Inf') end
    if cfg.encode_invalid_numbers == 2 then return 'null' end
    if n ~= n then return 'nan' end
    return n > 0 and 'inf' or '-inf'
  end
  return format('%.' .. cfg.precision .. 'g', n)
end
local function encode_string(s)
  return '"' .. string.gsub(s, '[%c"\\/\127]', ESC) .. '"'
end
local function array_length(t)
  local max, items = 0, 0
  for k in next, t do
    if type(k) == 'number' and k >= 1 and math.floor(k) == k then
      if k > max then max = k end
      items = items + 1
    else
      return -1
    end
  end
  if cfg.sparse_ratio > 0 and max > items * cfg.sparse_ratio and max > cfg.sparse_safe then
    if not cfg.sparse_convert then fail('table', t, 'excessively sparse array') end
    return -1
  end
  return math.tointeger(max)
end
local encode_value
local function encode_table(t, depth, out)
  depth = depth + 1
  if depth > cfg.encode_max_depth then error('Cannot serialise, excessive nesting (' .. depth .. ')', 0) end
  local len = array_length(t)
  if len > 0 then
    out[#out + 1] = '['
    for i = 1, len do
      if i > 1 then out[#out + 1] = ',' end
      encode_value(rawget(t, i), depth, out)
    end
    out[#out + 1] = ']'
  else
    out[#out + 1] = '{'
    local comma = false
    for k, v in next, t do
      if comma then out[#out + 1] = ',' else comma = true end
      local kt = type(k)
      if kt == 'number' then out[#out + 1] = '"' .. encode_number(k) .. '":'
      elseif kt == 'string' then out[#out + 1] = encode_string(k) .. ':'
      else fail(kt, k, 'table key must be a number or string') end
      encode_value(v, depth, out)
    end
    out[#out + 1] = '}'
  end
end
encode_value = function(v, depth, out)
  local t = type(v)
  if t == 'string' then out[#out + 1] = encode_string(v)
  elseif t == 'number' then out[#out + 1] = encode_number(v)
  elseif t == 'boolean' then out[#out + 1] = v and 'true' or 'false'
  elseif t == 'table' then encode_table(v, depth, out)
  elseif t == 'nil' or v == NULL then out[#out + 1] = 'null'
  else fail(t, v, 'type not supported') end
end

-- Decoding: a position-based scanner over the string.
local function utf8_char(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)) end
  if cp < 0x10000 then return char(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)) end
  return char(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
end
local ESCAPED = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }

local function parse_error(expected, found, pos)
  error('Expected ' .. expected .. ' but found ' .. found .. ' at character ' .. pos, 0)
end

-- Returns kind, value, next position, start position. Kinds follow lua-cjson's token names.
local function next_token(s, pos)
  pos = find(s, '[^ \t\r\n]', pos) or (#s + 1)
  local c = sub(s, pos, pos)
  if c == '' then return 'T_END', nil, pos, pos end
  if c == '{' then return 'T_OBJ_BEGIN', nil, pos + 1, pos end
  if c == '}' then return 'T_OBJ_END', nil, pos + 1, pos end
  if c == '[' then return 'T_ARR_BEGIN', nil, pos + 1, pos end
  if c == ']' then return 'T_ARR_END', nil, pos + 1, pos end
  if c == ':' then return 'T_COLON', nil, pos + 1, pos end
  if c == ',' then return 'T_COMMA', nil, pos + 1, pos end
  if c == '"' then
    local parts, i = {}, pos + 1
    while true do
      local j = find(s, '["\\]', i)
      if j == nil then return 'T_ERROR', 'unexpected end of string', pos, pos end
      parts[#parts + 1] = sub(s, i, j - 1)
      if sub(s, j, j) == '"' then return 'T_STRING', concat(parts), j + 1, pos end
      local e = sub(s, j + 1, j + 1)
      if e == 'u' then
        local hex = sub(s, j + 2, j + 5)
        if not find(hex, '^%x%x%x%x$') then return 'T_ERROR', 'invalid unicode escape code', pos, pos end
        local cp = tonumber(hex, 16)
        i = j + 6
        if cp >= 0xd800 and cp <= 0xdbff then
          local lo = sub(s, i, i + 5)
          if not find(lo, '^\\u[dD][c-fC-F]%x%x$') then return 'T_ERROR', 'invalid unicode escape code', pos, pos end
          cp = 0x10000 + ((cp - 0xd800) << 10) + (tonumber(sub(lo, 3), 16) - 0xdc00)
          i = i + 6
        elseif cp >= 0xdc00 and cp <= 0xdfff then
          return 'T_ERROR', 'invalid unicode escape code', pos, pos
        end
        parts[#parts + 1] = utf8_char(cp)
      else
        local r = ESCAPED[e]
        if r == nil then return 'T_ERROR', 'invalid escape code', pos, pos end
        parts[#parts + 1] = r
        i = j + 2
      end
    end
  end
  if find(c, '[-0-9]') or (cfg.decode_invalid_numbers and find(c, '[iInN+]')) then
    local num = string.match(s, '^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
    if num == nil and cfg.decode_invalid_numbers then
      num = string.match(s, '^[-+]?[iI][nN][fF]', pos) or string.match(s, '^[-+]?[nN][aA][nN]', pos)
          or string.match(s, '^[-+]?0[xX]%x+', pos) or string.match(s, '^[-+]?[iI][nN][fF][iI][nN][iI][tT][yY]', pos)
    end
    if num ~= nil then
      local v = tonumber(num)
      if v == nil then
        local l = string.lower(num)
        if find(l, 'inf') then v = (sub(l, 1, 1) == '-') and -math.huge or math.huge
        elseif find(l, 'nan') then v = 0 / 0 end
      end
      if v ~= nil then
        if math.type(v) == 'float' then v = math.tointeger(v) or v end
        return 'T_NUMBER', v, pos + #num, pos
      end
    end
    return 'T_ERROR', 'invalid number', pos, pos
  end
  if sub(s, pos, pos + 3) == 'true' then return 'T_BOOLEAN', true, pos + 4, pos end
  if sub(s, pos, pos + 4) == 'false' then return 'T_BOOLEAN', false, pos + 5, pos end
  if sub(s, pos, pos + 3) == 'null' then return 'T_NULL', NULL, pos + 4, pos end
  return 'T_ERROR', 'invalid token', pos, pos
end

local parse_value
local function found(kind, value) if kind == 'T_ERROR' then return value end return kind end
local function descend(depth, pos)
  depth = depth + 1
  if depth > cfg.decode_max_depth then
    error('Found too many nested data structures (' .. depth .. ') at character ' .. (pos - 1), 0)
  end
  return depth
end
local function parse_object(s, pos, depth)
  depth = descend(depth, pos)
  local t = {}
  local kind, value, start
  kind, value, pos, start = next_token(s, pos)
  if kind == 'T_OBJ_END' then return t, pos end
  while true do
    if kind ~= 'T_STRING' then parse_error('object key string', found(kind, value), start) end
    local key = value
    kind, value, pos, start = next_token(s, pos)
    if kind ~= 'T_COLON' then parse_error('colon', found(kind, value), start) end
    kind, value, pos, start = next_token(s, pos)
    value, pos = parse_value(s, kind, value, pos, start, depth)
    rawset(t, key, value)
    kind, value, pos, start = next_token(s, pos)
    if kind == 'T_OBJ_END' then return t, pos end
    if kind ~= 'T_COMMA' then parse_error('comma or object end', found(kind, value), start) end
    kind, value, pos, start = next_token(s, pos)
  end
end
local function parse_array(s, pos, depth)
  depth = descend(depth, pos)
  local t = {}
  local kind, value, start
  kind, value, pos, start = next_token(s, pos)
  if kind == 'T_ARR_END' then return t, pos end
  local i = 1
  while true do
    value, pos = parse_value(s, kind, value, pos, start, depth)
    rawset(t, i, value)
    i = i + 1
    kind, value, pos, start = next_token(s, pos)
    if kind == 'T_ARR_END' then return t, pos end
    if kind ~= 'T_COMMA' then parse_error('comma or array end', found(kind, value), start) end
    kind, value, pos, start = next_token(s, pos)
  end
end
parse_value = function(s, kind, value, pos, start, depth)
  if kind == 'T_STRING' or kind == 'T_NUMBER' or kind == 'T_BOOLEAN' or kind == 'T_NULL' then return value, pos end
  if kind == 'T_OBJ_BEGIN' then return parse_object(s, pos, depth) end
  if kind == 'T_ARR_BEGIN' then return parse_array(s, pos, depth) end
  parse_error('value', found(kind, value), start)
end

local function argcheck(n, max)
  if n > max then error("bad argument #" .. (max + 1) .. " to '?' (found too many arguments)", 3) end
end
local function int_option(v, key, min, max)
  if v ~= nil then
    local n = math.tointeger(tonumber(v))
    if n == nil then error("bad argument #1 to '?' (number expected, got " .. type(v) .. ")", 3) end
    if n < min or n > max then error("bad argument #1 to '?' (expected integer between " .. min .. " and " .. max .. ")", 3) end
    cfg[key] = n
  end
  return cfg[key]
end
local function bool_option(v, key)
  if v ~= nil then
    if type(v) == 'boolean' then cfg[key] = v
    elseif v == 'on' then cfg[key] = true
    elseif v == 'off' then cfg[key] = false
    else error("bad argument #1 to '?' (invalid option '" .. tostring(v) .. "')", 3) end
  end
  return cfg[key]
end

local cjson = { _NAME = 'cjson', _VERSION = '2.1.0', null = NULL }
function cjson.encode(...)
  local n = select('#', ...)
  if n ~= 1 then error("bad argument #1 to 'encode' (expected 1 argument)", 2) end
  local out = {}
  encode_value((...), 0, out)
  return concat(out)
end
function cjson.decode(...)
  local n = select('#', ...)
  if n ~= 1 then error("bad argument #1 to 'decode' (expected 1 argument)", 2) end
  local s = ...
  if type(s) == 'number' then s = tostring(s) end
  if type(s) ~= 'string' then error("bad argument #1 to 'decode' (string expected, got " .. type(s) .. ")", 2) end
  if #s >= 2 and (byte(s, 1) == 0 or byte(s, 2) == 0) then error('JSON parser does not support UTF-16 or UTF-32', 2) end
  local kind, value, pos, start = next_token(s, 1)
  local result
  result, pos = parse_value(s, kind, value, pos, start, 0)
  kind, value, pos, start = next_token(s, pos)
  if kind ~= 'T_END' then parse_error('the end', found(kind, value), start) end
  return result
end
function cjson.encode_sparse_array(...)
  argcheck(select('#', ...), 3)
  local convert, ratio, safe = ...
  return bool_option(convert, 'sparse_convert'), int_option(ratio, 'sparse_ratio', 0, 2147483647), int_option(safe, 'sparse_safe', 0, 2147483647)
end
function cjson.encode_max_depth(...) argcheck(select('#', ...), 1) return int_option((...), 'encode_max_depth', 1, 2147483647) end
function cjson.decode_max_depth(...) argcheck(select('#', ...), 1) return int_option((...), 'decode_max_depth', 1, 2147483647) end
function cjson.encode_number_precision(...) argcheck(select('#', ...), 1) return int_option((...), 'precision', 1, 14) end
function cjson.encode_keep_buffer(...) argcheck(select('#', ...), 1) return bool_option((...), 'keep_buffer') end
function cjson.encode_invalid_numbers(...)
  argcheck(select('#', ...), 1)
  local v = ...
  if v ~= nil then
    if v == true or v == 'on' then cfg.encode_invalid_numbers = 1
    elseif v == false or v == 'off' then cfg.encode_invalid_numbers = 0
    elseif v == 'null' then cfg.encode_invalid_numbers = 2
    else error("bad argument #1 to 'encode_invalid_numbers' (invalid option '" .. tostring(v) .. "')", 2) end
  end
  local e = cfg.encode_invalid_numbers
  if e == 2 then return 'null' end
  return e == 1
end
function cjson.decode_invalid_numbers(...) argcheck(select('#', ...), 1) return bool_option((...), 'decode_invalid_numbers') end
function cjson.new() return cjson end
return cjson
`;
