/**
 * DEBUG DIGEST: an order-independent hash of the whole dataset (every live key with its db,
 * type, value and absolute TTL), for comparing a replica with its master in tests. Each key's
 * snapshot record is hashed with SHA-1 and the hashes are XORed together, so the walk order
 * (slots differ between nodes) does not matter. Elements inside one value are hashed in the
 * value's own order (list order, zset order, hash and set iteration order), which replicas
 * rebuild identically from the snapshot and the stream. Streams contribute their live entries only
 * (as Redis), not consumer-group state. 40 zeros for an empty dataset, as Redis.
 */

import { createHash } from 'node:crypto';
import type { Keyspace } from '../keyspace/keyspace.js';
import { ValueEmitter } from '../persistence/snapshot-values.js';
import { ChunkPool, SnapshotWriter } from '../persistence/snapshot-writer.js';
import { ValueType } from '../keyspace/entry.js';
import { streamDigest } from '../datatypes/stream-snapshot.js';
import type { Stream } from '../datatypes/structures/stream-value.js';

const NEVER = (): boolean => false;

export function keyspaceDigest(keyspace: Keyspace): string {
  const acc = Buffer.alloc(20);
  const pool = new ChunkPool(16 * 1024, 4);
  let any = false;
  const now = Date.now();
  for (const db of keyspace.dbs) {
    const slots = db.slots;
    for (let i = 0; i < slots.capacity; i++) {
      const e = slots.at(i);
      if (e === undefined || (e.expireAt !== -1 && e.expireAt <= now)) continue;
      any = true;
      const h = createHash('sha1');
      h.update(`${db.id}:`);
      if (e.type === ValueType.STREAM) {
        h.update(`${e.key}:${e.expireAt}:`);
        streamDigest(e.value as Stream, (part) => h.update(`${part.length}:${part}`, 'latin1'));
        const ds = h.digest();
        for (let j = 0; j < 20; j++) acc[j]! ^= ds[j]!;
        continue;
      }
      const w = new SnapshotWriter((chunk) => {
        h.update(chunk);
        pool.give(chunk);
      }, pool);
      new ValueEmitter(e).emit(w, NEVER);
      w.flush();
      const d = h.digest();
      for (let j = 0; j < 20; j++) acc[j]! ^= d[j]!;
    }
  }
  return any ? acc.toString('hex') : '0'.repeat(40);
}
