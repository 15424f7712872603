/**
 * The eviction candidate pool (Redis's EVPOOL): after any sequence of inserts it holds the 16
 * best (highest) scores seen since it was last emptied, in ascending order, and takeBest hands
 * out the best existing candidate, skipping keys deleted meanwhile ("ghosts").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EvictionPool } from '../../src/server/keyspace/eviction.js';
import { Keyspace } from '../../src/server/keyspace/keyspace.js';
import { ValueType } from '../../src/server/keyspace/entry.js';

describe('EvictionPool properties', () => {
  it('keeps the 16 highest scores in ascending order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }), (scores) => {
        const pool = new EvictionPool();
        scores.forEach((s, i) => pool.insert(s, `k${i}`, 0));
        const got = pool.entries().map((e) => e.score);
        const want = [...scores].sort((a, b) => a - b).slice(-16);
        expect(got).toEqual(want);
      }),
    );
  });

  it('takeBest returns the highest-scored key that still exists, and removes it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 40 }), fc.array(fc.boolean(), { maxLength: 40 }), (scores, deleted) => {
        const ks = new Keyspace(2);
        const db = ks.dbs[1]!;
        const pool = new EvictionPool();
        scores.forEach((s, i) => {
          db.add(`k${i}`, ValueType.STRING, 'v');
          pool.insert(s, `k${i}`, 1);
        });
        const inPool = pool.entries();
        inPool.forEach((e, i) => {
          if (deleted[i] === true) db.delete(e.key);
        });
        const alive = inPool.filter((e) => db.dict.has(e.key));
        const best = pool.takeBest(ks.dbs, false);
        if (alive.length === 0) {
          expect(best).toBeNull();
          return;
        }
        expect(best!.db).toBe(db);
        expect(best!.entry.key).toBe(alive[alive.length - 1]!.key);
        expect(pool.entries().some((e) => e.key === best!.entry.key)).toBe(false);
      }),
    );
  });
});
