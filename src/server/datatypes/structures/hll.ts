/**
 * Redis's HyperLogLog string representation (hyperloglog.c), byte for byte, so values move
 * between redis-server and this node (GET on one, SET on the other) and count the same:
 *
 *   "HYLL" | encoding (0 dense, 1 sparse) | 3 zero bytes | cached cardinality, 8 bytes little
 *   endian, the top bit set when stale | registers
 *
 * 16384 registers (P = 14) of 6 bits. Dense: 12288 bytes, register i at bit 6i, least
 * significant bits first. Sparse: run-length opcodes (hll-sparse.ts). The register for an element
 * and its value come from MurmurHash64A with Redis's seed. The cardinality estimate is Ertl's
 * improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
 * arXiv:1702.01284), as Redis 7 computes it, so counts are identical.
 *
 * HllValue is the mutable working copy of a value: `buf` has spare capacity and, like an sds
 * string, a zero byte at `len` (Redis's code reads one byte past the registers and relies on it).
 */

import { hashOut, murmurHash64A } from './murmur-hash64a.js';
import type { StringValue } from './byte-string.js';
import { writeLatin1 } from './byte-scratch.js';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
export const HLL_REGISTER_MAX = 63;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * 6 + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_SEED = 0xadc83b19;
const ALPHA_INF = 0.72134752044448170368;

export class HllValue {
  constructor(
    public buf: Buffer,
    public len: number,
  ) {}

  get encoding(): number {
    return this.buf[4]!;
  }

  /** Makes room for `extra` more bytes past `len` (plus the trailing zero byte). */
  ensure(extra: number): void {
    const need = this.len + extra + 1;
    if (need <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Sets the length, keeping the zero byte after it (sdsIncrLen). */
  setLen(len: number): void {
    this.len = len;
    this.buf[len] = 0;
  }
}

/** The working copy of a string value, with `spare` bytes of room. */
export function hllFromString(s: string, spare = 8): HllValue {
  const buf = Buffer.alloc(s.length + spare + 1);
  buf.write(s, 0, 'latin1');
  return new HllValue(buf, s.length);
}

export function hllToString(h: HllValue): string {
  return h.buf.toString('latin1', 0, h.len);
}

/** Byte i (< length) of a string value in either representation. */
function byteAt(v: StringValue, i: number): number {
  return typeof v === 'string' ? v.charCodeAt(i) : v.buf[i]!;
}

/** Redis's isHLLObjectOrReply test: header, known encoding, exact dense length. */
export function isHllString(v: StringValue): boolean {
  const len = typeof v === 'string' ? v.length : v.len;
  if (len < HLL_HDR_SIZE) return false;
  if (byteAt(v, 0) !== 72 || byteAt(v, 1) !== 89 || byteAt(v, 2) !== 76 || byteAt(v, 3) !== 76) return false;
  const enc = byteAt(v, 4);
  if (enc > HLL_SPARSE) return false;
  return enc !== HLL_DENSE || len === HLL_DENSE_SIZE;
}

/** An empty HLL: sparse, registers covered by XZERO opcodes of 16384. */
export function hllCreate(): HllValue {
  const h = new HllValue(Buffer.alloc(64), HLL_HDR_SIZE + 2);
  h.buf.write('HYLL', 0, 'latin1');
  h.buf[4] = HLL_SPARSE;
  // XZERO of 16384 registers: 01xxxxxx xxxxxxxx holding length - 1.
  h.buf[16] = 0x40 | ((HLL_REGISTERS - 1) >> 8);
  h.buf[17] = (HLL_REGISTERS - 1) & 0xff;
  return h;
}

/** The cached cardinality of a valid HLL value, or -1 when the cache is stale. */
export function cachedCard(v: StringValue): number {
  if (byteAt(v, 15) & 0x80) return -1;
  let card = 0;
  for (let i = 14; i >= 8; i--) card = card * 256 + byteAt(v, i);
  return card;
}

export function setCachedCard(h: HllValue, card: number): void {
  let v = card;
  for (let i = 8; i < 16; i++) {
    h.buf[i] = v % 256;
    v = Math.floor(v / 256);
  }
}

export function invalidateCache(h: HllValue): void {
  h.buf[15] = h.buf[15]! | 0x80;
}

/** Register `i` of dense registers starting at `base`. */
export function denseGet(b: Uint8Array, base: number, i: number): number {
  const byte = base + ((i * 6) >>> 3);
  const fb = (i * 6) & 7;
  return ((b[byte]! >>> fb) | (b[byte + 1]! << (8 - fb))) & HLL_REGISTER_MAX;
}

export function denseSetReg(b: Uint8Array, base: number, i: number, v: number): void {
  const byte = base + ((i * 6) >>> 3);
  const fb = (i * 6) & 7;
  const fb8 = 8 - fb;
  b[byte] = (b[byte]! & ~(HLL_REGISTER_MAX << fb)) | (v << fb);
  b[byte + 1] = (b[byte + 1]! & ~(HLL_REGISTER_MAX >>> fb8)) | (v >>> fb8);
}

/** hllDenseSet: raises register `i` to `count`; 1 when it changed. */
export function denseSet(b: Uint8Array, i: number, count: number): number {
  if (count <= denseGet(b, HLL_HDR_SIZE, i)) return 0;
  denseSetReg(b, HLL_HDR_SIZE, i, count);
  return 1;
}

let eleScratch = Buffer.alloc(256);

/**
 * hllPatLen of an element: its register index and the length of the 000…1 run of the rest of its
 * hash (1 to Q + 1), packed as index * 64 + count.
 */
export function patLen(ele: Uint8Array, len: number): number {
  murmurHash64A(ele, len, HLL_SEED);
  const { hi, lo } = hashOut;
  const index = lo & (HLL_REGISTERS - 1);
  // The hash shifted right by P, with bit Q set so the run ends: bits P..31 of lo, then of hi.
  const low = ((lo >>> HLL_P) | (hi << (32 - HLL_P))) >>> 0;
  let count: number;
  if (low !== 0) count = 32 - Math.clz32(low & -low);
  else {
    const high = hi >>> HLL_P;
    count = high !== 0 ? 32 + 32 - Math.clz32(high & -high) : HLL_Q + 1;
  }
  return index * 64 + count;
}

/** patLen of a string element (latin1 bytes). */
export function patLenOf(s: string): number {
  if (s.length > eleScratch.length) eleScratch = Buffer.alloc(s.length * 2);
  return patLen(eleScratch, writeLatin1(eleScratch, s, 0));
}

/**
 * Histogram of the registers' values (64 slots) of dense registers at `base`: four 6-bit registers
 * per three bytes, least significant bits first (as Redis's hllDenseRegHisto unrolls it).
 */
export function denseHistogram(b: Uint8Array, base: number, histo: Int32Array): void {
  const end = base + (HLL_REGISTERS * 6) / 8;
  for (let p = base; p < end; p += 3) {
    const b0 = b[p]!;
    const b1 = b[p + 1]!;
    const b2 = b[p + 2]!;
    histo[b0 & 63]!++;
    histo[((b0 >>> 6) | (b1 << 2)) & 63]!++;
    histo[((b1 >>> 4) | (b2 << 4)) & 63]!++;
    histo[b2 >>> 2]!++;
  }
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let zPrime: number;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let zPrime: number;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The cardinality estimate from a register histogram (Redis's hllCount after the histogram). */
export function estimate(histo: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += histo[j]!;
    z *= 0.5;
  }
  z += m * sigma(histo[0]! / m);
  return Math.round((ALPHA_INF * m * m) / z);
}
