/**
 * One raw shape on both protocols: the same commands go through RingClient with `protocol: 2`
 * and with `protocol: 3` to the same server (FLUSHALL and FUNCTION FLUSH before each run, so hash
 * iteration orders repeat), by call(), by one pipeline and by one multi(), and every result must be
 * equal: RESP3 maps, sets, doubles, booleans, big numbers and verbatim strings arrive as RESP2
 * sends them, and the replies RESP3 nests differently (ZRANGE … WITHSCORES, ZPOPMIN count,
 * HRANDFIELD WITHVALUES, XREAD/XREADGROUP) are re-nested. The commands: a curated list covering
 * every RESP3 type the server sends, then a seeded random sequence over the same families.
 * Oracle: redis-server 7.0 (with DEBUG PROTOCOL); ringcache-server is held to the same rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { ReplyError } from '../../src/errors.js';
import type { RespValue } from '../../src/protocol/resp-types.js';
import { Rng } from '../helpers/differential.js';
import { hasRedis, redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

type Argv = (string | number)[];

const LIB = "#!lua name=plib\nredis.register_function('echo2', function(keys, args) return {keys[1], args[1]} end)";

/** Commands whose RESP3 reply uses a RESP3-only type or a different nesting, and their neighbours. */
const CURATED: Argv[] = [
  ['SET', 's', 'v'],
  ['GET', 's'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCRBYFLOAT', 'f', '0.1'],
  ['EXPIREAT', 's', 4102444800],
  ['EXPIRETIME', 's'],
  ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
  ['HGETALL', 'h'],
  ['HGETALL', 'nohash'],
  ['HINCRBYFLOAT', 'h', 'x', '2.5'],
  ['HMGET', 'h', 'a', 'nope'],
  ['HSCAN', 'h', 0],
  ['HSET', 'h1', 'only', 'one'],
  ['HRANDFIELD', 'h1', 1, 'WITHVALUES'],
  ['HRANDFIELD', 'h1', -3, 'WITHVALUES'],
  ['HRANDFIELD', 'h1', -2],
  ['ZADD', 'z', 1, 'a', 2, 'b', 3.5, 'c', 'inf', 'top', '-inf', 'bottom'],
  ['ZADD', 'z2', 10, 'a', 20, 'd'],
  ['ZRANGE', 'z', 0, -1, 'WITHSCORES'],
  ['ZRANGE', 'z', 0, -1],
  ['ZRANGE', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', 0, 2, 'WITHSCORES'],
  ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES'],
  ['ZREVRANGE', 'z', 0, 2, 'WITHSCORES'],
  ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'WITHSCORES', 'LIMIT', 1, 2],
  ['ZSCORE', 'z', 'c'],
  ['ZSCORE', 'z', 'top'],
  ['ZSCORE', 'z', 'nope'],
  ['ZMSCORE', 'z', 'a', 'nope', 'bottom'],
  ['ZINCRBY', 'z', '0.25', 'a'],
  ['ZADD', 'z', 'INCR', 1, 'b'],
  ['ZADD', 'z', 'NX', 'INCR', 1, 'b'],
  ['ZRANK', 'z', 'c'],
  ['ZUNION', 2, 'z', 'z2', 'WITHSCORES'],
  ['ZINTER', 2, 'z', 'z2', 'WEIGHTS', 1, 0.5, 'WITHSCORES'],
  ['ZDIFF', 2, 'z', 'z2', 'WITHSCORES'],
  ['ZUNION', 2, 'z', 'z2'],
  ['ZADD', 'z1', 7.25, 'solo'],
  ['ZRANDMEMBER', 'z1', -3, 'WITHSCORES'],
  ['ZRANDMEMBER', 'z1', 1, 'WITHSCORES'],
  ['ZSCAN', 'z1', 0],
  ['ZPOPMIN', 'z'],
  ['ZPOPMIN', 'z', 2],
  ['ZPOPMAX', 'z', 1],
  ['ZPOPMAX', 'nozset', 3],
  ['ZMPOP', 1, 'z', 'MIN', 'COUNT', 2],
  ['ZMPOP', 1, 'nozset', 'MAX'],
  ['SADD', 'st', 3, 1, 2],
  ['SMEMBERS', 'st'],
  ['SINTER', 'st', 'st'],
  ['SMISMEMBER', 'st', 1, 9],
  ['SADD', 'st1', 'x'],
  ['SRANDMEMBER', 'st1', -2],
  ['RPUSH', 'l', 'a', 'b', 'c', 'b'],
  ['LPOS', 'l', 'b', 'COUNT', 0],
  ['LMPOP', 1, 'l', 'LEFT', 'COUNT', 2],
  ['XADD', 'x', '1-0', 'f', 'v'],
  ['XADD', 'x', '2-0', 'g', 'w'],
  ['XADD', 'x2', '5-0', 'k', 'z'],
  ['XRANGE', 'x', '-', '+'],
  ['XREAD', 'STREAMS', 'x', 'x2', '0', '0'],
  ['XREAD', 'COUNT', 1, 'STREAMS', 'x', '0'],
  ['XREAD', 'STREAMS', 'x', '$'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 1, 'STREAMS', 'x', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '0'],
  ['XPENDING', 'x', 'g'],
  ['XAUTOCLAIM', 'x', 'g', 'c2', 0, '0-0', 'JUSTID'],
  ['XINFO', 'STREAM', 'x'],
  ['XINFO', 'GROUPS', 'x'],
  ['GEOADD', 'geo', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
  ['GEOPOS', 'geo', 'Palermo', 'nope'],
  ['GEODIST', 'geo', 'Palermo', 'Catania', 'km'],
  ['GEOSEARCH', 'geo', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'WITHCOORD', 'WITHDIST', 'WITHHASH', 'ASC'],
  ['GEOHASH', 'geo', 'Palermo'],
  ['PFADD', 'hll', 'a', 'b', 'c'],
  ['PFCOUNT', 'hll'],
  ['SETBIT', 'bits', 7, 1],
  ['BITCOUNT', 'bits'],
  ['BITFIELD', 'bits', 'GET', 'u8', 0, 'INCRBY', 'i5', 8, 3],
  ['SET', 'la', 'ohmytext'],
  ['SET', 'lb', 'mynewtext'],
  ['LCS', 'la', 'lb', 'IDX', 'WITHMATCHLEN'],
  ['CONFIG', 'GET', 'maxmemory-policy'],
  ['OBJECT', 'ENCODING', 'z2'],
  ['OBJECT', 'FREQ', 'z2'],
  ['TYPE', 'x'],
  ['EVAL', "return {1, 2, {3, 'x'}, false, true}", 0],
  ['EVAL', "return redis.call('HGETALL', KEYS[1])", 1, 'h'],
  ['EVAL', "redis.setresp(3); return redis.call('HGETALL', KEYS[1])", 1, 'h'],
  ['EVAL', "redis.setresp(3); return {redis.call('ZSCORE', KEYS[1], 'd'), redis.call('SMEMBERS', KEYS[2])}", 2, 'z2', 'st'],
  ['EVAL', 'redis.setresp(3); return false', 0],
  ['EVAL', "return {double='3.25'}", 0],
  ['EVAL', "return redis.status_reply('FINE')", 0],
  ['EVAL', "return redis.error_reply('MYERR nope')", 0],
  ['FUNCTION', 'LOAD', LIB],
  ['FCALL', 'echo2', 1, 'k', 'a'],
  ['FUNCTION', 'LIST', 'WITHCODE'],
  ['COMMAND', 'INFO', 'GET', 'ZADD'],
  ['COMMAND', 'DOCS', 'GET'],
  ['COMMAND', 'GETKEYS', 'SET', 'a', 'b'],
  ['NOSUCHCOMMAND', 'x'],
  ['GET', 'h'],
];

/** DEBUG PROTOCOL: every RESP3 type as redis-server sends it (not push: RESP2 has no push). */
const DEBUG_TYPES = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'verbatim', 'true', 'false'];

/** A seeded random sequence over the same families (few keys, so commands meet each other's data). */
function randomCommands(seed: number, n: number): Argv[] {
  const rng = new Rng(seed);
  const key = (p: string): string => `${p}${rng.int(0, 2)}`;
  const num = (): string => rng.pick(['1', '2.5', '-3', '0', '1e3', 'inf']);
  const gens: (() => Argv)[] = [
    () => ['ZADD', key('rz'), num(), `m${rng.int(0, 5)}`],
    () => ['ZRANGE', key('rz'), 0, -1, 'WITHSCORES'],
    () => ['ZREVRANGEBYSCORE', key('rz'), '+inf', '-inf', 'WITHSCORES'],
    () => ['ZINCRBY', key('rz'), num(), `m${rng.int(0, 5)}`],
    () => ['ZSCORE', key('rz'), `m${rng.int(0, 5)}`],
    () => ['ZPOPMIN', key('rz'), rng.int(1, 3)],
    () => ['ZPOPMAX', key('rz')],
    () => ['ZUNION', 2, key('rz'), key('rz'), 'WITHSCORES'],
    () => ['HSET', key('rh'), `f${rng.int(0, 4)}`, num()],
    () => ['HGETALL', key('rh')],
    () => ['HINCRBYFLOAT', key('rh'), `f${rng.int(0, 4)}`, '0.5'],
    () => ['XADD', key('rx'), '*', 'f', num()].map((a) => (a === '*' ? `${rng.int(1, 9)}-${rng.int(0, 9)}` : a)),
    () => ['XREAD', 'COUNT', 2, 'STREAMS', key('rx'), key('rx'), '0', '0'],
    () => ['XRANGE', key('rx'), '-', '+', 'COUNT', 3],
    () => ['SADD', key('rs'), rng.int(0, 20)],
    () => ['SMEMBERS', key('rs')],
    () => ['INCRBYFLOAT', key('rf'), num()],
    () => ['GET', key('rf')],
    () => ['DEL', key('rz')],
  ];
  return Array.from({ length: n }, () => rng.pick(gens)());
}

/** A result in one comparable form: error replies by their message. */
function plain(v: RespValue | Error | undefined): unknown {
  if (v instanceof ReplyError) return { error: v.message };
  if (v instanceof Error) return { error: v.message, code: (v as Error & { code?: string }).code };
  if (Array.isArray(v)) return v.map(plain);
  if (Buffer.isBuffer(v)) return { buffer: v.toString('hex') };
  return v;
}

interface Runs {
  call: unknown[];
  pipeline: unknown[];
  multi: unknown[];
}

async function runAll(port: number, protocol: 2 | 3, commands: readonly Argv[]): Promise<Runs> {
  const c = new RingClient({ shards: [{ name: 'only', master: `127.0.0.1:${port}` }], protocol, commandTimeoutMs: 10_000 });
  const reset = async (): Promise<void> => {
    await c.call('FLUSHALL');
    await c.call('FUNCTION', 'FLUSH');
  };
  try {
    await reset();
    const call: unknown[] = [];
    for (const argv of commands) {
      call.push(
        await c.call(String(argv[0]), ...argv.slice(1)).then(
          (v) => plain(v),
          (e: unknown) => plain(e as Error),
        ),
      );
    }
    await reset();
    const p = c.pipeline();
    for (const argv of commands) p.call(String(argv[0]), ...argv.slice(1));
    const pipeline = (await p.exec()).map(([e, v]) => plain(e ?? (v as RespValue)));
    await reset();
    const m = c.multi();
    for (const argv of withoutUnknown(commands)) m.call(String(argv[0]), ...argv.slice(1));
    const multi = await m.exec().then(
      (r) => (r === null ? [null] : r.map((v) => plain(v as RespValue))),
      (e: unknown) => [plain(e as Error)],
    );
    return { call, pipeline, multi };
  } finally {
    await c.close();
  }
}

/** Index and argv of the first result that differs, for a readable failure. */
function firstDifference(commands: readonly Argv[], a: readonly unknown[], b: readonly unknown[]): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return `#${i} ${JSON.stringify(commands[i])}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
  }
  return null;
}

/** An unknown command aborts a whole transaction (EXECABORT): multi() runs without it. */
function withoutUnknown(commands: readonly Argv[]): Argv[] {
  return commands.filter((a) => a[0] !== 'NOSUCHCOMMAND');
}

const BACKENDS = [
  { name: 'redis-server', start: () => startRedis({ args: { 'enable-debug-command': 'yes' } }), available: hasRedis(), debug: true },
  { name: 'ringcache-server', start: () => startRingcache(), available: true, debug: false },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`RESP2 and RESP3 give the same results through RingClient (${backend.name})`, () => {
    let node: ServerProcess;
    beforeAll(async () => {
      node = await backend.start();
    });
    afterAll(async () => {
      await node?.stop();
    });

    const check = async (commands: Argv[]): Promise<void> => {
      const r2 = await runAll(node.port, 2, commands);
      const r3 = await runAll(node.port, 3, commands);
      const tx = withoutUnknown(commands);
      for (const mode of ['call', 'pipeline', 'multi'] as const) {
        const cmds = mode === 'multi' ? tx : commands;
        expect(firstDifference(cmds, r2[mode], r3[mode]), `${mode}: RESP2 vs RESP3`).toBeNull();
      }
      expect(firstDifference(commands, r2.call, r2.pipeline), 'call() vs pipeline').toBeNull();
    };

    it('curated commands: every RESP3 type and re-nested reply (call, pipeline, multi)', async () => {
      const commands = [...CURATED];
      if (backend.debug) for (const t of DEBUG_TYPES) commands.push(['DEBUG', 'PROTOCOL', t]);
      await check(commands);
    });

    it('a transaction gives its elements the same shape as direct calls', async () => {
      const commands = withoutUnknown(CURATED);
      const r3 = await runAll(node.port, 3, commands);
      expect(firstDifference(commands, r3.call, r3.multi), 'call() vs multi() on RESP3').toBeNull();
    });

    for (const seed of [1, 2, 3]) {
      it(`seeded random sequence ${seed}`, async () => {
        await check(randomCommands(seed, 120));
      });
    }
  });
}
