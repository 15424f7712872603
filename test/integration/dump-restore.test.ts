/**
 * DUMP/RESTORE between redis-server 7.0 and ringcache-server, both ways, for every type and
 * encoding Redis writes (int-encoded and LZF strings, quicklists of listpacks, intsets of every
 * width, hashtable sets, listpack and skiplist sorted sets, listpack and hashtable hashes), small
 * and big; then the older encodings Redis still reads (zipmap, ziplists, linked lists, quicklists
 * of ziplists) taken from the RDB files of Redis's test suite; then RESTORE's options and errors,
 * reply for reply.
 *
 * "Equal" means the same contents read back (sets and hashtable hashes compared sorted: their
 * order is each server's hash order) and the same OBJECT ENCODING.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdbReader } from '../../src/server/persistence/rdb/rdb-reader.js';
import { crc64 } from '../../src/server/persistence/rdb/crc64.js';
import { readValue } from '../../src/server/persistence/rdb/value-codec.js';
import { redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { RawClient, childFrames } from '../helpers/raw-client.js';

const skip = redisSkipReason();
const SUITE_ASSETS = '/work/redis-tests/tests/assets';

/** The child frames of an array reply, or the payload of a bulk reply. */
function items(reply: string): string[] {
  return reply[0] === '$' ? [reply.slice(reply.indexOf('\r\n') + 2, -2)] : childFrames(reply);
}

function bulkPayload(reply: string): string {
  expect(reply[0]).toBe('$');
  return reply.slice(reply.indexOf('\r\n') + 2, -2);
}

const READ: Record<string, [string[], boolean]> = {
  string: [['GET'], false],
  list: [['LRANGE', '0', '-1'], false],
  set: [['SMEMBERS'], true],
  zset: [['ZRANGE', '0', '-1', 'WITHSCORES'], false],
  hash: [['HGETALL'], true],
};

/** What the key holds, comparable across servers. */
async function contents(c: RawClient, key: string): Promise<{ type: string; encoding: string; items: string[] }> {
  const type = (await c.call('TYPE', key)).slice(1, -2);
  const [cmd, unordered] = READ[type]!;
  let got = items(await c.call(cmd[0]!, key, ...cmd.slice(1)));
  if (type === 'hash') {
    const pairs: string[] = [];
    for (let i = 0; i < got.length; i += 2) pairs.push(got[i]! + got[i + 1]!);
    got = pairs;
  }
  if (unordered) got.sort();
  return { type, encoding: await c.call('OBJECT', 'ENCODING', key), items: got };
}

