/**
 * Word-at-a-time bit kernels over byte windows (see byte-scratch.ts): population count, first set
 * or clear bit, and the AND/OR/XOR/NOT combination of BITOP. Bits are numbered as Redis numbers
 * them: bit 0 is the most significant bit of byte 0.
 *
 * Population count is the SWAR method (Hacker's Delight 5-1) on 32-bit words, three words at a
 * time with per-byte partial sums accumulated over ten rounds before the horizontal add, so a
 * megabyte costs a few hundred microseconds without any per-bit or per-byte loop.
 */

/** Set bits in each byte value. */
export const BITS_IN_BYTE = new Uint8Array(256);
for (let i = 1; i < 256; i++) BITS_IN_BYTE[i] = (i & 1) + BITS_IN_BYTE[i >> 1]!;

function popcount32(v: number): number {
  v = (v - ((v >>> 1) & 0x55555555)) | 0;
  v = ((v & 0x33333333) + ((v >>> 2) & 0x33333333)) | 0;
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Set bits in the 32-bit words [from, to) of `w`. */
export function popcountWords(w: Int32Array, from: number, to: number): number {
  let bits = 0;
  let i = from;
  const n = to;
  const n3 = to - ((to - from) % 3);
  while (i < n3) {
    // Ten rounds of three words: each byte of acc sums at most 10 * 24 = 240 bits, no carry out.
    const stop = Math.min(n3, i + 30);
    let acc = 0;
    for (; i < stop; i += 3) {
      let x = w[i]!;
      let y = w[i + 1]!;
      let z = w[i + 2]!;
      x = (x - ((x >>> 1) & 0x55555555)) | 0;
      y = (y - ((y >>> 1) & 0x55555555)) | 0;
      z = (z - ((z >>> 1) & 0x55555555)) | 0;
      // Nibble sums of the three words: at most 12 each, no carry between nibbles.
      const s =
        ((x & 0x33333333) + ((x >>> 2) & 0x33333333) + (y & 0x33333333) + ((y >>> 2) & 0x33333333) + (z & 0x33333333) + ((z >>> 2) & 0x33333333)) | 0;
      acc = (acc + (s & 0x0f0f0f0f) + ((s >>> 4) & 0x0f0f0f0f)) | 0;
    }
    const t = (acc & 0x00ff00ff) + ((acc >>> 8) & 0x00ff00ff);
    bits += (t & 0xffff) + (t >>> 16);
  }
  for (; i < n; i++) bits += popcount32(w[i]!);
  return bits;
}

/** Set bits of the byte `b` between bit positions `from` and `to` inclusive (0 = most significant). */
export function popcountBitsOfByte(b: number, from: number, to: number): number {
  const mask = (0xff >>> from) & (0xff << (7 - to)) & 0xff;
  return BITS_IN_BYTE[b & mask]!;
}

/**
 * Run lengths BITPOS skips at memcmp speed, longest first. A run of bytes all equal to its first
 * is found by comparing the run with itself shifted by one byte (Buffer#compare is memcmp; the
 * second read hits the cache), so no constant buffer of the run's size is needed.
 */
const SKIP_RUNS = [1 << 20, 1 << 14];

/**
 * Position (in bits from the start of `buf`) of the first bit equal to `bit` within bytes
 * [from, to) of `buf`, or -1. `w` is the 32-bit view of the same memory. Long runs of bytes
 * without such a bit (all clear looking for a 1, all set looking for a 0) are skipped a run at a
 * time (SKIP_RUNS), then the rest 32 bits at a time.
 */
export function firstBit(buf: Buffer, w: Int32Array, from: number, to: number, bit: 0 | 1): number {
  const skip = bit === 1 ? 0 : 0xff;
  let i = from;
  while (i < to && i & 3) {
    if (buf[i] !== skip) return i * 8 + firstBitOfByte(buf[i]!, bit);
    i++;
  }
  // Ended before a word boundary: the word loop below would start back at the word's first byte,
  // before `from`.
  if (i >= to) return -1;
  for (const run of SKIP_RUNS) {
    while (to - i >= run && buf[i] === skip && buf.compare(buf, i + 1, i + run, i, i + run - 1) === 0) i += run;
  }
  const skipWord = bit === 1 ? 0 : -1;
  let wi = i >>> 2;
  const wEnd = to >>> 2;
  while (wi < wEnd && w[wi] === skipWord) wi++;
  for (i = wi * 4; i < to; i++) {
    if (buf[i] !== skip) return i * 8 + firstBitOfByte(buf[i]!, bit);
  }
  return -1;
}

/** Index (0 = most significant) of the first bit equal to `bit` in a byte that has one. */
function firstBitOfByte(b: number, bit: 0 | 1): number {
  return Math.clz32(bit === 1 ? b & 0xff : ~b & 0xff) - 24;
}

export const BitOp = { AND: 0, OR: 1, XOR: 2, NOT: 3 } as const;
export type BitOp = (typeof BitOp)[keyof typeof BitOp];

/**
 * out[at + i] = out[at + i] op src[i] for i < n (AND, OR or XOR): `src` is a view starting where
 * the words combined start. One tight loop per operation (the JIT keeps each monomorphic).
 */
export function combineWords(op: BitOp, out: Int32Array, at: number, src: Int32Array, n: number): void {
  const dst = at === 0 && out.length === n ? out : out.subarray(at, at + n);
  if (op === BitOp.AND) {
    for (let i = 0; i < n; i++) dst[i] &= src[i]!;
  } else if (op === BitOp.OR) {
    for (let i = 0; i < n; i++) dst[i] |= src[i]!;
  } else {
    for (let i = 0; i < n; i++) dst[i] ^= src[i]!;
  }
}

/** out[i] = ~out[i] for the words [from, to). */
export function invertWords(out: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = ~out[i]!;
}

/** The byte `a op b` (AND, OR or XOR). */
export function combineByte(op: BitOp, a: number, b: number): number {
  return op === BitOp.AND ? a & b : op === BitOp.OR ? a | b : a ^ b;
}
