/**
 * The sorted-set structure against a sorted-array model: random add / move / delete sequences;
 * order, ranks (spans), rank access, score ranges with exclusive bounds and the member→score map
 * must always agree; arena records are reused and compacted without losing anyone; a ZSCAN sweep
 * of a skiplist-encoded set meets every member present for the whole iteration.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NIL, SkipList } from '../../src/server/datatypes/structures/skiplist.js';
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
        const list = z.list;
        const got: [string, number][] = [];
        for (let n = list.first(); n !== NIL; n = list.next(n)) got.push([list.member(n), list.score(n)]);
        expect(got).toEqual(want);
        const back: [string, number][] = [];
        for (let n = list.tail; n !== NIL; n = list.prev(n)) back.push([list.member(n), list.score(n)]);
        expect(back.reverse()).toEqual(want);
        expect(list.length).toBe(want.length);
        want.forEach(([mem, s], i) => {
          expect(z.rank(mem)).toBe(i);
          expect(z.score(mem)).toBe(s);
          expect(list.member(list.byRank(i + 1))).toBe(mem);
        });
        expect(list.byRank(want.length + 1)).toBe(NIL);
        const range = { min: Math.min(a, b), max: Math.max(a, b), minex, maxex };
        const inRange = want.filter(([, s]) => SkipList.inScore(s, range));
        const name = (n: number): string | undefined => (n === NIL ? undefined : list.member(n));
        expect(name(list.firstInRange(range))).toBe(inRange[0]?.[0]);
        expect(name(list.lastInRange(range))).toBe(inRange[inRange.length - 1]?.[0]);
        expect(z.clone().entries()).toEqual(z.entries());
      }),
      { numRuns: 400 },
    );
  });

  it('survives growth, heavy deletion (arena compaction) and regrowth', () => {
    const z = new SortedSet();
    const m = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const s = (i * 7919) % 1009;
      z.set(`m${i}`, s);
      m.set(`m${i}`, s);
    }
    for (let i = 0; i < 20_000; i++) {
      if (i % 50 !== 0) {
        z.delete(`m${i}`);
        m.delete(`m${i}`);
      }
    }
    for (let i = 0; i < 300; i++) {
      z.set(`n${i}`, -i);
      m.set(`n${i}`, -i);
    }
    const want = model(m);
    expect(z.entries().map((p) => [p.member, p.score])).toEqual(want);
    want.forEach(([mem], i) => expect(z.rank(mem)).toBe(i));
    // 700 live records of ~35 bytes: the arena was rebuilt from ~1 MB.
    expect(z.list.arenaBytes).toBeLessThanOrEqual(65_536);
  });

  it('a ZSCAN sweep meets every member present for the whole iteration', () => {
    const wide = fc.integer({ min: 0, max: 80 }).map((n) => `m${n}`);
    const change = fc.oneof(
      fc.record({ t: fc.constant('set' as const), m: wide, s: score }),
      fc.record({ t: fc.constant('del' as const), m: wide }),
    );
    fc.assert(
      fc.property(fc.array(change, { maxLength: 150 }), fc.array(change, { maxLength: 150 }), fc.integer({ min: 1, max: 7 }), (before, during, count) => {
        const z = new SortedSet();
        for (const o of before) if (o.t === 'set') z.set(o.m, o.s);
        else z.delete(o.m);
        const throughout = new Set(z.entries().map((p) => p.member));
        const seen = new Map<string, number>();
        let cursor = 0;
        let step = 0;
        do {
          const out: { member: string; score: number }[] = [];
          cursor = z.scan(cursor, count, out);
          for (const p of out) {
            expect(z.score(p.member)).toBe(p.score);
            seen.set(p.member, p.score);
          }
          const o = during[step++];
          if (o?.t === 'set') z.set(o.m, o.s);
          else if (o?.t === 'del') {
            z.delete(o.m);
            throughout.delete(o.m);
          }
        } while (cursor !== 0 && step < 10_000);
        for (const mem of throughout) expect(seen.has(mem)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
