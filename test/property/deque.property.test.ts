/** The list structure against an array model: random operation sequences, every observable equal. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/server/datatypes/structures/deque.js';

type Op =
  | { t: 'pushFront' | 'pushBack'; v: string }
  | { t: 'popFront' | 'popBack' }
  | { t: 'set'; i: number; v: string }
  | { t: 'replace'; keep: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constantFrom('pushFront' as const, 'pushBack' as const), v: fc.string({ maxLength: 4 }) }),
  fc.record({ t: fc.constantFrom('popFront' as const, 'popBack' as const) }),
  fc.record({ t: fc.constant('set' as const), i: fc.nat(50), v: fc.string({ maxLength: 4 }) }),
  fc.record({ t: fc.constant('replace' as const), keep: fc.nat(3) }),
);

describe('Deque properties', () => {
  it('behaves like an array under any operation sequence', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const d = new Deque();
        const model: string[] = [];
        for (const o of ops) {
          switch (o.t) {
            case 'pushFront': d.pushFront(o.v); model.unshift(o.v); break;
            case 'pushBack': d.pushBack(o.v); model.push(o.v); break;
            case 'popFront': expect(d.popFront()).toBe(model.shift()); break;
            case 'popBack': expect(d.popBack()).toBe(model.pop()); break;
            case 'set':
              if (model.length > 0) {
                const i = o.i % model.length;
                d.set(i, o.v);
                model[i] = o.v;
              }
              break;
            case 'replace': {
              const kept = model.filter((_, i) => i % (o.keep + 1) === 0);
              d.replaceAll(kept);
              model.splice(0, model.length, ...kept);
              break;
            }
          }
          expect(d.size).toBe(model.length);
        }
        expect(d.toArray()).toEqual(model);
        for (let i = 0; i < model.length; i++) expect(d.at(i)).toBe(model[i]);
        expect(d.clone().toArray()).toEqual(model);
        expect(d.bytes).toBeGreaterThan(model.reduce((t, v) => t + v.length, 0));
      }),
      { numRuns: 300 },
    );
  });
});
