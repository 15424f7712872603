/**
 * Addresses as URLs against real servers: `redis://user:password@host:port/db` authenticates that
 * node with its own ACL user (HELLO AUTH) and selects its db on every pooled connection; another
 * shard given as host:port uses the client-wide password and db. Checked from the server's side
 * (CLIENT LIST, redis-cli into the db), on redis-server and on ringcache-server.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

/** `CLIENT LIST` of a node as lines of `name=value` fields. */
function clientList(raw: string): Map<string, string>[] {
  return raw
    .trim()
    .split('\n')
    .map((line) => new Map(line.split(' ').map((kv) => kv.split('=', 2) as [string, string])));
}

describe.skipIf(skip !== null)('URL addresses against redis-server', () => {
  let acl: ServerProcess;
  let plain: ServerProcess;
  beforeAll(async () => {
    // An ACL user with a password that needs percent-encoding; the default user has its own password.
    acl = await startRedis({ args: { requirepass: 'default-pw' }, extra: ['--user', 'alice', 'on', '>p@ss:w/rd', '~*', '+@all'] });
    plain = await startRedis({ args: { requirepass: 'shared-pw' } });
  });
  afterAll(async () => {
    await Promise.all([acl?.stop(), plain?.stop()]);
  });

  it('applies the URL’s user, password and db to that node on every pooled connection; host:port gets the client-wide ones', async () => {
    const client = new RingClient({
      shards: [
        { name: 'a', master: `redis://alice:${encodeURIComponent('p@ss:w/rd')}@127.0.0.1:${acl.port}/3` },
        { name: 'b', master: `127.0.0.1:${plain.port}` },
      ],
      password: 'shared-pw',
      db: 5,
      pool: { size: 2 },
      commandTimeoutMs: 5000,
    });
    try {
      const keys = Array.from({ length: 40 }, (_, i) => `url:${i}`);
      const onA = keys.filter((k) => client.locate(k) === 'a');
      const onB = keys.filter((k) => client.locate(k) === 'b');
      // Enough concurrent commands that both pooled connections of each node open.
      expect(await Promise.all(keys.map((k) => client.set(k, k)))).toEqual(keys.map(() => 'OK'));
      expect(await client.mget(keys)).toEqual(keys);

      const aConns = clientList(String(await client.callWith({ shard: 'a' }, 'CLIENT', 'LIST'))).filter((c) => c.get('user') === 'alice');
      expect(aConns.length).toBe(2);
      for (const c of aConns) expect(c.get('db')).toBe('3');
      const bConns = clientList(String(await client.callWith({ shard: 'b' }, 'CLIENT', 'LIST'))).filter((c) => c.get('cmd') !== 'NULL');
      expect(bConns.length).toBe(2);
      for (const c of bConns) expect([c.get('user'), c.get('db')]).toEqual(['default', '5']);

      // From outside the client: the values are in db 3 of node a and db 5 of node b.
      const cli = (port: number, auth: string[], db: number, key: string): string =>
        spawnSync('redis-cli', ['-p', String(port), ...auth, '--no-auth-warning', '-n', String(db), 'GET', key], { encoding: 'utf8' }).stdout.trim();
      expect(cli(acl.port, ['--user', 'alice', '--pass', 'p@ss:w/rd'], 3, onA[0]!)).toBe(onA[0]);
      expect(cli(acl.port, ['--user', 'alice', '--pass', 'p@ss:w/rd'], 0, onA[0]!)).toBe('');
      expect(cli(plain.port, ['-a', 'shared-pw'], 5, onB[0]!)).toBe(onB[0]);
    } finally {
      await client.close();
    }
  });

  it('a wrong password in a URL rejects with the server’s error and the shard fails fast', async () => {
    const client = new RingClient({ shards: [{ name: 'a', master: `redis://alice:wrong@127.0.0.1:${acl.port}` }], commandTimeoutMs: 60_000 });
    try {
      await expect(client.get('k')).rejects.toMatchObject({ code: 'ERR_REPLY', prefix: 'WRONGPASS' });
      await expect(client.get('k')).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN', cause: expect.objectContaining({ prefix: 'WRONGPASS' }) });
    } finally {
      await client.close();
    }
  });
});

describe('URL addresses against ringcache-server', () => {
  it('authenticates with the URL’s password and selects its db', async () => {
    const node = await startRingcache({ args: { requirepass: 'rc-pw' } });
    const client = new RingClient({ shards: [{ name: 'a', master: `redis://:rc-pw@127.0.0.1:${node.port}/2` }], commandTimeoutMs: 5000 });
    try {
      expect(await client.set('k', 'in-db-2')).toBe('OK');
      const other = new RingClient({ shards: [{ name: 'a', master: `redis://default:rc-pw@127.0.0.1:${node.port}/0` }], commandTimeoutMs: 5000 });
      try {
        expect(await other.get('k')).toBeNull();
      } finally {
        await other.close();
      }
      expect(await client.get('k')).toBe('in-db-2');
    } finally {
      await client.close();
      await node.stop();
    }
  });
});