function repeat(n: number, f: (i: number) => string): string[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** Values of every type and encoding, small and big. */
const CASES: [string, string[][]][] = [
  ['short string', [['SET', 'k', 'bar']]],
  ['int8 string', [['SET', 'k', '-100']]],
  ['int16 string', [['SET', 'k', '30000']]],
  ['int32 string', [['SET', 'k', '2147483647']]],
  ['int64 string', [['SET', 'k', '-9223372036854775808']]],
  ['empty string', [['SET', 'k', '']]],
  ['binary string', [['SET', 'k', '\0\xff\r\n\x80 binary']]],
  ['LZF string', [['SET', 'k', 'abc'.repeat(100)]]],
  ['incompressible string', [['SET', 'k', repeat(40, (i) => String.fromCharCode((i * 97) % 256)).join('')]]],
  ['1 MB string', [['SET', 'k', repeat(1 << 14, (i) => `${i * 7919}:`).join('').padEnd(1 << 20, 'z')]]],
  ['small list', [['RPUSH', 'k', 'a', '1', '127', '128', '-4096', '4095', '32767', '-32769', '8388607', '2147483648', '9223372036854775807', '-0', '01', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4096)]]],
  ['big list (many quicklist nodes)', [['RPUSH', 'k', ...repeat(20000, (i) => (i % 3 ? String(i) : `item-${i}`))]]],
  ['list of big elements', [['RPUSH', 'k', 'a'.repeat(20000), 'small', 'b'.repeat(9000)]]],
  ['intset16', [['SADD', 'k', '1', '-2', '300']]],
  ['intset32', [['SADD', 'k', '1', '70000', '-70000']]],
  ['intset64', [['SADD', 'k', '1', '5000000000', '-9223372036854775808']]],
  ['hashtable set', [['SADD', 'k', 'a', 'b', '1', 'x'.repeat(100)]]],
  ['big int set (hashtable)', [['SADD', 'k', ...repeat(1000, (i) => String(i * 3))]]],
  ['listpack sorted set', [['ZADD', 'k', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '4503599627370496', 'e', '-0.1', 'f', '1e-300', 'g']]],
  ['skiplist sorted set', [['ZADD', 'k', ...Array.from({ length: 300 }, (_, i) => [String(i / 7), `m${i}`]).flat()]]],
  ['sorted set with a long member', [['ZADD', 'k', '1', 'x'.repeat(100), '2', 'b']]],
  ['geo set', [['GEOADD', 'k', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '-180', '-85.05112878', 'corner']]],
  ['listpack hash', [['HSET', 'k', 'f', 'v', 'n', '12', 'neg', '-3', 'e', '']]],
  ['hashtable hash (many fields)', [['HSET', 'k', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, String(i)]).flat()]]],
  ['hashtable hash (long value)', [['HSET', 'k', 'a', 'b', 'long', 'v'.repeat(65)]]],
];

