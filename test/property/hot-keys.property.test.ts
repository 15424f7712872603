/**
 * Properties of the hot-key detector under an injected clock: a key read at or above the threshold
 * is detected within two windows, a key read well below it is never hot, a key that stops being
 * read cools, and memory stays fixed over a million distinct keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HotKeyDetector } from '../../src/client/cache/hot-key-detector.js';

/** A manual clock in ms. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('HotKeyDetector properties', () => {
  it('detects a key read at ≥ threshold within two windows, amid cold noise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 300 }), // threshold T (reads/s)
        fc.double({ min: 1, max: 3, noNaN: true }), // rate = factor × T
        fc.integer({ min: 0, max: 999 }), // where in the window the key starts
        fc.integer({ min: 0, max: 5 }), // noise reads between hot reads
        fc.integer(),
        (threshold, factor, offset, noise, seed) => {
          const c = clock();
          const d = new HotKeyDetector({ hotThreshold: threshold, windowMs: 1000, now: c.now });
          c.advance(offset);
          const gapMs = 1000 / (threshold * factor);
          const bound = Math.ceil(2 * threshold * factor) + 1;
          let noiseId = seed >>> 0;
          for (let i = 1; i <= bound; i++) {
            for (let j = 0; j < noise; j++) d.record(`noise:${noiseId++}`);
            if (d.record('celebrity')) return;
            c.advance(gapMs);
          }
          throw new Error(`not hot after ${bound} reads at ${Math.round(threshold * factor)}/s (threshold ${threshold})`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never marks a key read at ≤ a third of the threshold hot', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 300 }), fc.integer({ min: 2, max: 20 }), (threshold, others) => {
        const c = clock();
        const d = new HotKeyDetector({ hotThreshold: threshold, windowMs: 1000, now: c.now });
        const rate = threshold / 3;
        const gapMs = 1000 / rate;
        // Ten windows of steady reads of the slow key plus a few other equally slow keys.
        for (let t = 0; t < 10_000; t += gapMs) {
          for (let k = 0; k < others; k++) d.record(`other:${k}`);
          expect(d.record('slow')).toBe(false);
          c.advance(gapMs);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('demotes a key within two windows after its reads stop; pinned keys stay', () => {
    const c = clock();
    const d = new HotKeyDetector({ hotThreshold: 100, windowMs: 1000, now: c.now });
    for (let i = 0; i < 400; i++) {
      d.record('k');
      c.advance(2);
    }
    expect(d.isHot('k')).toBe(true);
    d.pin('p');
    c.advance(2000);
    d.tick();
    c.advance(1000);
    d.tick();
    expect(d.isHot('k')).toBe(false);
    expect(d.isHot('p')).toBe(true);
    expect(d.top(10).map((h) => h.key)).toEqual(['p']);
  });

  it('only keys under an allowed prefix become hot', () => {
    const c = clock();
    const d = new HotKeyDetector({ hotThreshold: 10, now: c.now, prefixes: ['product:'] });
    for (let i = 0; i < 100; i++) {
      d.record('user:1');
      d.record('product:1');
    }
    expect(d.isHot('user:1')).toBe(false);
    expect(d.isHot('product:1')).toBe(true);
  });

  it('keeps memory fixed over 1M distinct keys and at most maxHot hot keys', () => {
    const c = clock();
    const d = new HotKeyDetector({ hotThreshold: 1, maxHot: 64, now: c.now });
    const before = d.sketchBytes;
    for (let i = 0; i < 1_000_000; i++) {
      d.record(`key:${i}`);
      if ((i & 1023) === 0) c.advance(1);
    }
    expect(d.sketchBytes).toBe(before);
    expect(d.hotCount).toBeLessThanOrEqual(64);
  });
});
