/**
 * The bitmap kernels against a bit-by-bit reference model: population counts and first-bit
 * searches over arbitrary bit ranges, BITOP results with zero padding (into fresh memory and into
 * the first source's own memory), and the byte editors, on random binary values in both
 * representations (latin1 strings, and ByteStrings whose spare capacity holds garbage), including
 * values that span several scratch windows.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BitOp } from '../../src/server/datatypes/structures/bit-ops.js';
import { bitRange, bitopInto, countBits, findBit, useWasmKernels } from '../../src/server/datatypes/structures/bit-string.js';
import { ByteEditor, ByteStringEditor } from '../../src/server/datatypes/structures/byte-editor.js';
import { CHUNK } from '../../src/server/datatypes/structures/byte-scratch.js';
import { ByteString, type StringValue } from '../../src/server/datatypes/structures/byte-string.js';

/** The value as a ByteString whose spare capacity is garbage (a kernel must never read it). */
function asBytes(s: string, spare = 13): ByteString {
  const b = ByteString.fromText(s, s.length + spare);
  b.buf.fill(0xa5, s.length);
  return b;
}

/** BITOP's result as a string, computed into fresh memory. */
function bitopResult(op: BitOp, srcs: readonly StringValue[], len: number): string {
  const out = Buffer.allocUnsafeSlow(len + 5).fill(0x5a);
  bitopInto(op, srcs, len, out);
  return out.toString('latin1', 0, len);
}

const bitAt = (s: string, i: number): number => (i >>> 3 < s.length ? (s.charCodeAt(i >>> 3) >> (7 - (i & 7))) & 1 : 0);

const binary = (max: number): fc.Arbitrary<string> =>
  fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a).toString('latin1'));

/** Mostly-uniform strings, so runs of 0x00 / 0xff exercise the word-skipping paths. */
const runs = (max: number): fc.Arbitrary<string> =>
  fc
    .array(fc.record({ byte: fc.constantFrom(0, 0xff, 0x01, 0x80, 0x7f), len: fc.integer({ min: 0, max: 40 }) }), { maxLength: max })
    .map((parts) => parts.map((p) => String.fromCharCode(p.byte).repeat(p.len)).join(''));

const value = fc.oneof(binary(80), runs(12));

