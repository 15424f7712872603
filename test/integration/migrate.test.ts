/**
 * MIGRATE between redis-server 7.0 and ringcache-server in both directions: each scenario runs
 * once with Redis as the source and ringcache as the target and once the other way round, and
 * the source's replies, the moved values and what is left behind must be the same — Redis's own
 * behaviour being the reference. Covers the single-key and KEYS forms, COPY, REPLACE, TTLs,
 * AUTH/AUTH2 (right and wrong), big values, NOKEY, connection and read errors, the timeout, the
 * connection cache (INFO migrate_cached_sockets) and the DEL that replaces MIGRATE in the AOF.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadPort, redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';

const skip = redisSkipReason();

interface Side {
  name: string;
  proc: ServerProcess;
  c: RawClient;
}

/** A MIGRATE command from `src` to `dst` with the given key part and options. */
function migrateTo(dst: Side, key: string, db: number, timeout: number, ...opts: string[]): string[] {
  return ['MIGRATE', '127.0.0.1', String(dst.proc.port), key, String(db), String(timeout), ...opts];
}

describe.skipIf(skip !== null)('MIGRATE between redis-server and ringcache-server', () => {
  let redis: Side;
  let ours: Side;
  beforeAll(async () => {
    const [r, o] = await Promise.all([startRedis(), startRingcache({ args: { appendonly: 'yes' } })]);
    redis = { name: 'redis', proc: r, c: await RawClient.connect(r.port) };
    ours = { name: 'ringcache', proc: o, c: await RawClient.connect(o.port) };
  });
  afterAll(async () => {
    redis?.c.close();
    ours?.c.close();
    await Promise.all([redis?.proc.stop(), ours?.proc.stop()]);
  });

  /** Runs `scenario(src, dst)` both ways and checks that the transcripts are equal. */
  async function bothWays(scenario: (src: Side, dst: Side) => Promise<string[]>): Promise<void> {
    const transcripts: string[][] = [];
    for (const [src, dst] of [[redis, ours], [ours, redis]] as const) {
      for (const s of [src, dst]) {
        await s.c.call('CONFIG', 'SET', 'requirepass', '');
        await s.c.call('FLUSHALL');
      }
      transcripts.push(await scenario(src, dst));
    }
    expect(transcripts[1]).toEqual(transcripts[0]);
  }

  it('moves one key, then reports NOKEY; COPY keeps it; REPLACE overwrites', async () => {
    await bothWays(async (src, dst) => [
      await src.c.call('RPUSH', 'list', 'a', 'b', 'c'),
      await src.c.call(...migrateTo(dst, 'list', 0, 5000)),
      await src.c.call('EXISTS', 'list'),
      await dst.c.call('LRANGE', 'list', '0', '-1'),
      await src.c.call(...migrateTo(dst, 'list', 0, 5000)),
      await src.c.call('SET', 'k', 'v1'),
      await dst.c.call('SET', 'k', 'old'),
      await src.c.call(...migrateTo(dst, 'k', 0, 5000)),
      await src.c.call(...migrateTo(dst, 'k', 0, 5000, 'COPY', 'REPLACE')),
      await src.c.call('GET', 'k'),
      await dst.c.call('GET', 'k'),
    ]);
  });

  it('moves several keys with KEYS (missing ones skipped) into another database, with their TTLs', async () => {
    await bothWays(async (src, dst) => {
      const out = [
        await src.c.call('MSET', 'a', '1', 'b', '2'),
        await src.c.call('PEXPIRE', 'a', '100000'),
        await src.c.call('HSET', 'h', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, 'v'.repeat(i)]).flat()),
        await src.c.call(...migrateTo(dst, '', 5, 5000, 'KEYS', 'a', 'nope', 'b', 'h')),
        await src.c.call(...migrateTo(dst, 'x', 5, 5000, 'KEYS', 'a')),
        await src.c.call('EXISTS', 'a', 'b', 'h'),
        await dst.c.call('SELECT', '5'),
        await dst.c.call('MGET', 'a', 'b'),
        await dst.c.call('HLEN', 'h'),
        await dst.c.call('HGET', 'h', 'f299'),
      ];
      const ttl = Number((await dst.c.call('PTTL', 'a')).slice(1));
      expect(ttl).toBeGreaterThan(90_000);
      expect(ttl).toBeLessThanOrEqual(100_000);
      await dst.c.call('SELECT', '0');
      return out;
    });
  });

  it('moves a big value', async () => {
    const big = 'x'.repeat(3 << 20);
    await bothWays(async (src, dst) => [
      await src.c.call('SET', 'big', big),
      await src.c.call(...migrateTo(dst, 'big', 0, 5000)),
      await dst.c.call('STRLEN', 'big'),
      String((await dst.c.call('GET', 'big')) === `$${big.length}\r\n${big}\r\n`),
    ]);
  });

  it('authenticates with AUTH and AUTH2, and reports a wrong password as the target error', async () => {
    await bothWays(async (src, dst) => {
      const out = [await src.c.call('RPUSH', 'l', 'a', 'b'), await dst.c.call('CONFIG', 'SET', 'requirepass', 'foobar')];
      out.push(await src.c.call(...migrateTo(dst, 'l', 0, 5000, 'COPY', 'AUTH', 'foobar')));
      out.push(await src.c.call(...migrateTo(dst, 'l', 0, 5000, 'REPLACE', 'AUTH2', 'default', 'foobar')));
      out.push(await src.c.call(...migrateTo(dst, 'l', 0, 5000, 'AUTH', 'wrong')));
      out.push(await src.c.call('EXISTS', 'l'));
      out.push(await src.c.call(...migrateTo(dst, 'l', 0, 5000, 'AUTH')));
      await dst.c.call('AUTH', 'foobar');
      out.push(await dst.c.call('CONFIG', 'SET', 'requirepass', ''));
      return out;
    });
  });

  it('reports argument errors, a refused connection and a target that does not answer in time', async () => {
    const closed = await deadPort();
    await bothWays(async (src, dst) => {
      const out = [
        await src.c.call('SET', 'k', 'v'),
        await src.c.call('MIGRATE', '127.0.0.1', String(dst.proc.port), 'k', 'x', '100'),
        await src.c.call('MIGRATE', '127.0.0.1', String(dst.proc.port), 'k', '0', 'x'),
        await src.c.call('MIGRATE', '127.0.0.1', String(dst.proc.port), 'k', '0', '100', 'BAD'),
        await src.c.call('MIGRATE', '127.0.0.1', String(closed), 'k', '0', '1000'),
      ];
      // The target stops answering (every client paused) before MIGRATE is sent: a DEBUG SLEEP
      // sent without waiting could be read after MIGRATE's RESTORE on the cached connection.
      const blocker = await RawClient.connect(dst.proc.port);
      expect(await blocker.call('CLIENT', 'PAUSE', '2000', 'ALL')).toBe('+OK\r\n');
      out.push(await src.c.call(...migrateTo(dst, 'k', 0, 300)));
      expect(await blocker.call('PING')).toBe('+PONG\r\n'); // answered when the pause ends
      blocker.close();
      out.push(await src.c.call('EXISTS', 'k'));
      return out;
    });
  });

  it('caches the connection to a target (INFO migrate_cached_sockets)', async () => {
    for (const [src, dst] of [[redis, ours], [ours, redis]] as const) {
      await src.c.call('SET', 'c', 'v');
      await src.c.call(...migrateTo(dst, 'c', 0, 5000, 'COPY', 'REPLACE'));
      expect(await src.c.call('INFO', 'stats')).toMatch(/migrate_cached_sockets:1\r\n/);
    }
  });

  it('is written to the AOF as the DEL of the keys that moved', async () => {
    await ours.c.call('SET', 'gone', 'v');
    expect(await ours.c.call(...migrateTo(redis, 'gone', 0, 5000, 'REPLACE'))).toBe('+OK\r\n');
    const aof = readFileSync(join(ours.proc.dir, 'appendonly.aof'), 'latin1');
    expect(aof).toContain('*2\r\n$3\r\nDEL\r\n$4\r\ngone\r\n');
    expect(aof).not.toContain('MIGRATE');
  });
});
