/**
 * `ringcache/keyv` with the real keyv package against two redis-servers: get/set with a TTL (the
 * node expires it), delete, has, getMany across shards, namespaces kept apart (clear() deletes
 * only its namespace's keys, found by SCAN on every shard), and the client left open when the
 * application gave it.
 */
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { KeyvRingcache } from '../../src/keyv/index.js';
import { redisSkipReason, startRedis, type ServerProcess } from '../helpers/processes.js';
import { until } from '../helpers/sentinel-checks.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

describe.skipIf(skip !== null)('Keyv adapter', () => {
  let nodes: ServerProcess[] = [];
  let client: RingClient;
  beforeAll(async () => {
    nodes = await Promise.all([startRedis(), startRedis()]);
    client = await RingClient.connect({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })) });
  });
  afterAll(async () => {
    await client?.close();
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('get/set with TTL, delete, has, getMany and clear by namespace', async () => {
    const users = new Keyv({ store: new KeyvRingcache(client), namespace: 'users' });
    const other = new Keyv({ store: new KeyvRingcache(client), namespace: 'other' });
    const keys = Array.from({ length: 30 }, (_, i) => `u${i}`);
    for (const k of keys) expect(await users.set(k, { name: k })).toBe(true);
    expect(new Set(keys.map((k) => client.locate(`users:${k}`))).size).toBe(2); // spread over both shards
    await other.set('u0', 'kept');
    expect(await users.get('u1')).toEqual({ name: 'u1' });
    expect(await users.getMany(['u2', 'missing', 'u3'])).toEqual([{ name: 'u2' }, undefined, { name: 'u3' }]);
    expect(await users.has('u4')).toBe(true);
    expect(await users.delete('u4')).toBe(true);
    expect(await users.has('u4')).toBe(false);

    await users.set('short', 'v', 150);
    expect(await client.pttl('users:short')).toBeGreaterThan(0); // the node holds the expiry
    await until('the node expired it', async () => (await client.exists('users:short')) === 0, 5000);
    expect(await users.get('short')).toBeUndefined();

    await users.clear();
    expect(await users.get('u1')).toBeUndefined();
    expect(await other.get('u0')).toBe('kept');
    expect(await client.dbsize()).toBe(1);
    await users.disconnect();
    expect(client.status).toBe('ready'); // the application's client stays open
  });
});
