/**
 * Differential test of list and hash commands: seeded random sequences (2,000 steps per seed)
 * against ringcache-server and redis-server 7.0.15, every reply compared byte for byte in RESP2 and
 * RESP3. Error precedence, edge integers (LONG_MIN ranks, int64 indexes), WRONGTYPE and the
 * non-blocking paths of the blocking commands (immediate data, inside MULTI/EXEC) are all covered.
 *
 * Normalised only where Redis is random: HRANDFIELD (count of frames and of distinct frames), and
 * hashes that Redis keeps as real hashtables (keys `big*`, `hlong`: more than 128 fields or long
 * values), whose HGETALL/HKEYS/HVALS/HSCAN are sorted before comparing. Small hashes stay listpacks
 * in Redis, and ringcache reproduces their insertion order exactly, so they are compared as is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';
import { frameEnd } from '../helpers/raw-client.js';

const skip = redisSkipReason();
const BIG_INT = ['9223372036854775807', '-9223372036854775808', '9223372036854775808'];

function listGen(): (rng: Rng) => string[] {
  const queued: string[][] = [];
  const key = (rng: Rng): string => rng.pick(['l0', 'l1', 'l2', 'l3', 'str', 'none']);
  const el = (rng: Rng): string => rng.pick(['a', 'b', 'c', 'd', '1', '', 'hello world']);
  const idx = (rng: Rng): string => rng.pick([String(rng.int(-8, 8)), String(rng.int(-8, 8)), '100', '-100', 'x', ...BIG_INT]);
  const side = (rng: Rng): string => rng.pick(['LEFT', 'RIGHT', 'left', 'Right', 'UP']);
  // Blocking commands run inside MULTI (where they never block) or with arguments that fail or
  // answer at once; waking and timeouts are covered by the unit and multi-client tests.
  const blocking = (rng: Rng, k: string): string[] =>
    rng.pick([
      ['BLPOP', k, key(rng), '0'],
      ['BRPOP', k, '0.5'],
      ['BLMOVE', k, key(rng), side(rng), side(rng), '0'],
      ['BRPOPLPUSH', k, key(rng), '0'],
      ['BLMPOP', '0', '2', k, key(rng), side(rng), ...rng.pick([[], ['COUNT', '2'], ['COUNT', '0']])],
    ]);
  return (rng) => {
    const q = queued.shift();
    if (q !== undefined) return q;
    const k = key(rng);
    switch (rng.int(0, 26)) {
      case 0: case 1: case 2:
        return [rng.pick(['LPUSH', 'RPUSH']), k, ...Array.from({ length: rng.int(1, 4) }, () => el(rng))];
      case 3:
        return [rng.pick(['LPUSHX', 'RPUSHX']), k, el(rng), ...rng.pick([[], [el(rng)]])];
      case 4: case 5:
        return [rng.pick(['LPOP', 'RPOP']), k, ...rng.pick([[], [], ['2'], ['0'], ['-1'], ['x'], ['10'], ['1', '2'], [BIG_INT[0]!]])];
      case 6:
        return ['LLEN', k];
      case 7:
        return ['LINDEX', k, idx(rng)];
      case 8: case 9:
        return ['LRANGE', k, idx(rng), idx(rng)];
      case 10:
        return ['LSET', k, idx(rng), el(rng)];
      case 11:
        return ['LREM', k, rng.pick(['0', '1', '-1', '2', '-2', 'x']), el(rng)];
      case 12:
        return ['LTRIM', k, idx(rng), idx(rng)];
      case 13:
        return ['LINSERT', k, rng.pick(['BEFORE', 'AFTER', 'after', 'MIDDLE']), el(rng), el(rng)];
      case 14: {
        const opts = rng.pick([[], ['RANK', '2'], ['RANK', '-1'], ['RANK', '0'], ['RANK', 'x'], ['RANK', BIG_INT[1]!], ['RANK', BIG_INT[1]!, 'COUNT', '2'],
          ['COUNT', '0'], ['COUNT', '2'], ['COUNT', '-1'], ['COUNT', 'x'], ['MAXLEN', '2'], ['MAXLEN', '-1'], ['MAXLEN', 'y'],
          ['RANK', '-2', 'COUNT', '0'], ['FOO', '1'], ['FOO', 'bar'], ['RANK'], ['COUNT', '1', 'MAXLEN', '3', 'RANK', '-1']]);
        return ['LPOS', k, el(rng), ...opts];
      }
      case 15:
        return ['LMOVE', k, key(rng), side(rng), side(rng)];
      case 16:
        return ['RPOPLPUSH', k, key(rng)];
      case 17:
        return ['LMPOP', rng.pick(['1', '2', '0', 'x', '5', '-1']), k, key(rng), side(rng),
          ...rng.pick([[], ['COUNT', '2'], ['COUNT', '0'], ['COUNT'], ['COUNT', '1', 'COUNT', '2'], ['count', '9']])];
      case 18:
        queued.push(blocking(rng, k), ['EXEC']);
        return ['MULTI'];
      case 19: {
        // Outside MULTI: give the key data first so the command answers at once (or WRONGTYPE);
        // now and then let it time out quickly on an empty key.
        const b = rng.pick(['l0', 'l1', 'str', 'empty']);
        if (b === 'empty') return rng.pick([['BLPOP', 'empty', '0.01'], ['BLMOVE', 'empty', 'l0', 'LEFT', 'LEFT', '0.01'], ['BLMPOP', '0.01', '1', 'empty', 'LEFT']]);
        queued.push(blocking(rng, b));
        return ['RPUSH', b, el(rng)];
      }
      case 20:
        return rng.pick([
          ['BLPOP', k, rng.pick(['x', '-1', 'inf', '-inf', '1e400', ' 1', 'nan', '1e5000'])],
          ['BLMPOP', rng.pick(['x', '-1', 'inf']), rng.pick(['0', '1', 'x']), k, rng.pick(['LEFT', 'UP'])],
          ['BLMPOP', '0', rng.pick(['0', 'x', '-1', '3']), k, rng.pick(['LEFT', 'UP'])],
          ['BLMPOP', '0', '1', k, 'LEFT', 'COUNT', rng.pick(['0', 'x', '-2'])],
          ['BLMOVE', k, 'd', side(rng), side(rng), rng.pick(['x', '-1'])],
        ]);
      case 21:
        return ['SET', 'str', 'v'];
      case 22:
        return ['TYPE', k];
      case 23:
        return ['DEL', k];
      case 24:
        return ['EXISTS', k];
      case 25:
        return rng.pick([['RENAME', k, key(rng)], ['COPY', k, key(rng)], ['COPY', k, key(rng), 'REPLACE']]);
      default:
        return rng.pick([['LPUSH', k], ['LRANGE', k, '0'], ['LINDEX', k], ['LPOS', k], ['LMPOP', '1']]);
    }
  };
}

function hashGen(rng: Rng): string[] {
  const k = rng.pick(['h0', 'h1', 'h2', 'str', 'none', 'big0', 'big0', 'hlong']);
  const big = k.startsWith('big');
  const field = (): string => (big ? `f${rng.int(0, 260)}` : rng.pick(['f0', 'f1', 'f2', 'f3', 'f4', 'a b', '']));
  const val = (): string =>
    k === 'hlong' && rng.bool(0.3) ? 'x'.repeat(rng.int(60, 70)) : rng.pick(['1', '10', '-5', 'x', '3.5', '', '9223372036854775807', '0.1']);
  switch (rng.int(0, 22)) {
    case 0: case 1: case 2: case 3: {
      const args = Array.from({ length: big ? rng.int(1, 8) : rng.int(1, 3) }, () => [field(), val()]).flat();
      if (rng.bool(0.05)) args.pop();
      return [rng.pick(['HSET', 'HMSET']), k, ...args];
    }
    case 4:
      return ['HSETNX', k, field(), val()];
    case 5:
      return ['HGET', k, field()];
    case 6:
      return ['HMGET', k, field(), field()];
    case 7: case 8:
      return [rng.pick(['HGETALL', 'HKEYS', 'HVALS']), k];
    case 9:
      return ['HDEL', k, field(), ...rng.pick([[], [field()]])];
    case 10:
      return [rng.pick(['HEXISTS', 'HSTRLEN']), k, field()];
    case 11:
      return ['HLEN', k];
    case 12:
      return ['HINCRBY', k, field(), rng.pick(['1', '-3', '100', 'x', '1.5', '9223372036854775807', '-9223372036854775808'])];
    case 13:
      return ['HINCRBYFLOAT', k, field(), rng.pick(['0.5', '1.25', '-3', '0.1', 'x', '', 'inf', '1e3'])];
    case 14: case 15:
      return ['HRANDFIELD', k, ...rng.pick([[], ['2'], ['-2', 'WITHVALUES'], ['x'], ['0'], ['1000'], ['1000', 'WITHVALUES'], ['3', 'WITHVALUES'],
        ['-5'], ['1', 'FOO'], ['x', 'FOO'], ['1', 'WITHVALUES', 'x'], ['-9223372036854775808'], ['-9223372036854775807', 'WITHVALUES']])];
    case 16:
      return ['HSCAN', k, rng.pick(['0', '0', 'x', '-1', '+0', '18446744073709551616']),
        ...rng.pick([[], ['MATCH', 'f*'], ['MATCH', '*1*', 'COUNT', '1000'], ['COUNT', '1000'], ['COUNT', '0'], ['COUNT', 'x'], ['BAD'], ['MATCH']])];
    case 17:
      return ['SET', 'str', 'v'];
    case 18:
      return [big && rng.bool(0.8) ? 'HLEN' : 'DEL', k];
    case 19:
      return ['TYPE', k];
    case 20:
      return rng.pick([['HSET', k, 'f'], ['HGET', k], ['HDEL', k], ['HMSET', k, 'a']]);
    case 21:
      return ['OBJECT', 'ENCODING', k === 'big0' || k === 'hlong' ? 'h0' : k];
    default:
      return ['EXISTS', k];
  }
}

/** The child frames of a top-level RESP aggregate (array `*`, map `%`, set `~`), or null. */
function children(reply: string): { head: string; items: string[] } | null {
  if (!/^[*%~]\d/.test(reply)) return null;
  const buf = Buffer.from(reply, 'latin1');
  const lineEnd = reply.indexOf('\r\n');
  const items: string[] = [];
  for (let pos = lineEnd + 2; pos < buf.length; ) {
    const end = frameEnd(buf, pos);
    items.push(reply.slice(pos, end));
    pos = end;
  }
  return { head: reply.slice(0, lineEnd), items };
}

