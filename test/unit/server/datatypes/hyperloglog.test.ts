/**
 * HyperLogLog structures: MurmurHash64A against a BigInt transcription of the reference
 * algorithm, the register index / run length split, sparse and dense encodings estimating the same
 * after the same adds (and the sparse one promoting when it must), corrupted sparse data detected,
 * and the estimator's standard error: the RMS relative error over many independent sets stays
 * within 1.04/sqrt(16384) = 0.81%.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmurHash64A, hashOut } from '../../../../src/server/datatypes/structures/murmur-hash64a.js';
import {
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  HLL_HDR_SIZE,
  HllValue,
  denseGet,
  denseHistogram,
  denseSetReg,
  hllCreate,
  hllFromString,
  hllToString,
  isHllString,
  patLen,
  patLenOf,
} from '../../../../src/server/datatypes/structures/hll.js';
import { hllAddPat, hllCount } from '../../../../src/server/datatypes/structures/hll-ops.js';
import { sparseDecode, sparseToDense } from '../../../../src/server/datatypes/structures/hll-sparse.js';

const M = 0xc6a4a7935bd1e995n;
const MASK = (1n << 64n) - 1n;

/** MurmurHash64A, straight from the reference C, in BigInt arithmetic. */
function reference(data: Uint8Array, seed: number): bigint {
  const len = data.length;
  let h = (BigInt(seed) ^ (BigInt(len) * M)) & MASK;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(data[i + j]!);
    k = (k * M) & MASK;
    k ^= k >> 47n;
    k = (k * M) & MASK;
    h ^= k;
    h = (h * M) & MASK;
  }
  const rest = len & 7;
  for (let j = rest - 1; j >= 0; j--) h ^= BigInt(data[blocks + j]!) << BigInt(8 * j);
  if (rest > 0) h = (h * M) & MASK;
  h ^= h >> 47n;
  h = (h * M) & MASK;
  h ^= h >> 47n;
  return h;
}

/** A deterministic byte sequence (xorshift), so the test is reproducible. */
function bytes(seed: number, len: number): Uint8Array {
  let x = seed | 1;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function addAll(h: HllValue, elements: readonly string[], maxBytes = 3000): void {
  for (const e of elements) hllAddPat(h, patLenOf(e), maxBytes);
}

describe('MurmurHash64A', () => {
  it('matches the reference algorithm for every length 0..64 and many inputs', () => {
    for (let t = 0; t < 3000; t++) {
      const data = bytes(t + 1, t % 65);
      murmurHash64A(data, data.length, 0xadc83b19);
      expect((BigInt(hashOut.hi) << 32n) | BigInt(hashOut.lo)).toBe(reference(data, 0xadc83b19));
    }
  });

  it('patLen splits the hash into a register index and a 1..51 run length', () => {
    for (let t = 0; t < 2000; t++) {
      const data = bytes(t + 7, 1 + (t % 20));
      const pat = patLen(data, data.length);
      const h = reference(data, 0xadc83b19);
      expect(Math.floor(pat / 64)).toBe(Number(h & 0x3fffn));
      let rest = (h >> 14n) | (1n << 50n);
      let count = 1;
      while ((rest & 1n) === 0n) {
        count++;
        rest >>= 1n;
      }
      expect(pat % 64).toBe(count);
    }
  });
});

describe('HLL encodings', () => {
  it('a new HLL is the sparse value Redis creates', () => {
    const h = hllCreate();
    const s = hllToString(h);
    expect(s).toBe('HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff');
    expect(isHllString(s)).toBe(true);
    expect(sparseDecode(h)).toBe('Z:16384');
    expect(hllCount(h)).toBe(0);
  });

  it('sparse and dense estimate the same after the same adds; sparse promotes past hll-sparse-max-bytes', () => {
    for (const n of [1, 10, 100, 1000, 5000]) {
      const elements = Array.from({ length: n }, (_, i) => `el:${n}:${i}`);
      const sparse = hllCreate();
      addAll(sparse, elements);
      const dense = hllCreate();
      expect(sparseToDense(dense)).toBe(true);
      expect(dense.encoding).toBe(HLL_DENSE);
      addAll(dense, elements);
      expect(hllCount(sparse)).toBe(hllCount(dense));
      expect(sparse.encoding).toBe(n <= 1000 ? HLL_SPARSE : HLL_DENSE);
      if (sparse.encoding === HLL_SPARSE) expect(sparse.len).toBeLessThanOrEqual(3000);
      const promoted = hllFromString(hllToString(sparse));
      expect(sparseToDense(promoted)).toBe(true);
      expect(hllToString(promoted).slice(16)).toBe(hllToString(dense).slice(16));
      expect(promoted.len).toBe(HLL_DENSE_SIZE);
    }
  });

  it('the unrolled dense histogram counts what reading each register counts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 63 }), { minLength: HLL_REGISTERS, maxLength: HLL_REGISTERS }), (regs) => {
        const b = new Uint8Array(HLL_DENSE_SIZE + 1);
        regs.forEach((v, i) => denseSetReg(b, HLL_HDR_SIZE, i, v));
        const expected = new Int32Array(64);
        for (let i = 0; i < HLL_REGISTERS; i++) expected[denseGet(b, HLL_HDR_SIZE, i)]!++;
        const got = new Int32Array(64);
        denseHistogram(b, HLL_HDR_SIZE, got);
        expect([...got]).toEqual([...expected]);
        expect([...got]).toEqual([...regs.reduce((h, v) => (h[v]!++, h), new Int32Array(64))]);
      }),
      { numRuns: 30 },
    );
  });

  it('a sparse value whose runs do not cover 16384 registers is corrupted', () => {
    const h = hllCreate();
    addAll(h, ['a', 'b', 'c']);
    const extra = hllFromString(hllToString(h) + '\x00');
    expect(hllCount(extra)).toBe(-1);
    expect(sparseToDense(extra)).toBe(false);
    // Like Redis's hllSparseSet, an add only fails when no opcode covers its register.
    const truncated = hllFromString(hllToString(hllCreate()).slice(0, 16));
    expect(hllAddPat(truncated, patLenOf('zz'), 3000)).toBe(-1);
    const short = hllFromString(hllToString(h).slice(0, -1));
    expect(hllCount(short)).toBe(-1);
  });
});

describe('HLL standard error', () => {
  it('the RMS relative error over independent sets is within 0.81% (1.04/sqrt(m))', () => {
    for (const [n, sets] of [
      [20_000, 40],
      [100_000, 12],
    ] as const) {
      let squares = 0;
      for (let k = 0; k < sets; k++) {
        const h = hllCreate();
        for (let i = 0; i < n; i++) hllAddPat(h, patLenOf(`set${k}:${i}`), 3000);
        const err = (hllCount(h) - n) / n;
        squares += err * err;
      }
      const rms = Math.sqrt(squares / sets);
      expect(rms).toBeLessThanOrEqual(1.04 / Math.sqrt(HLL_REGISTERS));
    }
  });
});
