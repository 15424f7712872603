/**
 * HashRing.arcs(): the arcs cover the circle exactly once, in order, neighbours of one shard are
 * merged, each arc's positions belong to its shard (locateHash), and each shard's arcs add up to
 * its ownership() share.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashRing } from '../../../src/ring/index.js';

const FULL = 2 ** 32;

function check(ring: HashRing): void {
  const arcs = ring.arcs();
  expect(arcs[0]!.from).toBe(0);
  expect(arcs[arcs.length - 1]!.to).toBe(FULL);
  const sums = new Map<string, number>();
  for (let i = 0; i < arcs.length; i++) {
    const a = arcs[i]!;
    expect(a.to).toBeGreaterThan(a.from);
    if (i > 0) {
      expect(a.from).toBe(arcs[i - 1]!.to);
      expect(a.shard).not.toBe(arcs[i - 1]!.shard);
    }
    // (from, to]: the last position of an arc, and the one just after its start, are its shard's.
    if (a.to < FULL) expect(ring.locateHash(a.to)).toBe(a.shard);
    if (a.from + 1 < FULL) expect(ring.locateHash(a.from + 1)).toBe(a.shard);
    sums.set(a.shard, (sums.get(a.shard) ?? 0) + (a.to - a.from) / FULL);
  }
  for (const [name, share] of ring.ownership()) expect(sums.get(name) ?? 0).toBeCloseTo(share, 9);
}

describe('HashRing.arcs', () => {
  it('covers the circle with merged arcs matching locate and ownership', () => {
    check(new HashRing([{ name: 's1' }, { name: 's2' }, { name: 's3', weight: 2 }]));
    check(new HashRing([{ name: 'only' }], { vnodes: 5 }));
    expect(new HashRing([{ name: 'only' }]).arcs()).toEqual([{ shard: 'only', from: 0, to: FULL }]);
    expect(new HashRing([]).arcs()).toEqual([]);
  });

  it('holds for any set of shard names, weights and vnodes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.constantFrom(0.5, 1, 2), { minLength: 6, maxLength: 6 }),
        (names, vnodes, weights) => check(new HashRing(names.map((name, i) => ({ name, weight: weights[i]! })), { vnodes })),
      ),
      { numRuns: 60 },
    );
  });
});
