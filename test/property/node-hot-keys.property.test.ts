/**
 * Properties of the node's sampled top-K (src/server/stats/hot-keys.ts): a key accessed far more
 * than any other is in the top-K and ranked first whatever the noise; Count-Min never
 * under-estimates a tracked key; the heap stays a top-K (hottest first, at most K, no key twice);
 * memory stays fixed however many distinct keys go through; decay halves and forgets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HotKeys } from '../../src/server/stats/hot-keys.js';

const key = fc.string({ minLength: 0, maxLength: 12 });

describe('HotKeys (node top-K) properties', () => {
  it('a key accessed far more than the others is in the top-K, first', () => {
    fc.assert(
      fc.property(
        fc.array(key, { minLength: 1, maxLength: 400 }), // noise keys, each accessed a few times
        fc.integer({ min: 1, max: 4 }), // accesses per noise key
        fc.integer({ min: 1, max: 16 }), // weight of one sampled access
        fc.integer({ min: 0, max: 1000 }), // where the hot key's accesses start
        (noise, each, weight, offset) => {
          const hot = new HotKeys({ k: 8, width: 256 });
          const total = noise.length * each;
          // The hot key gets more accesses than all the noise together, spread through it.
          const hotCount = total + 1;
          let h = 0;
          const start = offset % (total + 1);
          for (let i = 0; i < total; i++) {
            if (i >= start && h < hotCount) {
              hot.record('\u0000HOT', weight);
              h++;
            }
            hot.record(noise[i % noise.length]!, weight);
          }
          for (; h < hotCount; h++) hot.record('\u0000HOT', weight);
          const top = hot.top();
          expect(top[0]?.[0]).toBe('\u0000HOT');
          expect(top[0]![1]).toBeGreaterThanOrEqual(hotCount * weight);
        },
      ),
    );
  });

  it('estimates never fall below the recorded weight; the top-K is sorted, bounded, without duplicates', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 1, max: 5 })), { maxLength: 600 }), fc.integer({ min: 1, max: 40 }), (ops, k) => {
        const hot = new HotKeys({ k, width: 64 });
        const truth = new Map<string, number>();
        for (const [name, w] of ops) {
          hot.record(name, w);
          truth.set(name, (truth.get(name) ?? 0) + w);
        }
        const top = hot.top();
        expect(top.length).toBeLessThanOrEqual(k);
        expect(top.length).toBe(Math.min(k, truth.size));
        expect(new Set(top.map(([name]) => name)).size).toBe(top.length);
        for (let i = 1; i < top.length; i++) expect(top[i - 1]![1]).toBeGreaterThanOrEqual(top[i]![1]);
        for (const [name, n] of top) expect(n).toBeGreaterThanOrEqual(truth.get(name)!);
        expect(hot.top(2).length).toBe(Math.min(2, top.length));
      }),
    );
  });

  it('memory is fixed: a stream of distinct keys leaves K keys and the same sketch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1_000, max: 20_000 }), (k, n) => {
        const hot = new HotKeys({ k, width: 512 });
        const sketch = hot.sketchSize;
        for (let i = 0; i < n; i++) hot.record(`key:${i}`, 1 + (i % 3));
        expect(hot.tracked).toBe(k);
        expect(hot.top().length).toBe(k);
        expect(hot.sketchSize).toBe(sketch);
      }),
      { numRuns: 20 },
    );
  });

  it('decay halves the counts, keeps the order and forgets keys that reach 0', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 200 }), (ops) => {
        const hot = new HotKeys({ k: 16, width: 128 });
        for (const [name, w] of ops) hot.record(name, w);
        const before = new Map(hot.top());
        hot.decay();
        const after = hot.top();
        for (const [name, n] of after) expect(n).toBe(Math.floor(before.get(name)! / 2));
        for (const [name, n] of before) if (Math.floor(n / 2) === 0) expect(after.some(([x]) => x === name)).toBe(false);
        for (let i = 0; i < 40; i++) hot.decay();
        expect(hot.top()).toEqual([]);
        // Still usable after emptying.
        hot.record('again', 3);
        expect(hot.top()).toEqual([['again', 3]]);
      }),
    );
  });
});
