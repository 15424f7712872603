/**
 * DUMP/RESTORE of streams between redis-server 7.0 and ringcache-server, both ways
 * (RDB_TYPE_STREAM_LISTPACKS_2): entries in several nodes with tombstones and field changes,
 * 64-bit IDs, consumer groups with PELs, consumers without pending entries, NOACK groups, empty
 * streams with groups, XSETID counters. "Equal" is XINFO STREAM FULL byte for byte, which covers
 * entries, nodes, counters, groups, PELs, delivery and seen times. Also: the 6.x encoding (type 15)
 * from Redis's own test, the uncompressed payloads identical byte for byte, and corrupt payloads
 * refused without harm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';
import { crc64 } from '../../src/server/persistence/rdb/crc64.js';

const skip = redisSkipReason();

function payload(reply: string): Buffer {
  expect(reply[0]).toBe('$');
  return Buffer.from(reply.slice(reply.indexOf('\r\n') + 2, -2), 'latin1');
}

const CASES: [string, string[][]][] = [
  ['entries only', [['XADD', 'k', '1-1', 'a', '1'], ['XADD', 'k', '2-0', 'a', '2', 'b', 'x'.repeat(100)]]],
  [
    'several nodes, tombstones, changing fields',
    [
      ['CONFIG', 'SET', 'stream-node-max-entries', '3'],
      ...Array.from({ length: 20 }, (_, i) => ['XADD', 'k', `${i + 1}-${i % 3}`, ...(i % 4 === 0 ? ['other', String(i)] : ['f', String(i * 1000), 'g', 'v'])]),
      ['XDEL', 'k', '5-1', '6-2', '19-0'],
      ['XTRIM', 'k', 'MAXLEN', '15'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ],
  ],
  ['64-bit IDs', [['XADD', 'k', '1-18446744073709551615', 'a', 'b'], ['XADD', 'k', '18446744073709551615-18446744073709551614', 'c', 'd']]],
  [
    'groups, PELs, consumers',
    [
      ...Array.from({ length: 8 }, (_, i) => ['XADD', 'k', `${i + 10}-0`, 'f', String(i)]),
      ['XGROUP', 'CREATE', 'k', 'g1', '0'],
      ['XGROUP', 'CREATE', 'k', 'g2', '$', 'ENTRIESREAD', '8'],
      ['XGROUP', 'CREATE', 'k', '123', '0'],
      ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', 'k', '>'],
      ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '2', 'STREAMS', 'k', '>'],
      ['XREADGROUP', 'GROUP', '123', 'quiet', 'NOACK', 'STREAMS', 'k', '>'],
      ['XCLAIM', 'k', 'g1', 'bob', '0', '10-0', 'RETRYCOUNT', '9', 'TIME', '1234567890123'],
      ['XGROUP', 'CREATECONSUMER', 'k', 'g2', 'idle'],
      ['XACK', 'k', 'g1', '11-0'],
      ['XDEL', 'k', '12-0'],
    ],
  ],
  ['empty stream with a group', [['XGROUP', 'CREATE', 'k', 'g', '$', 'MKSTREAM'], ['XSETID', 'k', '7-7', 'ENTRIESADDED', '3', 'MAXDELETEDID', '5-0']]],
  ['emptied by trimming', [['XADD', 'k', '1-0', 'a', 'b'], ['XADD', 'k', 'MAXLEN', '0', '2-0', 'c', 'd']]],
];

/** The 6.x payload of Redis's own test (stream-cgroups.tcl, "Loading from legacy persistence"). */
const LEGACY =
  '\x0F\x01\x10\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\xC3\x40\x4A\x40\x57\x16\x57\x00\x00\x00\x23\x00\x02\x01\x04\x01\x01\x01\x84\x64\x61\x74\x61\x05\x00\x01\x03\x01\x00\x20\x01\x03\x81\x61\x02\x04\x20\x0A\x00\x01\x40\x0A\x00\x62\x60\x0A\x00\x02\x40\x0A\x00\x63\x60\x0A\x40\x22\x01\x81\x64\x20\x0A\x40\x39\x20\x0A\x00\x65\x60\x0A\x00\x05\x40\x0A\x00\x66\x20\x0A\x00\xFF\x02\x06\x00\x02\x02\x67\x31\x05\x00\x04\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x3E\xF7\x83\x43\x7A\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x3E\xF7\x83\x43\x7A\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x3E\xF7\x83\x43\x7A\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x3E\xF7\x83\x43\x7A\x01\x00\x00\x01\x01\x03\x63\x31\x31\x3E\xF7\x83\x43\x7A\x01\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x02\x67\x32\x00\x00\x00\x00\x09\x00\x3D\x52\xEF\x68\x67\x52\x1D\xFA';

