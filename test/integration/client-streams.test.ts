/**
 * The stream methods of RingClient against three real nodes, for each backend (ringcache-server,
 * redis-server) and protocol (RESP2, RESP3): the same typed results in all four combinations.
 * Also: XREAD with `block` waits on a leased connection while other commands keep flowing, a
 * multi-stream read across shards is refused with CrossShardError (and allowed with a shared
 * {hash tag}), and bad options throw before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { CrossShardError, InvalidArgumentError } from '../../src/errors.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`stream methods on 3 × ${backend.name}`, () => {
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
        const k = (name: string): string => `{s${protocol}}:${name}`;
        beforeAll(() => {
          c = new RingClient({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })), protocol, commandTimeoutMs: 3000 });
        });
        afterAll(async () => {
          await c.close();
        });

        it('entries: XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM', async () => {
          const s = k('orders');
          expect(await c.xadd(s, '1-1', { item: 'book', qty: 2 })).toBe('1-1');
          expect(await c.xadd(s, '2-*', [['item', 'pen'], ['item', 'ink']])).toBe('2-0');
          expect(await c.xadd(k('none'), '*', { a: 1 }, { nomkstream: true })).toBeNull();
          expect(await c.xadd(s, '3-0', { item: 'cup' }, { trim: { strategy: 'MAXLEN', threshold: 10 } })).toBe('3-0');
          expect(await c.xlen(s)).toBe(3);
          expect(await c.xrange(s)).toEqual([
            { id: '1-1', fields: { item: 'book', qty: '2' } },
            { id: '2-0', fields: { item: 'ink' } },
            { id: '3-0', fields: { item: 'cup' } },
          ]);
          expect((await c.xrange(s, '(1-1', '+', { count: 1 })).map((e) => e.id)).toEqual(['2-0']);
          expect((await c.xrevrange(s, '+', '-', { count: 2 })).map((e) => e.id)).toEqual(['3-0', '2-0']);
          expect(await c.xdel(s, ['2-0', '9-9'])).toBe(1);
          expect(await c.xtrim(s, { strategy: 'MINID', threshold: '3-0' })).toBe(1);
          expect(await c.xlen(s)).toBe(1);
          const info = await c.xinfoStream(s);
          expect(info).toMatchObject({ length: 1, lastGeneratedId: '3-0', maxDeletedEntryId: '2-0', entriesAdded: 3, groups: 0 });
          expect(info.firstEntry).toEqual({ id: '3-0', fields: { item: 'cup' } });
        });

        it('consumer groups: read, pending, ack, claim, autoclaim, info', async () => {
          const s = k('jobs');
          await c.xgroupCreate(s, 'workers', '$', { mkstream: true });
          for (let i = 1; i <= 5; i++) await c.xadd(s, `${i}-0`, { job: String(i) });
          const got = await c.xreadgroup('workers', 'alice', { [s]: '>' }, { count: 3 });
          expect(got).toEqual([{ key: s, entries: [1, 2, 3].map((i) => ({ id: `${i}-0`, fields: { job: String(i) } })) }]);
          expect(await c.xreadgroup('workers', 'bob', [[s, '>']], { count: 1 })).toEqual([{ key: s, entries: [{ id: '4-0', fields: { job: '4' } }] }]);
          expect(await c.xack(s, 'workers', ['1-0'])).toBe(1);
          const summary = await c.xpending(s, 'workers');
          expect(summary).toEqual({ count: 3, min: '2-0', max: '4-0', consumers: [{ name: 'alice', count: 2 }, { name: 'bob', count: 1 }] });
          const pending = await c.xpendingRange(s, 'workers', '-', '+', 10, { consumer: 'alice' });
          expect(pending.map((p) => [p.id, p.consumer, p.deliveries])).toEqual([['2-0', 'alice', 1], ['3-0', 'alice', 1]]);
          expect(typeof pending[0]!.idleMs).toBe('number');
          expect(await c.xclaim(s, 'workers', 'bob', 0, ['2-0'])).toEqual([{ id: '2-0', fields: { job: '2' } }]);
          expect(await c.xclaimJustId(s, 'workers', 'carol', 0, ['3-0'], { retryCount: 7 })).toEqual(['3-0']);
          await c.xdel(s, ['4-0']);
          const auto = await c.xautoclaim(s, 'workers', 'dave', 0, '0-0', { count: 10 });
          expect(auto).toEqual({ next: '0-0', claimed: [{ id: '2-0', fields: { job: '2' } }, { id: '3-0', fields: { job: '3' } }], deleted: ['4-0'] });
          // History read: the consumer's own pending entries.
          const history = await c.xreadgroup('workers', 'dave', { [s]: '0' });
          expect(history![0]!.entries.map((e) => e.id)).toEqual(['2-0', '3-0']);
          expect(await c.xgroupCreateConsumer(s, 'workers', 'erin')).toBe(true);
          expect(await c.xgroupCreateConsumer(s, 'workers', 'erin')).toBe(false);
          const groups = await c.xinfoGroups(s);
          expect(groups).toEqual([{ name: 'workers', consumers: 5, pending: 2, lastDeliveredId: '4-0', entriesRead: 4, lag: null }]);
          const consumers = await c.xinfoConsumers(s, 'workers');
          expect(consumers.map((x) => [x.name, x.pending])).toEqual([['alice', 0], ['bob', 0], ['carol', 0], ['dave', 2], ['erin', 0]]);
          const full = await c.xinfoStreamFull(s, 0);
          expect(full.entries.map((e) => e.id)).toEqual(['1-0', '2-0', '3-0', '5-0']);
          expect(full.groups[0]!.pending.map((p) => [p.id, p.consumer, p.deliveries])).toEqual([['2-0', 'dave', 4], ['3-0', 'dave', 9]]);
          expect(await c.xgroupDelConsumer(s, 'workers', 'dave')).toBe(2);
          await c.xgroupSetId(s, 'workers', '0', 0);
          expect(await c.xgroupDestroy(s, 'workers')).toBe(true);
          expect(await c.xgroupDestroy(s, 'workers')).toBe(false);
        });

        it('XREAD: several streams on one shard, BLOCK on a leased connection, cross-shard refused', async () => {
          const a = k('a');
          const b = k('b');
          await c.xadd(a, '1-0', { x: '1' });
          expect(await c.xread({ [a]: '0', [b]: '0' })).toEqual([{ key: a, entries: [{ id: '1-0', fields: { x: '1' } }] }]);
          expect(await c.xread({ [b]: '$' }, { block: 50 })).toBeNull();
          const waiting = c.xread({ [b]: '$' }, { block: 5000 });
          // Other commands on the same shard keep flowing while the read waits.
          expect(await c.xlen(a)).toBe(1);
          await new Promise((r) => setTimeout(r, 50));
          await c.xadd(b, '7-0', { y: '2' });
          expect(await waiting).toEqual([{ key: b, entries: [{ id: '7-0', fields: { y: '2' } }] }]);
          const spread = ['p', 'q', 'r', 's', 't', 'u'].map((n) => `${n}${protocol}`);
          const twoShards = spread.find((n) => c.locate(n) !== c.locate(spread[0]!))!;
          await expect(c.xread({ [spread[0]!]: '0', [twoShards]: '0' })).rejects.toBeInstanceOf(CrossShardError);
          // Like the other typed methods, bad arguments throw before anything is sent.
          await expect(c.xread({})).rejects.toThrow(InvalidArgumentError);
          await expect(c.xadd(a, '*', {})).rejects.toThrow(InvalidArgumentError);
          await expect(c.xtrim(a, { strategy: 'MAXLEN', threshold: 1, limit: 5 })).rejects.toThrow(InvalidArgumentError);
        });
      });
    }
  });
}
