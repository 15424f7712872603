/**
 * The sorted-set structure against a sorted-array model: random add / move / delete sequences;
 * order, ranks (spans), rank access, score ranges with exclusive bounds and the member→score map
 * must always agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkipList } from '../../src/server/datatypes/structures/skiplist.js';
import { SortedSet } from '../../src/server/datatypes/structures/sorted-set.js';

const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'aa', 'B', '');
const score = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(0.5, -0.5, Infinity, -Infinity));
const op = fc.oneof(
  fc.record({ t: fc.constant('set' as const), m: member, s: score }),
  fc.record({ t: fc.constant('del' as const), m: member }),
);

function model(entries: Map<string, number>): [string, number][] {
  return [...entries].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

describe('SkipList / SortedSet properties', () => {
  it('keeps order, ranks and ranges consistent with a sorted-array model', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), score, score, fc.boolean(), fc.boolean(), (ops, a, b, minex, maxex) => {
        const z = new SortedSet();
        const m = new Map<string, number>();
        for (const o of ops) {
          if (o.t === 'set') {
            z.set(o.m, o.s);
            m.set(o.m, o.s);
          } else {
            expect(z.delete(o.m)).toBe(m.delete(o.m));
          }
        }
        const want = model(m);
        const got: [string, number][] = [];
        for (let n = z.list.header.level[0]!.forward; n !== null; n = n.level[0]!.forward) got.push([n.member, n.score]);
        expect(got).toEqual(want);
        expect(z.list.length).toBe(want.length);
        want.forEach(([mem], i) => {
          expect(z.rank(mem)).toBe(i);
          expect(z.list.byRank(i + 1)!.member).toBe(mem);
        });
        const range = { min: Math.min(a, b), max: Math.max(a, b), minex, maxex };
        const inRange = want.filter(([, s]) => SkipList.inScore(s, range));
        expect(z.list.firstInRange(range)?.member).toBe(inRange[0]?.[0]);
        expect(z.list.lastInRange(range)?.member).toBe(inRange[inRange.length - 1]?.[0]);
        expect(z.clone().size).toBe(want.length);
      }),
      { numRuns: 400 },
    );
  });
});
