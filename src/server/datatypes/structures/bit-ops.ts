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

/** Set bits in the first `n` 32-bit words of `w`. */
export function popcountWords(w: Int32Array, n: number): number {
  let bits = 0;
  let i = 0;
  const n3 = n - (n % 3);
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
 * Position (in bits from the start of `buf`) of the first bit equal to `bit` within bytes
 * [from, to) of `buf`, or -1. `w` is the 32-bit view of the same memory.
 */
export function firstBit(buf: Buffer, w: Int32Array, from: number, to: number, bit: 0 | 1): number {
  const skip = bit === 1 ? 0 : 0xff;
  let i = from;
  while (i < to && i & 3) {
    if (buf[i] !== skip) return i * 8 + firstBitOfByte(buf[i]!, bit);
    i++;
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

/** out[i] = out[i] op src[i] for the first `n` words (AND, OR or XOR); unrolled by four. */
export function combineWords(op: BitOp, out: Int32Array, src: Int32Array, n: number): void {
  const n4 = n - (n & 3);
  let i = 0;
  if (op === BitOp.AND) {
    for (; i < n4; i += 4) {
      out[i] = out[i]! & src[i]!;
      out[i + 1] = out[i + 1]! & src[i + 1]!;
      out[i + 2] = out[i + 2]! & src[i + 2]!;
      out[i + 3] = out[i + 3]! & src[i + 3]!;
    }
    for (; i < n; i++) out[i] = out[i]! & src[i]!;
  } else if (op === BitOp.OR) {
    for (; i < n4; i += 4) {
      out[i] = out[i]! | src[i]!;
      out[i + 1] = out[i + 1]! | src[i + 1]!;
      out[i + 2] = out[i + 2]! | src[i + 2]!;
      out[i + 3] = out[i + 3]! | src[i + 3]!;
    }
    for (; i < n; i++) out[i] = out[i]! | src[i]!;
  } else {
    for (; i < n4; i += 4) {
      out[i] = out[i]! ^ src[i]!;
      out[i + 1] = out[i + 1]! ^ src[i + 1]!;
      out[i + 2] = out[i + 2]! ^ src[i + 2]!;
      out[i + 3] = out[i + 3]! ^ src[i + 3]!;
    }
    for (; i < n; i++) out[i] = out[i]! ^ src[i]!;
  }
}

/** out[i] = ~out[i] for the first `n` words. */
export function invertWords(out: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = ~out[i]!;
}
