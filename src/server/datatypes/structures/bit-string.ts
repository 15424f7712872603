/**
 * The bitmap commands' work on whole string values (latin1, one char per byte), independent of
 * the command layer: population count and first-bit search over bit ranges, Redis's start/end
 * normalisation, and BITOP's result. Values are walked in windows of at most CHUNK bytes copied
 * into scratch memory, so any value size costs bounded memory.
 */

import { BitOp, combineWords, firstBit, invertWords, popcountBitsOfByte, popcountWords } from './bit-ops.js';
import { CHUNK, Slot, byteWindow, latin1, scratch, slotWords, writeLatin1 } from './byte-scratch.js';

/** Set bits in bytes [from, to) of `s`. */
export function countBytes(s: string, from: number, to: number): number {
  let bits = 0;
  for (let p = from; p < to; p += CHUNK) {
    const n = Math.min(CHUNK, to - p);
    byteWindow(s, p, n, Slot.A);
    bits += popcountWords(slotWords(Slot.A), (n + 3) >>> 2);
  }
  return bits;
}

/** Set bits of `s` from bit `startBit` to bit `endBit` inclusive (both within the string). */
export function countBits(s: string, startBit: number, endBit: number): number {
  const sb = Math.floor(startBit / 8);
  const eb = Math.floor(endBit / 8);
  if (sb === eb) return popcountBitsOfByte(s.charCodeAt(sb), startBit % 8, endBit % 8);
  let bits = popcountBitsOfByte(s.charCodeAt(sb), startBit % 8, 7) + popcountBitsOfByte(s.charCodeAt(eb), 0, endBit % 8);
  if (eb > sb + 1) bits += countBytes(s, sb + 1, eb);
  return bits;
}

/** First bit equal to `bit` among bits lo..hi of byte `b` (0 = most significant), or -1. */
function firstBitInByte(b: number, lo: number, hi: number, bit: 0 | 1): number {
  const mask = (0xff >>> lo) & (0xff << (7 - hi)) & 0xff;
  const x = (bit === 1 ? b : ~b) & mask;
  return x === 0 ? -1 : Math.clz32(x) - 24;
}

/** Position of the first bit equal to `bit` between bits `startBit` and `endBit` of `s`, or -1. */
export function findBit(s: string, startBit: number, endBit: number, bit: 0 | 1): number {
  const sb = Math.floor(startBit / 8);
  const eb = Math.floor(endBit / 8);
  let pos = firstBitInByte(s.charCodeAt(sb), startBit % 8, sb === eb ? endBit % 8 : 7, bit);
  if (pos >= 0) return sb * 8 + pos;
  if (sb === eb) return -1;
  for (let p = sb + 1; p < eb; p += CHUNK) {
    const n = Math.min(CHUNK, eb - p);
    const buf = byteWindow(s, p, n, Slot.A);
    pos = firstBit(buf, slotWords(Slot.A), 0, n, bit);
    if (pos >= 0) return p * 8 + pos;
  }
  pos = firstBitInByte(s.charCodeAt(eb), 0, endBit % 8, bit);
  return pos >= 0 ? eb * 8 + pos : -1;
}

/**
 * Redis's start/end normalisation for BITCOUNT/BITPOS over a value of `len` bytes: the inclusive
 * bit range, or null when it is empty.
 */
export function bitRange(len: number, start: number, end: number, isBit: boolean): [number, number] | null {
  const total = isBit ? len * 8 : len;
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (start > end) return null;
  return isBit ? [start, end] : [start * 8, end * 8 + 7];
}

/** The result of `op` over `srcs` (zero-padded to the longest, `len` bytes). */
export function bitopResult(op: BitOp, srcs: readonly string[], len: number): string {
  const padded = (len + 7) & ~7;
  const out = len <= CHUNK ? scratch(Slot.OUT, padded) : Buffer.allocUnsafeSlow(padded);
  for (let p = 0; p < len; p += CHUNK) {
    const n = Math.min(CHUNK, len - p);
    const nb = (n + 7) & ~7;
    const first = srcs[0]!;
    const avail = Math.max(0, Math.min(n, first.length - p));
    if (avail > 0) writeLatin1(out, avail === first.length ? first : first.substring(p, p + avail), p);
    if (avail < nb) out.fill(0, p + avail, p + nb);
    const w = new Int32Array(out.buffer, out.byteOffset + p, nb >>> 2);
    if (op === BitOp.NOT) invertWords(w, nb >>> 2);
    for (let k = 1; k < srcs.length; k++) {
      byteWindow(srcs[k]!, p, n, Slot.B);
      combineWords(op, w, slotWords(Slot.B), nb >>> 2);
    }
  }
  return latin1(out, 0, len);
}
