/** The list structure against an array model: random operation sequences, every observable equal. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/server/datatypes/structures/deque.js';

type Op =
  | { t: 'pushFront' | 'pushBack'; v: string }
  | { t: 'popFront' | 'popBack' }
  | { t: 'set' | 'insertAt'; i: number; v: string }
  | { t: 'trim'; a: number; b: number }
  | { t: 'removeMatching'; v: string; limit: number; fromTail: boolean };

const val = fc.constantFrom('a', 'b', 'c', '', 'hello');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constantFrom('pushFront' as const, 'pushBack' as const), v: val }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('popFront' as const, 'popBack' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('set' as const, 'insertAt' as const), i: fc.nat(80), v: val }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('trim' as const), a: fc.nat(40), b: fc.nat(80) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('removeMatching' as const), v: val, limit: fc.nat(3), fromTail: fc.boolean() }) },
);

/** What LREM does, on the model. */
function removeModel(model: string[], v: string, limit: number, fromTail: boolean): number {
  let removed = 0;
  const order = model.map((_, i) => i);
  if (fromTail) order.reverse();
  const drop = new Set<number>();
  for (const i of order) {
    if (model[i] === v && (limit === 0 || removed < limit)) {
      drop.add(i);
      removed++;
    }
  }
  const kept = model.filter((_, i) => !drop.has(i));
  model.splice(0, model.length, ...kept);
  return removed;
}

function apply(d: Deque, model: string[], o: Op): void {
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
    case 'insertAt': {
      const i = o.i % (model.length + 1);
      d.insertAt(i, o.v);
      model.splice(i, 0, o.v);
      break;
    }
    case 'trim': {
      const removed = d.trim(o.a, o.b);
      const kept = o.a > o.b ? [] : model.slice(o.a, o.b + 1);
      expect(removed).toBe(model.length - kept.length);
      model.splice(0, model.length, ...kept);
      break;
    }
    case 'removeMatching':
      expect(d.removeMatching(o.v, o.limit, o.fromTail)).toBe(removeModel(model, o.v, o.limit, o.fromTail));
      break;
  }
}

describe('Deque properties', () => {
  it('behaves like an array under any operation sequence', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const d = new Deque();
        const model: string[] = [];
        for (const o of ops) {
          apply(d, model, o);
          expect(d.size).toBe(model.length);
        }
        expect(d.toArray()).toEqual(model);
        for (let i = 0; i < model.length; i++) expect(d.at(i)).toBe(model[i]);
        expect(d.at(-1)).toBeUndefined();
        expect(d.at(model.length)).toBeUndefined();
        expect(d.indexOf('hello')).toBe(model.indexOf('hello'));
        expect(d.clone().toArray()).toEqual(model);
        // bytes tracks the characters exactly on top of a per-element and per-slot estimate.
        const empty = new Deque();
        expect(d.bytes).toBeGreaterThanOrEqual(empty.bytes + model.reduce((t, v) => t + v.length, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('gives memory back after draining and wraps around the ring many times', () => {
    const d = new Deque();
    for (let i = 0; i < 100_000; i++) d.pushBack(`v${i}`);
    const full = d.bytes;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 50_000; i++) d.pushBack(d.popFront()!);
    }
    expect(d.at(0)).toBe('v50000');
    while (d.size > 0) d.popBack();
    expect(d.bytes).toBeLessThan(full / 100);
  });
});