describe.skipIf(skip !== null)('streams: DUMP/RESTORE with redis-server', () => {
  let ours: ServerProcess;
  let redis: ServerProcess;
  let a: RawClient;
  let b: RawClient;
  beforeAll(async () => {
    [ours, redis] = await Promise.all([startRingcache(), startRedis()]);
    a = await RawClient.connect(ours.port);
    b = await RawClient.connect(redis.port);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await Promise.all([ours?.stop(), redis?.stop()]);
  });

  for (const [name, setup] of CASES) {
    it(`${name}: both ways, and the same bytes uncompressed`, async () => {
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        await from.call('DEL', 'k');
        for (const cmd of setup) await from.call(...cmd);
        const dumped = payload(await from.call('DUMP', 'k'));
        await to.call('DEL', 'k');
        expect(await to.call('RESTORE', 'k', '0', dumped)).toBe('+OK\r\n');
        expect(await to.call('XINFO', 'STREAM', 'k', 'FULL')).toBe(await from.call('XINFO', 'STREAM', 'k', 'FULL'));
      }
      await a.call('CONFIG', 'SET', 'rdbcompression', 'no');
      await b.call('CONFIG', 'SET', 'rdbcompression', 'no');
      try {
        expect(payload(await a.call('DUMP', 'k')).equals(payload(await b.call('DUMP', 'k')))).toBe(true);
      } finally {
        await a.call('CONFIG', 'SET', 'rdbcompression', 'yes');
        await b.call('CONFIG', 'SET', 'rdbcompression', 'yes');
      }
    });
  }

  it('reads the 6.x encoding like Redis (entries-added, first ID, read counters estimated)', async () => {
    for (const c of [a, b]) {
      await c.call('DEL', 'x');
      expect(await c.call('RESTORE', 'x', '0', Buffer.from(LEGACY, 'latin1'))).toBe('+OK\r\n');
    }
    expect(await a.call('XINFO', 'STREAM', 'x', 'FULL')).toBe(await b.call('XINFO', 'STREAM', 'x', 'FULL'));
  });

  it('refuses corrupt payloads, and what it accepts reads back without harm', async () => {
    await b.call('DEL', 'k');
    for (const cmd of CASES[3]![1]) await b.call(...cmd);
    await b.call('CONFIG', 'SET', 'rdbcompression', 'no');
    const good = payload(await b.call('DUMP', 'k'));
    await b.call('CONFIG', 'SET', 'rdbcompression', 'yes');
    const body = good.length - 10;
    let refused = 0;
    for (let i = 1; i < body; i++) {
      const bad = Buffer.from(good);
      bad[i] = bad[i]! ^ (i % 2 === 0 ? 0x01 : 0x80);
      bad.writeBigUInt64LE(crc64(bad, 0, good.length - 8), good.length - 8);
      const reply = await a.call('RESTORE', 'bad', '0', bad, 'REPLACE');
      if (reply.startsWith('-')) {
        expect(reply).toMatch(/^-ERR Bad data format/);
        refused++;
        continue;
      }
      for (const cmd of [['XINFO', 'STREAM', 'bad', 'FULL'], ['XRANGE', 'bad', '-', '+'], ['XREVRANGE', 'bad', '+', '-'], ['XPENDING', 'bad', 'g1', '-', '+', '100']]) {
        expect(await a.call(...cmd)).not.toMatch(/internal error/);
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(await a.call('PING')).toBe('+PONG\r\n');
  });
});