function sortedPairs(items: string[], step: number): string {
  const groups: string[] = [];
  for (let i = 0; i < items.length; i += step) groups.push(items.slice(i, i + step).join(''));
  return groups.sort().join('');
}

function normalize(argv: readonly string[], reply: string): string {
  const cmd = argv[0]!.toUpperCase();
  const agg = children(reply);
  if (cmd === 'HRANDFIELD' && agg !== null) {
    // Repeats are allowed for a negative count; otherwise the picked fields must be distinct.
    if (Number(argv[2]) < 0) return agg.head;
    const flatPairs = argv.length === 4 && agg.items[0]?.startsWith('*') !== true;
    return `${agg.head} distinct=${new Set(agg.items.filter((_, i) => !flatPairs || i % 2 === 0)).size}`;
  }
  if (cmd === 'HRANDFIELD' && reply.startsWith('$') && reply !== '$-1\r\n') return '<one field>';
  const hashtable = argv[1] === 'hlong' || argv[1]?.startsWith('big') === true;
  if (!hashtable || agg === null) return reply;
  if (cmd === 'HGETALL') return agg.head + sortedPairs(agg.items, 2);
  if (cmd === 'HKEYS' || cmd === 'HVALS') return agg.head + sortedPairs(agg.items, 1);
  if (cmd === 'HSCAN') {
    // Cursors into a Redis hashtable depend on its hash function: only a sweep from 0 with a COUNT
    // above the hash's size (one complete reply on both servers) is comparable.
    const whole = (argv[2] === '0' || argv[2] === '+0') && argv.includes('1000');
    const elems = children(agg.items[1]!)!;
    return whole ? agg.items[0] + elems.head + sortedPairs(elems.items, 2) : '<partial scan>';
  }
  return reply;
}

