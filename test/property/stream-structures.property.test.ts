/**
 * Stream structures against plain models:
 * - listpack elements round-trip (strings that are canonical int64s become integers and read back
 *   as the same text), sizes follow Redis's encodings, and backlens walk every element backwards;
 * - stream IDs: parsing is Redis's string2ull (canonical, else strtoull with blanks, sign wrap,
 *   no overflow), formatting round-trips, and the 8-character keys order like the IDs;
 * - SortedMap agrees with a Map plus sorted keys under random sets, deletes and seeks;
 * - a Stream under random appends (any node limits), XDELs and exact/approximate trims keeps the
 *   live entries of an array model, iterates any range both ways like the model, and survives a
 *   clone and a snapshot round trip (StreamEmitter → StreamBuilder) unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LpElement, elementText, prevElement, readElement, stringElementSize, writeString } from '../../src/server/datatypes/structures/listpack.js';
import { SortedMap } from '../../src/server/datatypes/structures/sorted-map.js';
import { StreamId, cmpId, formatId, idFrom, idKey, idFromKey, parseStreamId, parseU64 } from '../../src/server/datatypes/structures/stream-id.js';
import { Stream } from '../../src/server/datatypes/structures/stream-value.js';
import { StreamBuilder, StreamEmitter } from '../../src/server/datatypes/stream-snapshot.js';

const U64 = (1n << 64n) - 1n;
const u64 = fc.oneof(fc.bigInt({ min: 0n, max: U64 }), fc.constantFrom(0n, 1n, U64, 2n ** 53n, 2n ** 32n - 1n, 2n ** 32n));
const idArb = fc.tuple(u64, u64).map(([ms, seq]) => `${ms}-${seq}`);

describe('listpack elements', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    fc.constantFrom('0', '-0', '007', '+1', '9223372036854775808', '-9223372036854775809', '127', '128', '-4096', '4095', '-4097', 'x'.repeat(4100)),
  );
  it('round-trip text and walk back by backlen', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 30 }), (values) => {
        const latin = values.map((v) => Buffer.from(v, 'utf8').toString('latin1'));
        const size = latin.reduce((n, v) => n + stringElementSize(v), 0);
        const buf = Buffer.alloc(size + 1);
        let p = 0;
        const starts: number[] = [];
        for (const v of latin) {
          starts.push(p);
          const q = writeString(buf, p, v);
          expect(q - p).toBe(stringElementSize(v));
          p = q;
        }
        const el = new LpElement();
        for (let i = 0; i < latin.length; i++) {
          readElement(buf, starts[i]!, el);
          expect(elementText(buf, el)).toBe(latin[i]);
          expect(el.next).toBe(i + 1 < latin.length ? starts[i + 1] : p);
        }
        for (let i = latin.length - 1; i > 0; i--) expect(prevElement(buf, starts[i]!)).toBe(starts[i - 1]);
      }),
    );
  });
});

describe('stream IDs', () => {
  it('parse and format round-trip, keys order like IDs', () => {
    fc.assert(
      fc.property(idArb, idArb, (a, b) => {
        const ia = parseStreamId(a, 'min', true)!.id;
        const ib = parseStreamId(b, 'min', true)!.id;
        expect(formatId(ia)).toBe(a);
        expect(cmpId(idFromKey(idKey(ia)), ia)).toBe(0);
        const [ma, sa] = a.split('-').map(BigInt) as [bigint, bigint];
        const [mb, sb] = b.split('-').map(BigInt) as [bigint, bigint];
        const want = ma !== mb ? (ma < mb ? -1 : 1) : sa !== sb ? (sa < sb ? -1 : 1) : 0;
        expect(cmpId(ia, ib)).toBe(want);
        expect(Math.sign(idKey(ia) < idKey(ib) ? -1 : idKey(ia) > idKey(ib) ? 1 : 0)).toBe(want);
      }),
    );
  });

  it("read numbers as Redis's string2ull", () => {
    expect(parseU64('-1')).toBeNull();
    expect(parseU64('-01')).toEqual([0xffffffff, 0xffffffff]);
    expect(parseU64(' 5')).toEqual([0, 5]);
    expect(parseU64('+5')).toEqual([0, 5]);
    expect(parseU64('5 ')).toBeNull();
    expect(parseU64('')).toBeNull();
    expect(parseU64('18446744073709551616')).toBeNull();
    expect(parseU64('-0')).toEqual([0, 0]);
    expect(parseStreamId('5', 'max', false)!.id).toEqual(new StreamId(0, 5, 0xffffffff, 0xffffffff));
    expect(parseStreamId('1--2', 'min', true)).toBeNull();
    expect(parseStreamId('1--02', 'min', true)!.id).toEqual(new StreamId(0, 1, 0xffffffff, 0xfffffffe));
    expect(parseStreamId('-', 'min', true)).toBeNull();
    expect(parseStreamId('5-*', 'min', true, true)!.seqGiven).toBe(false);
    expect(parseStreamId('5-*', 'min', true)).toBeNull();
    expect(parseStreamId('1'.repeat(128), 'min', false)).toBeNull();
  });
});

describe('SortedMap', () => {
  it('agrees with a Map and sorted keys', () => {
    const key = fc.string({ maxLength: 3 });
    const op = fc.oneof(fc.tuple(fc.constant('set' as const), key, fc.integer()), fc.tuple(fc.constant('del' as const), key, fc.constant(0)));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), key, (ops, probe) => {
        const m = new SortedMap<number>();
        const model = new Map<string, number>();
        for (const [t, k, v] of ops) {
          if (t === 'set') expect(m.set(k, v)).toBe(!model.has(k));
          else expect(m.delete(k)).toBe(model.get(k));
          if (t === 'set') model.set(k, v);
          else model.delete(k);
        }
        const keys = [...model.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect([...m.entries()].map(([k]) => k)).toEqual(keys);
        expect(m.size).toBe(keys.length);
        expect(m.ceiling(probe)).toBe(keys.find((k) => k >= probe));
        expect([...m.from(probe)].map(([k]) => k)).toEqual(keys.filter((k) => k >= probe));
        for (const k of keys) expect(m.get(k)).toBe(model.get(k));
      }),
    );
  });
});

type Entry = { id: StreamId; argv: string[] };

function liveModel(entries: Entry[], deleted: Set<string>): Entry[] {
  return entries.filter((e) => !deleted.has(idKey(e.id)));
}

function readAll(s: Stream, start: StreamId | null, end: StreamId | null, rev: boolean): string[] {
  const out: string[] = [];
  const it = s.iterate(start, end, rev);
  const f = new LpElement();
  const v = new LpElement();
  while (it.next()) {
    const parts = [formatId(it.id())];
    for (let i = 0; i < it.numFields; i++) {
      it.field(f);
      parts.push(elementText(it.node!.buf, f));
      it.value(v);
      parts.push(elementText(it.node!.buf, v));
    }
    out.push(parts.join(' '));
  }
  return out;
}

function modelRange(live: Entry[], start: StreamId, end: StreamId, rev: boolean): string[] {
  const out = live.filter((e) => cmpId(e.id, start) >= 0 && cmpId(e.id, end) <= 0).map((e) => [formatId(e.id), ...e.argv].join(' '));
  return rev ? out.reverse() : out;
}

describe('Stream', () => {
  const field = fc.constantFrom('a', 'b', '1', 'name');
  const value = fc.constantFrom('v', '', '42', '-7', '9223372036854775807', 'long'.repeat(20));
  const pairsArb = fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 }).map((ps) => ps.flat());
  const op = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constant('add' as const), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), pairsArb) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('del' as const), fc.nat(), fc.constant(0), fc.constant([] as string[])) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('trim' as const), fc.nat({ max: 30 }), fc.integer({ min: 0, max: 3 }), fc.constant([] as string[])) },
  );
  it('matches an array model through appends, deletes, trims, ranges, clones and snapshots', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, 60, 4096), fc.nat(), fc.nat(), (ops, maxEntries, maxBytes, r1, r2) => {
        const s = new Stream();
        const entries: Entry[] = [];
        const deleted = new Set<string>();
        let ms = 1;
        for (const [t, a, b, argv] of ops) {
          if (t === 'add') {
            ms += a;
            const id = idFrom(ms, b + (entries.length > 0 && cmpId(entries[entries.length - 1]!.id, idFrom(ms, b)) >= 0 ? 100 : 0));
            if (cmpId(id, s.lastId) <= 0) continue;
            let bytes = 0;
            for (const x of argv) bytes += x.length;
            s.append(id, argv, 0, argv.length / 2, bytes, maxBytes, maxEntries);
            entries.push({ id, argv });
          } else if (t === 'del') {
            const live = liveModel(entries, deleted);
            const victim = live.length > 0 ? live[a % live.length]! : null;
            const id = victim?.id ?? idFrom(999999, 0);
            expect(s.deleteEntry(id)).toBe(victim !== null);
            if (victim !== null) deleted.add(idKey(victim.id));
          } else {
            const live = liveModel(entries, deleted);
            const exact = b !== 0;
            const removed = s.trim({ strategy: 'maxlen', approx: !exact, limit: 0, maxlen: a, minid: idFrom(0, 0) });
            if (exact) {
              const drop = Math.max(0, live.length - a);
              expect(removed).toBe(drop);
              for (const e of live.slice(0, drop)) deleted.add(idKey(e.id));
            } else {
              expect(removed).toBeLessThanOrEqual(Math.max(0, live.length - a));
              for (const e of live.slice(0, removed)) deleted.add(idKey(e.id));
            }
          }
        }
        const live = liveModel(entries, deleted);
        expect(s.length).toBe(live.length);
        const lo = live.length > 0 ? live[r1 % live.length]!.id : idFrom(0, 0);
        const hi = live.length > 0 ? live[r2 % live.length]!.id : idFrom(0, 0);
        expect(readAll(s, lo, hi, false)).toEqual(modelRange(live, lo, hi, false));
        expect(readAll(s, lo, hi, true)).toEqual(modelRange(live, lo, hi, true));
        const all = readAll(s, null, null, false);
        expect(all).toEqual(modelRange(live, idFrom(0, 0), new StreamId(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), false));
        expect(readAll(s.clone(), null, null, false)).toEqual(all);
        const em = new StreamEmitter(s);
        const b = new StreamBuilder();
        const strs: string[] = [];
        for (let n = em.next(strs, 64, 256); n > 0; n = em.next(strs, 64, 256)) b.add(strs, n);
        const back = b.finish();
        expect(readAll(back, null, null, true)).toEqual([...all].reverse());
        expect(back.length).toBe(s.length);
        expect(formatId(back.lastId)).toBe(formatId(s.lastId));
      }),
      { numRuns: 300 },
    );
  });
});
