/**
 * pipeline() and multi() carry RingClient's typed methods (generated from the same method layers):
 * against redis-server each reply is decoded exactly as the direct method decodes it (objects,
 * Buffers, numbers, typed option builders), a command refused before sending answers its error
 * at its place in a pipeline and rejects a transaction's exec() before anything is sent, and the
 * generated method list covers every one-command method of RingClient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { batchMethodNames } from '../../src/client/api/batch.js';
import { Pipeline } from '../../src/client/api/pipeline.js';
import { Transaction } from '../../src/client/api/transaction.js';
import { ReplyError } from '../../src/errors.js';
import { redisSkipReason, startRedis, type ServerProcess } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

describe.skipIf(skip !== null)('typed pipelines and transactions', () => {
  let node: ServerProcess;
  let c: RingClient;
  beforeAll(async () => {
    node = await startRedis();
    c = await RingClient.connect({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }] });
  });
  afterAll(async () => {
    await c?.close();
    await node?.stop();
  });

  it('decodes every reply as the direct method does', async () => {
    await c.hset('tb:h', { f: '1', g: '2' });
    await c.zadd('tb:z', [{ score: 1, member: 'a' }, { score: 2, member: 'b' }]);
    const r = await c.pipeline().set('tb:s', 'v', { ex: 100 }).getBuffer('tb:s').hgetall('tb:h').zrange('tb:z', 0, -1).ttl('tb:s').exists('tb:s', 'tb:nope').exec();
    expect(r).toEqual([
      [null, 'OK'],
      [null, Buffer.from('v')],
      [null, await c.hgetall('tb:h')],
      [null, await c.zrange('tb:z', 0, -1)],
      [null, await c.ttl('tb:s')],
      [null, 1],
    ]);
    const tx = await c.multi().incr('tb:n').hgetall('tb:h').call<number>('DBSIZE').incr('tb:h').exec();
    expect(tx![0]).toBe(1);
    expect(tx![1]).toEqual({ f: '1', g: '2' });
    expect(typeof tx![2]).toBe('number');
    expect(tx![3]).toBeInstanceOf(ReplyError); // WRONGTYPE at run time: its error, as a value
  });

  it('a refused argument: its error in place in a pipeline; a transaction sends nothing', async () => {
    const r = await c.pipeline().set('tb:x', '1').set('tb:y', '2', { ex: -5 as number }).get('tb:x').exec();
    expect(r[0]).toEqual([null, 'OK']);
    expect(r[2]).toEqual([null, '1']);
    const bad = c.multi().set('tb:q', 'sent?').call('SET', 'tb:q', { not: 'an arg' } as unknown as string);
    await expect(bad.exec()).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_INVALID_ARG/) });
    expect(await c.get('tb:q')).toBeNull();
  });

  it('the generated methods are exactly the one-command methods of RingClient', () => {
    const names = batchMethodNames();
    expect(names.length).toBeGreaterThan(150);
    for (const n of ['get', 'set', 'hgetall', 'zadd', 'xadd', 'geoadd', 'sort', 'pfcount', 'blpop', 'bitfield']) expect(names).toContain(n);
    for (const n of ['randomkey', 'scan', 'scanIterator', 'hscanIterator']) expect(names).not.toContain(n);
    const proto = RingClient.prototype as unknown as Record<string, unknown>;
    for (const n of names) {
      expect(typeof proto[n], n).toBe('function');
      expect(typeof (Pipeline.prototype as unknown as Record<string, unknown>)[n], n).toBe('function');
      expect(typeof (Transaction.prototype as unknown as Record<string, unknown>)[n], n).toBe('function');
    }
  });
});
