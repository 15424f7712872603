/**
 * `onShardDown: 'miss'` against real redis-server with a SIGKILLed node: reads of the dead shard's
 * keys resolve as misses (null, empty, 0, -2), fan-out (MGET, EXISTS, DBSIZE, KEYS, SCAN) returns
 * the live shards' part, writes reject with ERR_SHARD_DOWN — or resolve null without being sent
 * under `writes: 'drop'` — and the shard rejoins within 500 ms of its restarted node answering
 * (a down master is re-probed at least every 250 ms, whatever the reconnect backoff).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { RingClientOptions } from '../../src/client/options.js';
import type { ShardHealthInfo } from '../../src/client/topology/shard-health.js';
import { redisSkipReason, startRedis, type ServerProcess } from '../helpers/processes.js';
import { keyOn, sleep } from '../helpers/sentinel-checks.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

let procs: ServerProcess[] = [];
let clients: RingClient[] = [];

afterEach(async () => {
  await Promise.allSettled([...clients.map((c) => c.close()), ...procs.map((p) => p.stop())]);
  procs = [];
  clients = [];
});

async function fleet(options: Partial<RingClientOptions>): Promise<{ nodes: ServerProcess[]; client: RingClient }> {
  const nodes = await Promise.all([0, 1, 2].map(() => startRedis()));
  procs.push(...nodes);
  // The default backoff grows to 2 s; the down-shard probe must not wait for it.
  const client = await RingClient.connect({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })), commandTimeoutMs: 120_000, ...options });
  clients.push(client);
  return { nodes, client };
}

function shardEvent(client: RingClient, event: 'shard-down' | 'shard-up'): Promise<ShardHealthInfo> {
  return new Promise((resolve) => client.once(event, resolve));
}

describe.skipIf(skip !== null)("onShardDown: 'miss'", () => {
  it('answers reads of a SIGKILLed shard as misses, fan-out with the live part, and rejects its writes', async () => {
    const { nodes, client } = await fleet({ onShardDown: 'miss' });
    const [k0, k1, k2] = ['s0', 's1', 's2'].map((s) => keyOn(client, s, 'miss:'));
    for (const k of [k0!, k1!, k2!]) expect(await client.set(k, `v-${k}`)).toBe('OK');
    const h1 = keyOn(client, 's1', 'hash:');
    await client.hset(h1, { f: '1' });
    const down = shardEvent(client, 'shard-down');
    await nodes[1]!.kill();

    // A read sent as the node dies is re-queued, then answered as a miss once the shard is known down.
    expect(await client.get(k1!)).toBeNull();
    expect(await down).toMatchObject({ shard: 's1' });
    expect(client.status).toBe('degraded');
    expect(client.stats().shards.map((s) => s.state)).toEqual(['up', 'down', 'up']);
    expect(await client.get(k0!)).toBe(`v-${k0}`);
    expect(await client.mget([k0!, k1!, k2!])).toEqual([`v-${k0}`, null, `v-${k2}`]);
    expect(await client.exists(k0!, k1!, k2!)).toBe(2);
    expect(await client.dbsize()).toBe(2);
    expect((await client.keys('miss:*')).sort()).toEqual([k0!, k2!].sort());
    const scanned: string[] = [];
    for await (const k of client.scanIterator({ match: 'miss:*' })) scanned.push(k);
    expect(scanned.sort()).toEqual([k0!, k2!].sort());
    expect(await client.hgetall(h1)).toEqual({});
    expect(await client.hget(h1, 'f')).toBeNull();
    expect(await client.ttl(k1!)).toBe(-2);
    expect(await client.strlen(k1!)).toBe(0);
    expect(await client.lrange(k1!, 0, -1)).toEqual([]);
    expect(await client.smembers(k1!)).toEqual([]);

    await expect(client.set(k1!, 'x')).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN', shard: 's1' });
    // A multi-key write is split per shard: the live shards' part runs, the command rejects.
    const other = keyOn(client, 's0', 'other:');
    await client.set(other, '1');
    await expect(client.del(other, k1!)).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN' });
    expect(await client.get(other)).toBeNull();
    // A transaction is all or nothing: never a miss.
    await expect(client.multi().get(k1!).exec()).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN' });
    // A pipeline answers per command.
    const res = await client.pipeline().get(k1!).set(k1!, 'y').get(k0!).exec();
    expect(res[0]).toEqual([null, null]);
    expect(res[1]![0]).toMatchObject({ code: 'ERR_SHARD_DOWN' });
    expect(res[2]).toEqual([null, `v-${k0}`]);
  });

  it("writes: 'drop' resolves a down shard's writes with null and sends nothing", async () => {
    const { nodes, client } = await fleet({ onShardDown: { miss: { writes: 'drop' } } });
    const k1 = keyOn(client, 's1', 'drop:');
    const k0 = keyOn(client, 's0', 'drop:');
    const down = shardEvent(client, 'shard-down');
    await nodes[1]!.kill();
    await down;
    expect(await client.set(k1, 'x')).toBeNull();
    expect(await client.del(k0, k1)).toBe(0);
    // The raw reply is null; typed methods decode it (a counter reads 0).
    expect(await client.call('INCR', k1)).toBeNull();
    expect(await client.incr(k1)).toBe(0);
    expect(await client.set(k0, 'kept')).toBe('OK');
    expect(await client.get(k0)).toBe('kept');
  });

  it('a restarted node rejoins within 500 ms of answering, although the backoff had grown to 2 s', async () => {
    const { nodes, client } = await fleet({ onShardDown: 'miss', reconnect: { baseDelayMs: 2000, maxDelayMs: 2000 } });
    const k1 = keyOn(client, 's1', 'back:');
    const port = nodes[1]!.port;
    const down = shardEvent(client, 'shard-down');
    await nodes[1]!.kill();
    await down;
    await sleep(600); // several probes fail meanwhile
    expect(await client.get(k1)).toBeNull();

    const up = shardEvent(client, 'shard-up').then(() => Date.now());
    procs[1] = await startRedis({ port });
    // The node printed "Ready to accept connections": it answers from here on (or a little before).
    const answered = Date.now();
    const rejoined = await up;
    const lag = Math.max(0, rejoined - answered);
    console.log(`[shard-miss] rejoined ${lag} ms after the restarted node answered (probe every <= 250 ms)`);
    expect(lag).toBeLessThanOrEqual(500);
    expect(client.status).toBe('ready');
    expect(await client.set(k1, 'home')).toBe('OK');
    expect(await client.get(k1)).toBe('home');
  });
});
