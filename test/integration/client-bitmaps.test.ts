/**
 * The bitmap, HyperLogLog and LCS methods against three real nodes, for each backend
 * (ringcache-server, redis-server) and each protocol: the same JS values everywhere. Multi-key
 * commands whose keys land on different shards (BITOP, PFCOUNT of several keys, PFMERGE) are
 * refused before sending with CrossShardError; hash tags put them on one shard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { CrossShardError } from '../../src/errors.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { keysApart } from '../helpers/placement.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];


for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`bitmap and HLL methods on 3 × ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    beforeAll(async () => {
      nodes = await Promise.all([0, 1, 2].map(() => backend.start()));
    });
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    });

    for (const protocol of [2, 3] as const) {
      describe(`RESP${protocol}`, () => {
        let c: RingClient;
        const t = (k: string): string => `{b${protocol}}:${k}`;
        beforeAll(() => {
          c = new RingClient({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })), protocol, commandTimeoutMs: 3000 });
        });
        afterAll(async () => {
          await c.close();
        });

        it('bitmaps', async () => {
          const k = t('bits');
          expect(await c.setbit(k, 7, 1)).toBe(0);
          expect(await c.setbit(k, 7, 1)).toBe(1);
          expect(await c.getbit(k, 7)).toBe(1);
          expect(await c.getbit(k, 100)).toBe(0);
          expect(await c.setbit(k, 17, 1)).toBe(0);
          expect(await c.bitcount(k)).toBe(2);
          expect(await c.bitcount(k, { start: 1, end: -1 })).toBe(1);
          expect(await c.bitcount(k, { start: 0, end: 7, unit: 'BIT' })).toBe(1);
          expect(await c.bitpos(k, 1)).toBe(7);
          expect(await c.bitpos(k, 1, { start: 1 })).toBe(17);
          expect(await c.bitpos(k, 0, { start: 0, end: 7, unit: 'BIT' })).toBe(0);
          expect(await c.getBuffer(k)).toEqual(Buffer.from([0x01, 0x00, 0x40]));
          expect(await c.bitop('NOT', t('not'), [k])).toBe(3);
          expect(await c.getBuffer(t('not'))).toEqual(Buffer.from([0xfe, 0xff, 0xbf]));
          expect(await c.bitop('AND', t('and'), [k, t('not')])).toBe(3);
          expect(await c.bitcount(t('and'))).toBe(0);
        });

        it('BITFIELD and BITFIELD_RO', async () => {
          const k = t('bf');
          expect(await c.bitfield(k, [{ set: 'i8', offset: 0, value: -100 }, { get: 'i8', offset: 0 }, { incrby: 'u8', offset: '#1', increment: 300 }])).toEqual([0, -100, 44]);
          expect(await c.bitfield(k, [{ overflow: 'FAIL' }, { incrby: 'u8', offset: '#1', increment: 250 }])).toEqual([null]);
          expect(await c.bitfield(k, [{ set: 'i64', offset: 64, value: -9223372036854775808n }, { get: 'i64', offset: 64 }])).toEqual([0, -9223372036854775808n]);
          expect(await c.bitfieldRo(k, [{ get: 'u8', offset: '#1' }, { get: 'i8', offset: 0 }])).toEqual([44, -100]);
          expect(await c.bitfield(t('none'), [])).toEqual([]);
        });

        it('HyperLogLog', async () => {
          const [a, b, u] = [t('hll:a'), t('hll:b'), t('hll:u')];
          expect(await c.pfadd(a, ['x', 'y', 'z'])).toBe(true);
          expect(await c.pfadd(a, ['x'])).toBe(false);
          expect(await c.pfadd(t('hll:empty'))).toBe(true);
          expect(await c.pfadd(b, ['z', 'w'])).toBe(true);
          expect(await c.pfcount(a)).toBe(3);
          expect(await c.pfcount([a, b])).toBe(4);
          expect(await c.pfmerge(u, [a, b])).toBe('OK');
          expect(await c.pfcount(u)).toBe(4);
          // The value is Redis's HLL string: it can be copied like any string.
          const raw = await c.getBuffer(u);
          expect(raw?.subarray(0, 4).toString()).toBe('HYLL');
          await c.set(t('hll:copy'), raw!);
          expect(await c.pfcount(t('hll:copy'))).toBe(4);
        });

        it('LCS', async () => {
          await c.set(t('l1'), 'ohmytext');
          await c.set(t('l2'), 'mynewtext');
          expect(await c.lcs(t('l1'), t('l2'))).toBe('mytext');
          expect(await c.lcsLen(t('l1'), t('l2'))).toBe(6);
          expect(await c.lcsIdx(t('l1'), t('l2'), { withMatchLen: true })).toEqual({
            matches: [
              { a: [4, 7], b: [5, 8], len: 4 },
              { a: [2, 3], b: [0, 1], len: 2 },
            ],
            len: 6,
          });
          expect(await c.lcsIdx(t('l1'), t('l2'), { minMatchLen: 4 })).toEqual({ matches: [{ a: [4, 7], b: [5, 8] }], len: 6 });
        });

        it('multi-key commands across shards are refused with CrossShardError', async () => {
          const [x, y] = keysApart(c, `p${protocol}:cross:`);
          await c.pfadd(x, ['1']);
          await c.pfadd(y, ['2']);
          await expect(c.pfcount([x, y])).rejects.toBeInstanceOf(CrossShardError);
          await expect(c.pfmerge(x, [y])).rejects.toBeInstanceOf(CrossShardError);
          await expect(c.bitop('OR', x, [y])).rejects.toBeInstanceOf(CrossShardError);
          await expect(c.lcs(x, y)).rejects.toBeInstanceOf(CrossShardError);
          expect(await c.pfcount(x)).toBe(1);
        });
      });
    }
  });
}
