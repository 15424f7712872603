import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pqsort } from '../../../../src/server/util/pqsort.js';

describe('pqsort (Redis partial quicksort)', () => {
  it('sorts the requested ranks like a full sort', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), fc.nat(), fc.nat(), (xs, a, b) => {
        if (xs.length === 0) return;
        const l = a % xs.length;
        const r = l + (b % (xs.length - l));
        const got = xs.slice();
        pqsort(got, (x, y) => x - y, l, r);
        const want = xs.slice().sort((x, y) => x - y);
        expect(got.slice(l, r + 1)).toEqual(want.slice(l, r + 1));
        expect(got.slice().sort((x, y) => x - y)).toEqual(want);
      }),
    );
  });

  it('is the same algorithm: equal keys keep the order Redis leaves them in', () => {
    // 10 elements with two keys: Bentley-McIlroy's fat partition moves equal keys around.
    const items = [3, 1, 3, 2, 1, 3, 2, 1, 3, 2].map((k, i) => ({ k, i }));
    pqsort(items, (x, y) => x.k - y.k, 0, 2);
    expect(items.slice(0, 3).map((x) => x.k)).toEqual([1, 1, 1]);
  });
});
