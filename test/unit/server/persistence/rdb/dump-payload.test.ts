import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../../../../src/server/datatypes/structures/deque.js';
import { HashDict } from '../../../../../src/server/datatypes/structures/hash-dict.js';
import { SetValue } from '../../../../../src/server/datatypes/structures/set-value.js';
import { SortedSet } from '../../../../../src/server/datatypes/structures/sorted-set.js';
import { ValueType, type StoredValue } from '../../../../../src/server/keyspace/entry.js';
import { createDumpPayload, readDumpPayload, verifyDumpPayload } from '../../../../../src/server/persistence/rdb/dump-payload.js';
import type { RdbLimits } from '../../../../../src/server/persistence/rdb/rdb-types.js';

const LIMITS: RdbLimits = {
  compress: true,
  listMaxListpackSize: -2,
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
};

const text = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.constantFrom('x'.repeat(200), 'ab'.repeat(3000), '0', '-0', '007'),
);

/** A value of every type and both encodings, with what comparing it needs. */
const value = fc.oneof(
  text.map((s) => ({ type: ValueType.STRING, value: s as StoredValue, view: s as unknown })),
  fc.array(text, { minLength: 1, maxLength: 400 }).map((items) => {
    const d = new Deque();
    for (const s of items) d.pushBack(s);
    return { type: ValueType.LIST, value: d as StoredValue, view: items as unknown };
  }),
  fc.uniqueArray(fc.oneof(text, fc.integer().map(String)), { minLength: 1, maxLength: 700 }).map((items) => {
    const s = new SetValue();
    for (const m of items) s.add(m);
    return { type: ValueType.SET, value: s as StoredValue, view: [s.encoding, s.list().slice().sort()] as unknown };
  }),
  fc.uniqueArray(fc.tuple(text, fc.oneof(fc.double({ noNaN: true }), fc.integer())), { minLength: 1, maxLength: 300, selector: (t) => t[0] }).map((pairs) => {
    const z = new SortedSet();
    for (const [m, sc] of pairs) z.set(m, sc);
    z.fit(128, 64);
    return { type: ValueType.ZSET, value: z as StoredValue, view: [z.encoding, z.entries()] as unknown };
  }),
  fc.uniqueArray(fc.tuple(text, text), { minLength: 1, maxLength: 300, selector: (t) => t[0] }).map((pairs) => {
    const h = new HashDict();
    for (const [f, v] of pairs) h.set(f, v);
    if (h.size > 128 || pairs.some(([f, v]) => f.length > 64 || v.length > 64)) h.convert();
    const all: [string, string][] = [];
    for (let i = 0; i < h.slotCount; i++) if (h.fieldAt(i) !== undefined) all.push([h.fieldAt(i)!, h.valueAt(i)!]);
    return { type: ValueType.HASH, value: h as StoredValue, view: [h.encoding, h.compact ? all : all.sort()] as unknown };
  }),
);

function view(type: number, v: StoredValue): unknown {
  if (type === ValueType.STRING) return v;
  if (v instanceof Deque) return v.toArray();
  if (v instanceof SetValue) return [v.encoding, v.list().slice().sort()];
  if (v instanceof SortedSet) return [v.encoding, v.entries()];
  const h = v as HashDict;
  const all: [string, string][] = [];
  for (let i = 0; i < h.slotCount; i++) if (h.fieldAt(i) !== undefined) all.push([h.fieldAt(i)!, h.valueAt(i)!]);
  return [h.encoding, h.compact ? all : all.sort()];
}

describe('DUMP payloads', () => {
  it('round-trip every type and encoding: contents and encoding survive', () => {
    fc.assert(
      fc.property(value, fc.boolean(), ({ type, value: v, view: want }, compress) => {
        const p = createDumpPayload(type, v, { ...LIMITS, compress });
        expect(verifyDumpPayload(p)).toBe(true);
        const back = readDumpPayload(p, LIMITS);
        expect(back.type).toBe(type);
        expect(view(type, back.value)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('are refused with a flipped byte, a newer RDB version or a short buffer', () => {
    const p = createDumpPayload(ValueType.STRING, 'hello', LIMITS);
    expect(p.toString('hex')).toBe('000568656c6c6f0a006372df766534200a'); // redis-server 7.0's DUMP of "hello"
    const flipped = Buffer.from(p);
    flipped[2] ^= 1;
    expect(verifyDumpPayload(flipped)).toBe(false);
    const newer = Buffer.from(p);
    newer[p.length - 10] = 11;
    expect(verifyDumpPayload(newer)).toBe(false);
    expect(verifyDumpPayload(Buffer.alloc(9))).toBe(false);
  });

  it('refuse malformed values as RdbFormatError', () => {
    const bad = [
      Buffer.from([0x0b, 0x00]), // empty intset blob
      Buffer.from([0x02, 0x02, 0x01, 0x61, 0x01, 0x61]), // duplicate set members
      Buffer.from([0x06]), // module
      Buffer.from([0x12, 0x01, 0x03, 0x00]), // quicklist with an unknown container
    ];
    for (const b of bad) expect(() => readDumpPayload(Buffer.concat([b, Buffer.alloc(10)]), LIMITS)).toThrow(expect.objectContaining({ code: 'ERR_RDB_FORMAT' }));
  });
});
