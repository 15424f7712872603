/**
 * HashDict against a Map model: random operation sequences keep every observable equal, compact
 * hashes keep insertion order, table slots never move, and a slot-cursor sweep returns every field
 * present throughout it while the hash grows and shrinks between steps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashDict } from '../../src/server/datatypes/structures/hash-dict.js';

type Op = { t: 'set'; f: string; v: string } | { t: 'del'; f: string } | { t: 'convert' };

const field = fc.integer({ min: 0, max: 60 }).map((n) => `f${n}`);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('set' as const), f: field, v: fc.string({ maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('del' as const), f: field }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('convert' as const) }) },
);

function apply(h: HashDict, model: Map<string, string>, o: Op): void {
  if (o.t === 'set') {
    expect(h.set(o.f, o.v)).toBe(!model.has(o.f));
    model.set(o.f, o.v);
  } else if (o.t === 'del') {
    expect(h.delete(o.f)).toBe(model.delete(o.f));
  } else {
    h.convert();
  }
}

function entries(h: HashDict): [string, string][] {
  const out: [string, string][] = [];
  for (let s = 0; s < h.slotCount; s++) {
    const f = h.fieldAt(s);
    if (f !== undefined) out.push([f, h.valueAt(s)!]);
  }
  return out;
}

describe('HashDict properties', () => {
  it('matches a Map; compact order is insertion order; table slots are stable', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const h = new HashDict();
        const model = new Map<string, string>();
        const slotOf = new Map<string, number>();
        for (const o of ops) {
          apply(h, model, o);
          expect(h.size).toBe(model.size);
          if (!h.compact) {
            // A field already placed in table mode keeps its slot until deleted.
            for (const [f, s] of slotOf) {
              if (model.has(f)) expect(h.fieldAt(s)).toBe(f);
              else slotOf.delete(f);
            }
            for (let s = 0; s < h.slotCount; s++) {
              const f = h.fieldAt(s);
              if (f !== undefined && !slotOf.has(f)) slotOf.set(f, s);
            }
          }
        }
        for (const [f, v] of model) expect(h.get(f)).toBe(v);
        const got = entries(h);
        if (h.compact) expect(got).toEqual([...model]);
        else expect(new Map(got)).toEqual(model);
        expect(entries(h.clone())).toEqual(got);
        expect(h.clone().compact).toBe(h.compact);
        if (model.size > 0) expect(model.has(h.fieldAt(h.randomSlot())!)).toBe(true);
        else expect(h.randomSlot()).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it('a scan meets every field present for the whole iteration, whatever changes in between', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.array(op, { maxLength: 200 }), fc.integer({ min: 1, max: 7 }), (before, during, count) => {
        const h = new HashDict();
        const model = new Map<string, string>();
        h.convert();
        for (const o of before) apply(h, model, o);
        const throughout = new Set(model.keys());
        const seen = new Set<string>();
        let cursor = 0;
        let step = 0;
        do {
          const slots: number[] = [];
          cursor = h.scan(cursor, count, slots);
          for (const s of slots) seen.add(h.fieldAt(s)!);
          const o = during[step++];
          if (o !== undefined && o.t !== 'convert') {
            apply(h, model, o);
            if (o.t === 'del') throughout.delete(o.f);
          }
        } while (cursor !== 0 && step < 10_000);
        for (const f of throughout) expect(seen.has(f)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