describe.each([
  ['WebAssembly', true],
  ['JavaScript', false],
])('bit kernels (%s) vs a bit-by-bit model', (_name, wasm) => {
  beforeAll(() => useWasmKernels(wasm));
  afterAll(() => useWasmKernels(true));

  it('countBits and findBit over every valid range', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.nat(), fc.boolean(), (s, a, b, bytes) => {
        if (s.length === 0) return;
        const total = s.length * 8;
        const lo = Math.min(a % total, b % total);
        const hi = Math.max(a % total, b % total);
        let count = 0;
        let first0 = -1;
        let first1 = -1;
        for (let i = lo; i <= hi; i++) {
          const v = bitAt(s, i);
          count += v;
          if (v === 0 && first0 < 0) first0 = i;
          if (v === 1 && first1 < 0) first1 = i;
        }
        const v = bytes ? asBytes(s) : s;
        expect(countBits(v, lo, hi)).toBe(count);
        expect(findBit(v, lo, hi, 0)).toBe(first0);
        expect(findBit(v, lo, hi, 1)).toBe(first1);
      }),
      { numRuns: 500 },
    );
  });

  it('findBit never reads before its range (a scan that ends before a word boundary)', () => {
    // Byte 4 holds the only set bit, at bit 32; the range starts at bit 33, so bytes 5 and 6 are
    // scanned between the edge bytes 4 and 7, and the scan stops at byte 7, inside word 1.
    const s = '\u0000\u0000\u0000\u0000\u0080\u0000\u0000\u0000';
    for (const v of [s, asBytes(s)]) {
      expect(findBit(v, 33, 63, 1)).toBe(-1);
      expect(findBit(v, 32, 63, 1)).toBe(32);
    }
  });

  it('bitRange normalises like Redis (negative from the end, clamped, empty when start > end)', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.integer({ min: -500, max: 500 }), fc.integer({ min: -500, max: 500 }), fc.boolean(), (len, start, end, isBit) => {
        const total = isBit ? len * 8 : len;
        let s = start < 0 ? total + start : start;
        let e = end < 0 ? total + end : end;
        s = Math.max(0, s);
        e = Math.min(Math.max(0, e), total - 1);
        const r = bitRange(len, start, end, isBit);
        if (s > e) expect(r).toBeNull();
        else expect(r).toEqual(isBit ? [s, e] : [s * 8, e * 8 + 7]);
      }),
    );
  });

  it('bitopResult matches byte-wise AND/OR/XOR/NOT with zero padding', () => {
    fc.assert(
      fc.property(fc.constantFrom(BitOp.AND, BitOp.OR, BitOp.XOR, BitOp.NOT), fc.array(fc.tuple(value, fc.boolean()), { minLength: 1, maxLength: 5 }), (op, pairs) => {
        const srcs = pairs.map(([s]) => s);
        const inputs = op === BitOp.NOT ? srcs.slice(0, 1) : srcs;
        const len = Math.max(...inputs.map((x) => x.length));
        if (len === 0) return;
        let expected = '';
        for (let i = 0; i < len; i++) {
          const byte = (x: string): number => (i < x.length ? x.charCodeAt(i) : 0);
          let out = byte(inputs[0]!);
          if (op === BitOp.NOT) out = ~out & 0xff;
          for (const x of inputs.slice(1)) out = op === BitOp.AND ? out & byte(x) : op === BitOp.OR ? out | byte(x) : out ^ byte(x);
          expected += String.fromCharCode(out);
        }
        const mixed = inputs.map((s, i) => (pairs[i]![1] ? asBytes(s) : s));
        expect(bitopResult(op, inputs, len)).toBe(expected);
        expect(bitopResult(op, mixed, len)).toBe(expected);
        // Into the first source's own memory (BITOP dest src …): grown to len first, as bitmap.ts does.
        const first = asBytes(inputs[0]!, len);
        bitopInto(op, [first, ...mixed.slice(1)], len, first.buf);
        expect(first.buf.toString('latin1', 0, len)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('values larger than one scratch window count, search and combine across windows', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3 * CHUNK * 8 - 1), { minLength: 1, maxLength: 6 }), fc.nat(), (setBits, cut) => {
        const bytes = Buffer.alloc(2 * CHUNK + 13);
        for (const b of setBits) if (b >>> 3 < bytes.length) bytes[b >>> 3]! |= 0x80 >> (b & 7);
        const s = bytes.toString('latin1');
        const total = s.length * 8;
        const lo = cut % total;
        const inRange = [...new Set(setBits.filter((b) => b >= lo && b < total))].sort((x, y) => x - y);
        expect(countBits(s, lo, total - 1)).toBe(inRange.length);
        expect(findBit(s, lo, total - 1, 1)).toBe(inRange.length > 0 ? inRange[0] : -1);
        expect(countBits(asBytes(s), lo, total - 1)).toBe(inRange.length);
        expect(findBit(asBytes(s), lo, total - 1, 1)).toBe(inRange.length > 0 ? inRange[0] : -1);
        const not = bitopResult(BitOp.NOT, [s], s.length);
        expect(findBit(not, lo, total - 1, 0)).toBe(inRange.length > 0 ? inRange[0] : -1);
        expect(countBits(bitopResult(BitOp.XOR, [s, not], s.length), 0, total - 1)).toBe(total);
      }),
      { numRuns: 8 },
    );
  });
});

describe('byte editors vs an array model', () => {
  const edits = fc.array(fc.record({ i: fc.nat(), b: fc.nat(255) }), { maxLength: 30 });

  it('strings (scratch copy) and ByteStrings (in place) give the edited, zero-padded value', () => {
    fc.assert(
      fc.property(fc.boolean(), binary(40), fc.nat(60), edits, (bytes, base, grow, ops) => {
        const s = bytes ? base + '\x07'.repeat(5000) : base;
        const length = s.length + grow;
        if (length === 0) return;
        const model = Buffer.alloc(length);
        model.write(s, 0, 'latin1');
        let ed: ByteEditor | ByteStringEditor;
        if (bytes) {
          const b = asBytes(s);
          b.growZero(length);
          ed = new ByteStringEditor(b);
        } else {
          ed = new ByteEditor(s, length);
        }
        for (const { i, b } of ops) {
          const at = i % length;
          expect(ed.get(at)).toBe(model[at]);
          ed.set(at, b);
          model[at] = b;
        }
        expect(ed.get(length + 3)).toBe(0);
        const out = ed.result();
        const got = typeof out === 'string' ? Buffer.from(out, 'latin1') : out.bytes();
        expect(got.equals(model)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
