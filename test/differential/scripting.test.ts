/**
 * Scripting, byte for byte against redis-server 7.0: seeded random sequences of EVAL, EVALSHA,
 * EVAL_RO, SCRIPT LOAD/EXISTS, FCALL and FCALL_RO over a catalogue of scripts — the recipes the
 * examples use (lock release, rate limiters, leaderboard), Lua ↔ RESP conversions both ways
 * (RESP2 and, with redis.setresp(3), RESP3), error replies with their " script: …, on …" suffix,
 * redis.error_reply/status_reply, cjson/cmsgpack/bit/struct, argument errors (numkeys, NOSCRIPT,
 * unknown function) and read-only refusals. Scripts avoid what Lua 5.4 does differently from
 * Lua 5.1 (a float in a concatenation, the order `pairs` visits a table's keys in), which
 * docs/server.md lists.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

const SCRIPTS = [
  "return redis.call('SET', KEYS[1], ARGV[1])",
  "return redis.call('GET', KEYS[1])",
  "return redis.call('INCRBY', KEYS[1], ARGV[1])",
  "return redis.pcall('INCR', KEYS[1])",
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
  "local c = redis.call('INCR', KEYS[1]) if c == 1 then redis.call('EXPIRE', KEYS[1], 60) end if c > (tonumber(ARGV[1]) or 0) then return 0 end return 1",
  "local now = tonumber(ARGV[1]) or 0 redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, now - 1000) local n = redis.call('ZCARD', KEYS[1]) if n >= 3 then return 0 end redis.call('ZADD', KEYS[1], now, now) return 1",
  "redis.call('ZINCRBY', KEYS[1], ARGV[1], 'p') return redis.call('ZREVRANGE', KEYS[1], 0, 2, 'WITHSCORES')",
  "redis.call('RPUSH', KEYS[1], ARGV[1]) return redis.call('LRANGE', KEYS[1], 0, -1)",
  "redis.call('HSET', KEYS[1], 'f', ARGV[1]) return redis.call('HGETALL', KEYS[1])",
  "redis.setresp(3) redis.call('HSET', KEYS[1], 'f', ARGV[1]) return redis.call('HGETALL', KEYS[1])",
  "redis.setresp(3) return {redis.call('SMEMBERS', KEYS[1]), redis.call('EXISTS', KEYS[1])}",
  "return {1, 2.7, -3.9, 'x', true, false, {ok='fine'}, {1, {2}}}",
  'return {err = ARGV[1]}',
  "return redis.error_reply('MYERR ' .. ARGV[1])",
  'return redis.status_reply(ARGV[1])',
  "return redis.call('nosuchcommand')",
  "return redis.pcall('nosuchcommand', KEYS[1])",
  "return redis.call('GET', KEYS[1], 'extra')",
  'return undefined_global',
  'x = 1',
  "redis.call('LPUSH', KEYS[1], 'a') return redis.call('GET', KEYS[1])",
  "return cjson.encode({{k = ARGV[1]}, tonumber(ARGV[1]) or 0})",
  "local t = cjson.decode('[1, 2, \"three\"]') return {t[1], t[3], #t}",
  'return cmsgpack.unpack(cmsgpack.pack(ARGV[1], 12, -1))',
  'return {bit.band(tonumber(ARGV[1]) or 0, 255), bit.tohex(65535), bit.lshift(1, 4)}',
  "return {struct.unpack('>I2', struct.pack('>I2', 513))}",
  'return redis.sha1hex(ARGV[1])',
  'return #KEYS + #ARGV',
  "local ok, e = pcall(function() redis.call('nosuch') end) return e",
  "redis.call('SELECT', 3) redis.call('SET', KEYS[1], 'db3') return redis.call('GET', KEYS[1])",
  "return redis.call('TYPE', KEYS[1])",
  'return tostring(10 / 2)',
];

const LIBRARY = [
  '#!lua name=difflib',
  "redis.register_function('getset', function(keys, args) local old = redis.call('GET', keys[1]) redis.call('SET', keys[1], args[1]) return old end)",
  "redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}",
  "redis.register_function('boom', function(keys) return redis.call('INCR', keys[1]) end)",
].join('\n');

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)]!;
}

function scriptCommand(rng: Rng): string[] {
  const keys = ['k1', 'k2', 'k3'];
  const args = ['v', '5', '-2', 'a\r\nb', '300', '1000', 'x'];
  const body = pick(rng, SCRIPTS);
  const numkeys = rng.int(0, 10) === 0 ? rng.int(-1, 4) : 1;
  const argv = [String(numkeys), ...Array.from({ length: Math.max(0, Math.min(numkeys, 3)) }, () => pick(rng, keys)), pick(rng, args)];
  switch (rng.int(0, 9)) {
    case 0:
      return ['SCRIPT', 'LOAD', body];
    case 1:
      return ['EVAL_RO', body, ...argv];
    case 2:
      return ['FCALL', pick(rng, ['getset', 'peek', 'boom', 'missing']), ...argv];
    case 3:
      return ['FCALL_RO', pick(rng, ['getset', 'peek']), ...argv];
    case 4:
      return ['EVALSHA', pick(rng, ['0000000000000000000000000000000000000000', 'short', '0a1b']), ...argv];
    case 5:
      return ['SET', pick(rng, keys), pick(rng, args)];
    case 6:
      return ['SADD', pick(rng, keys), pick(rng, args)];
    default:
      return ['EVAL', body, ...argv];
  }
}

describe.skipIf(skip !== null)('scripting, differential against redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  const setup = [['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', LIBRARY], ['SCRIPT', 'FLUSH']];
  for (const seed of [1, 2, 3]) {
    it(`random EVAL/EVALSHA/FCALL sequences agree byte for byte (seed ${seed})`, async () => {
      await d.run(seed, 250, scriptCommand, { setup });
    }, 60_000);
  }

  it('the same under RESP3', async () => {
    await d.run(7, 250, scriptCommand, { setup, proto: 3 });
  }, 60_000);

  // FUNCTION LIST is left out: Redis lists a library's functions in its dict's order.
  it('EVALSHA of a loaded script, SCRIPT EXISTS and FUNCTION STATS agree', async () => {
    const sha = createHash('sha1').update(SCRIPTS[0]!).digest('hex');
    await d.run(11, 40, (rng, step) => {
      if (step === 0) return ['SCRIPT', 'LOAD', SCRIPTS[0]!];
      if (step % 5 === 2) return ['FUNCTION', 'STATS'];
      if (step % 5 === 3) return ['SCRIPT', 'EXISTS', sha, sha.toUpperCase(), '0000'];
      return ['EVALSHA', rng.int(0, 1) === 0 ? sha : sha.toUpperCase(), '1', `k${rng.int(1, 3)}`, 'v'];
    }, { setup });
  });
});