describe.skipIf(skip !== null)('DUMP/RESTORE between redis-server and ringcache-server', () => {
  let redis: ServerProcess;
  let ours: ServerProcess;
  let r: RawClient;
  let o: RawClient;
  beforeAll(async () => {
    // Redis's built-in default is 512 (its shipped redis.conf says 128): the same on both sides.
    const args = { 'hash-max-listpack-entries': 128 };
    [redis, ours] = await Promise.all([startRedis({ args }), startRingcache({ args })]);
    [r, o] = await Promise.all([RawClient.connect(redis.port), RawClient.connect(ours.port)]);
  });
  afterAll(async () => {
    r?.close();
    o?.close();
    await Promise.all([redis?.stop(), ours?.stop()]);
  });

  for (const [name, setup] of CASES) {
    for (const [dir, from, to] of [['redis -> ringcache', () => r, () => o], ['ringcache -> redis', () => o, () => r]] as const) {
      it(`${name}: ${dir}`, async () => {
        const [a, b] = [from(), to()];
        await a.call('FLUSHALL');
        await b.call('FLUSHALL');
        for (const cmd of setup) await a.call(...cmd);
        const payload = bulkPayload(await a.call('DUMP', 'k'));
        expect(await b.call('RESTORE', 'k', '0', payload)).toBe('+OK\r\n');
        expect(await contents(b, 'k')).toEqual(await contents(a, 'k'));
        // And back again under another name.
        const again = bulkPayload(await b.call('DUMP', 'k'));
        expect(await a.call('RESTORE', 'k2', '0', again)).toBe('+OK\r\n');
        expect(await contents(a, 'k2')).toEqual(await contents(a, 'k'));
      });
    }
  }

  /** Every key of an RDB file as a DUMP payload (type byte + value, version, CRC). */
  function payloadsOf(file: string): [string, Buffer][] {
    const buf = readFileSync(file);
    const rd = new RdbReader(buf, buf.length, 9);
    const limits = { compress: false, listMaxListpackSize: -2, hashMaxListpackEntries: 128, hashMaxListpackValue: 64, setMaxIntsetEntries: 512, zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 };
    const out: [string, Buffer][] = [];
    for (;;) {
      const op = rd.readByte();
      if (op === 0xff) break;
      if (op === 0xfa) [rd.readString(), rd.readString()];
      else if (op === 0xfb) [rd.readLen(), rd.readLen()];
      else if (op === 0xfe || op === 0xf8) rd.readLen();
      else if (op === 0xfd) rd.readRaw(4);
      else if (op === 0xfc) rd.readRaw(8);
      else if (op === 0xf9) rd.readByte();
      else {
        const key = rd.readString();
        const valueAt = rd.offset;
        const probe = new RdbReader(Buffer.concat([Buffer.from([op]), buf.subarray(valueAt)]));
        readValue(probe, limits);
        rd.readRaw(probe.offset - 1);
        const body = Buffer.concat([Buffer.from([op]), buf.subarray(valueAt, valueAt + probe.offset - 1), Buffer.from([10, 0])]);
        const crc = Buffer.alloc(8);
        crc.writeBigUInt64LE(crc64(body));
        out.push([key, Buffer.concat([body, crc])]);
      }
    }
    return out;
  }

  it.skipIf(!existsSync(SUITE_ASSETS))('restores the older encodings (zipmap, ziplists, linked lists, quicklists of ziplists) as Redis does', async () => {
    let n = 0;
    for (const file of ['encodings.rdb', 'hash-zipmap.rdb', 'hash-ziplist.rdb', 'zset-ziplist.rdb', 'list-quicklist.rdb']) {
      for (const [key, payload] of payloadsOf(`${SUITE_ASSETS}/${file}`)) {
        await r.call('DEL', key);
        await o.call('DEL', key);
        const [ra, oa] = [await r.call('RESTORE', key, '0', payload), await o.call('RESTORE', key, '0', payload)];
        expect(oa, `${file} ${key}`).toBe(ra);
        if (ra === '+OK\r\n') expect(await contents(o, key), `${file} ${key}`).toEqual(await contents(r, key));
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  it('answers RESTORE options and errors as Redis does', async () => {
    for (const c of [r, o]) {
      await c.call('FLUSHALL');
      await c.call('SET', 'src', 'value');
    }
    const payload = bulkPayload(await r.call('DUMP', 'src'));
    const corrupt = payload.slice(0, 3) + 'X' + payload.slice(4);
    const badData = Buffer.from([0x0b, 0x00, 10, 0]);
    const badCrc = Buffer.alloc(8);
    badCrc.writeBigUInt64LE(crc64(badData));
    const badPayload = Buffer.concat([badData, badCrc]).toString('latin1');
    const script: string[][] = [
      ['RESTORE', 'src', '0', payload],
      ['RESTORE', 'k', '0', payload, 'BAD'],
      ['RESTORE', 'k', 'x', payload],
      ['RESTORE', 'k', '-1', payload],
      ['RESTORE', 'k', '0', corrupt],
      ['RESTORE', 'k', '0', 'short'],
      ['RESTORE', 'k', '0', badPayload],
      ['RESTORE', 'k', '0', payload, 'IDLETIME', '-1'],
      ['RESTORE', 'k', '0', payload, 'IDLETIME', 'x'],
      ['RESTORE', 'k', '0', payload, 'FREQ', '256'],
      ['RESTORE', 'k', '0', payload, 'IDLETIME', '5', 'FREQ', '3'],
      ['RESTORE', 'k', '0', payload, 'FREQ'],
      ['RESTORE', 'src', '0', payload, 'REPLACE', 'ABSTTL'],
      ['RESTORE', 'past', '1', payload, 'ABSTTL'],
      ['EXISTS', 'past'],
      ['RESTORE', 'src', '1', payload, 'REPLACE', 'ABSTTL'],
      ['EXISTS', 'src'],
      ['RESTORE', 'k', '100000', payload],
      ['TTL', 'k'],
      ['RESTORE', 'k', '0', payload, 'replace', 'idletime', '100'],
      ['OBJECT', 'IDLETIME', 'k'],
      ['GET', 'k'],
      ['DUMP', 'nokey'],
    ];
    for (const cmd of script) expect(await o.call(...cmd), cmd.join(' ').slice(0, 60)).toBe(await r.call(...cmd));
  });
});
