/**
 * SetValue against a Set model: random operation sequences keep membership equal, intset-shaped
 * sets list in numeric order and convert exactly when Redis would, and a hashtable set's SSCAN sweep
 * returns every member present for the whole iteration while members come and go between steps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInt64Text, SetValue } from '../../src/server/datatypes/structures/set-value.js';

type Op = { t: 'add'; m: string } | { t: 'del'; m: string };

const member = fc.oneof(
  fc.integer({ min: -40, max: 40 }).map(String),
  fc.integer({ min: 0, max: 60 }).map((n) => `m${n}`),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', '9223372036854775808', '007', '-0', '+1', ''),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('add' as const), m: member }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('del' as const), m: member }) },
);

function apply(s: SetValue, model: Set<string>, o: Op, max: number): void {
  if (o.t === 'add') {
    expect(s.add(o.m, max)).toBe(!model.has(o.m));
    model.add(o.m);
  } else {
    expect(s.delete(o.m)).toBe(model.delete(o.m));
  }
}

describe('SetValue properties', () => {
  it('matches a Set; intset order is numeric; conversion is one way, as in Redis', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 0, max: 30 }), (ops, max) => {
        const s = new SetValue();
        const model = new Set<string>();
        let intset = true;
        for (const o of ops) {
          if (o.t === 'add' && !model.has(o.m) && (!isInt64Text(o.m) || model.size >= max)) intset = false;
          apply(s, model, o, max);
          expect(s.isIntset).toBe(intset);
          expect(s.size).toBe(model.size);
        }
        const listed = s.list();
        expect(new Set(listed)).toEqual(model);
        expect(listed.length).toBe(model.size);
        if (s.isIntset) expect(listed).toEqual([...model].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
        expect(s.clone().list()).toEqual(listed);
        expect(s.clone().encoding).toBe(s.encoding);
        if (model.size > 0) expect(model.has(s.random()!)).toBe(true);
        else expect(s.random()).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('an SSCAN sweep meets every member present for the whole iteration', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.array(op, { maxLength: 200 }), fc.integer({ min: 1, max: 7 }), (before, during, count) => {
        const s = new SetValue();
        const model = new Set<string>();
        s.add('not-an-integer');
        model.add('not-an-integer');
        for (const o of before) apply(s, model, o, 512);
        const throughout = new Set(model);
        const seen = new Set<string>();
        let cursor = 0;
        let step = 0;
        do {
          const out: string[] = [];
          cursor = s.scan(cursor, count, out);
          expect(out.length).toBeLessThanOrEqual(count);
          for (const m of out) seen.add(m);
          const o = during[step++];
          if (o !== undefined) {
            apply(s, model, o, 512);
            if (o.t === 'del') throughout.delete(o.m);
          }
        } while (cursor !== 0 && step < 10_000);
        for (const m of throughout) expect(seen.has(m)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('recognises the integers Redis stores in an intset (string2ll)', () => {
    for (const t of ['0', '-1', '42', '9223372036854775807', '-9223372036854775808']) expect(isInt64Text(t)).toBe(true);
    for (const t of ['', '-0', '01', '+1', ' 1', '1.0', '9223372036854775808', '-9223372036854775809', '1e3', 'x']) expect(isInt64Text(t)).toBe(false);
  });
});