describe.skipIf(skip !== null)('differential: lists and hashes vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const [seed, proto] of [[21, 2], [22, 2], [23, 3]] as const) {
    it(`lists, RESP${proto}, seed ${seed}`, async () => {
      await d.run(seed, 2000, listGen(), { proto });
    });
  }
  for (const [seed, proto] of [[31, 2], [32, 2], [33, 3]] as const) {
    it(`hashes, RESP${proto}, seed ${seed}`, async () => {
      // big0 starts past the listpack limit, so Redis holds it as a hashtable from the first step.
      const setup = [['HSET', 'big0', ...Array.from({ length: 150 }, (_, i) => [`f${i}`, String(i)]).flat()]];
      await d.run(seed, 2000, hashGen, { proto, normalize, setup });
    });
  }

  it('a full HSCAN of a large hash returns every field, as Redis does', async () => {
    const [a, b] = await d.clients();
    try {
      for (const c of [a, b]) {
        await c.call('DEL', 'hs');
        for (let i = 0; i < 1000; i += 100) await c.call('HSET', 'hs', ...Array.from({ length: 100 }, (_, j) => [`field:${i + j}`, `v${i + j}`]).flat());
      }
      const sweep = async (c: typeof a): Promise<Set<string>> => {
        const seen = new Set<string>();
        let cursor = '0';
        let rounds = 0;
        do {
          const r = children(await c.call('HSCAN', 'hs', cursor, 'COUNT', '50'))!;
          cursor = r.items[0]!.split('\r\n')[1]!;
          const elems = children(r.items[1]!)!.items;
          for (let i = 0; i < elems.length; i += 2) seen.add(elems[i]!);
          rounds++;
        } while (cursor !== '0' && rounds < 10_000);
        return seen;
      };
      const [ours, theirs] = await Promise.all([sweep(a), sweep(b)]);
      expect(ours.size).toBe(1000);
      expect([...ours].sort()).toEqual([...theirs].sort());
    } finally {
      a.close();
      b.close();
    }
  });
});
