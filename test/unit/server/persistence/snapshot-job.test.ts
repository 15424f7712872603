/**
 * The background walk's guarantee: written in tiny steps while random commands change the
 * dataset between steps (values, deletions, renames, moves between databases, expiry changes,
 * big collections changed while half written), the snapshot decodes to exactly the dataset at
 * the instant the last step wrote EOF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RingcacheServer } from '../../../../src/server/server.js';
import { Keyspace } from '../../../../src/server/keyspace/keyspace.js';
import { KeyspaceLoader } from '../../../../src/server/persistence/snapshot-loader.js';
import { SnapshotReader } from '../../../../src/server/persistence/snapshot-reader.js';
import { SnapshotJob } from '../../../../src/server/persistence/snapshot-job.js';
import { ChunkPool, SnapshotWriter } from '../../../../src/server/persistence/snapshot-writer.js';
import { BATCH_ITEMS } from '../../../../src/server/persistence/snapshot-format.js';
import { RawClient } from '../../../helpers/raw-client.js';
import { dump, fillRandom, rng } from './dump.js';

function decode(bytes: Buffer): Keyspace {
  const ks = new Keyspace(16);
  const reader = new SnapshotReader(new KeyspaceLoader(ks, { skipExpired: false, now: 0, limits: { hashEntries: 128, hashValue: 64 } }));
  reader.push(bytes);
  expect(reader.run(() => false)).toBe('done');
  return ks;
}

/** A random write against a random existing key (or a new one). */
function randomCommand(r: () => number, keys: string[]): string[] {
  const k = keys[Math.floor(r() * keys.length)] ?? 'fresh';
  const other = keys[Math.floor(r() * keys.length)] ?? 'other';
  const v = `v${Math.floor(r() * 1000)}`;
  const choices: string[][] = [
    ['SET', k, v],
    ['SET', `new:${Math.floor(r() * 50)}`, v, 'PX', String(60_000 + Math.floor(r() * 1000))],
    ['DEL', k],
    ['RPUSH', k, v],
    ['LPOP', k],
    ['HSET', k, `f${Math.floor(r() * 5)}`, v],
    ['HDEL', k, 'f0', 'f1'],
    ['SADD', k, v],
    ['SPOP', k],
    ['ZADD', k, String(Math.floor(r() * 100)), v],
    ['ZPOPMIN', k],
    ['EXPIRE', k, String(3600 + Math.floor(r() * 100))],
    ['PERSIST', k],
    ['RENAME', k, other],
    ['MOVE', k, String(Math.floor(r() * 3))],
    ['APPEND', k, v],
    ['COPY', k, `copy:${Math.floor(r() * 20)}`, 'REPLACE'],
    ['PEXPIRE', k, '1'],
  ];
  return choices[Math.floor(r() * choices.length)]!;
}

describe('snapshot job under concurrent writes', () => {
  let srv: RingcacheServer;
  let c: RawClient;
  beforeAll(async () => {
    srv = createServer({ config: { port: 0, save: '' }, logSink: () => {} });
    await c?.close();
    c = await RawClient.connect(await srv.listen());
  });
  afterAll(async () => {
    c.close();
    await srv.close();
  });

  it('closes a collection record left half written when SET turns the key into a string, and writes the key again', async () => {
    await c.call('FLUSHALL');
    await c.call('SELECT', '0');
    await c.call('RPUSH', 'big', ...Array.from({ length: 3 * BATCH_ITEMS }, (_, i) => `e${i}`));
    const chunks: Buffer[] = [];
    const writer = new SnapshotWriter((b) => chunks.push(b), new ChunkPool(4096));
    writer.header([]);
    const job = new SnapshotJob(srv.keyspace, writer);
    srv.keyspace.addHooks({ keyModified: (db, key) => job.keyModified(db, key) });
    expect(job.step(0)).toBe(false); // the list's first batch written, the record left open
    await c.call('SET', 'big', 'now a string'); // the same Entry becomes a string
    let done = false;
    for (let i = 0; i < 1000 && !done; i++) done = job.step(5);
    expect(done).toBe(true);
    const t1 = Date.now();
    expect(dump(decode(Buffer.concat(chunks)), t1)).toEqual(dump(srv.keyspace, t1));
  });

  for (const seed of [1, 2, 3]) {
    it(`decodes to the dataset at the end of the save (seed ${seed})`, async () => {
      await c.call('FLUSHALL');
      fillRandom(srv.keyspace, 400, seed);
      const r = rng(seed * 101);
      const chunks: Buffer[] = [];
      const writer = new SnapshotWriter((b) => chunks.push(b), new ChunkPool(4096));
      writer.header([]);
      const job = new SnapshotJob(srv.keyspace, writer);
      srv.keyspace.addHooks({ keyModified: (db, key) => job.keyModified(db, key) });
      let expected: Record<string, string> | null = null;
      let t1 = 0;
      for (let steps = 0; steps < 100_000 && expected === null; steps++) {
        if (job.step(0.05)) {
          t1 = Date.now();
          expected = dump(srv.keyspace, t1);
          break;
        }
        const db = Math.floor(r() * 3);
        const keys = [...srv.keyspace.dbs[db]!.dict.keys()];
        await c.call('SELECT', String(db));
        for (let i = 0; i < 4; i++) await c.call(...randomCommand(r, keys));
      }
      expect(expected).not.toBeNull();
      // Both sides judged at T1: a key expiring a millisecond later is in both.
      expect(dump(decode(Buffer.concat(chunks)), t1)).toEqual(expected);
    });
  }
});
