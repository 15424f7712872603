/**
 * Properties of the read-your-writes table (WrittenKeys) under an injected clock, with few slots so
 * keys collide: a key written within the window is always pinned to the master unless every WAIT
 * for its writes came back ok (no false negatives, collisions included), and memory stays fixed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WrittenKeys } from '../../src/client/routing/read-your-writes.js';
import { keyHash } from '../../src/ring/key-hash.js';
import { HarnessError } from '../helpers/harness-error.js';

const WINDOW = 1000;

type Op =
  | { kind: 'write'; key: number; waited: boolean }
  | { kind: 'ack'; pick: number; ok: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'flush' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('write' as const), key: fc.integer({ min: 0, max: 200 }), waited: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('ack' as const), pick: fc.nat(), ok: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400 }) }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'flush' as const }), weight: 1 },
);

interface ModelWrite {
  key: number;
  at: number;
  /** 'pending' WAIT, 'ok', 'short' (WAIT fell short) or 'held' (no WAIT sent). */
  state: 'pending' | 'ok' | 'short' | 'held';
  slot: number;
}

describe('WrittenKeys properties', () => {
  it('a key written within the window routes to the master until all its WAITs answered ok', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 64), fc.array(op, { minLength: 1, maxLength: 300 }), (slots, ops) => {
        const t = new WrittenKeys(slots);
        const hash = (k: number): number => keyHash(`key:${k}`);
        let now = 1_000_000;
        let allAt = -Infinity;
        let writes: ModelWrite[] = [];
        const pending: ModelWrite[] = [];
        for (const o of ops) {
          if (o.kind === 'write') {
            const slot = t.record(hash(o.key), now, WINDOW, o.waited);
            const w: ModelWrite = { key: o.key, at: now, state: slot >= 0 ? 'pending' : 'held', slot };
            writes.push(w);
            if (slot >= 0) pending.push(w);
          } else if (o.kind === 'ack' && pending.length > 0) {
            const w = pending.splice(o.pick % pending.length, 1)[0]!;
            t.acked(w.slot, o.ok);
            w.state = o.ok ? 'ok' : 'short';
          } else if (o.kind === 'advance') now += o.ms;
          else if (o.kind === 'flush') {
            t.recordAll(now, WINDOW);
            allAt = now;
          }
          writes = writes.filter((w) => w.at + WINDOW > now);
          for (const w of writes) {
            if (w.state !== 'ok' && !t.pinned(hash(w.key), now)) throw new HarnessError(`key:${w.key} written at ${w.at} (${w.state}) not pinned at ${now}`);
          }
          if (allAt + WINDOW > now) {
            expect(t.pinnedAll(now)).toBe(true);
            expect(t.pinned(hash(9999), now)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('window mode: pinned exactly while the window lasts when the key has its slot to itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * WINDOW }), (later) => {
        const t = new WrittenKeys(1024);
        const h = keyHash('alone');
        t.record(h, 5000, WINDOW, false);
        expect(t.pinned(h, 5000 + later)).toBe(later < WINDOW);
      }),
    );
  });

  it('a WAIT answered ok releases the key before the window ends; a short one does not', () => {
    const t = new WrittenKeys(1024);
    const h = keyHash('w');
    const a = t.record(h, 0, WINDOW, true);
    const b = t.record(h, 1, WINDOW, true);
    t.acked(a, true);
    expect(t.pinned(h, 2)).toBe(true); // the second write's WAIT is still out
    t.acked(b, true);
    expect(t.pinned(h, 3)).toBe(false);
    const c = t.record(h, 4, WINDOW, true);
    t.acked(c, false);
    expect(t.pinned(h, 5)).toBe(true);
    expect(t.pinned(h, 4 + WINDOW)).toBe(false);
  });

  it('memory stays fixed whatever is written', () => {
    const t = new WrittenKeys(256);
    const before = t.byteLength;
    for (let i = 0; i < 200_000; i++) {
      const slot = t.record(keyHash(`k:${i}`), i, WINDOW, i % 2 === 0);
      if (slot >= 0 && i % 4 === 0) t.acked(slot, true);
    }
    expect(t.byteLength).toBe(before);
    expect(before).toBe(256 * (8 + 2 + 1));
  });
});
