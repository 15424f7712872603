/**
 * The bitmap commands' work on whole string values, independent of the command layer: population
 * count and first-bit search over bit ranges, Redis's start/end normalisation, and BITOP's
 * combination. A value is either representation (byte-string.ts).
 *
 * Population count and BITOP run in the WebAssembly kernels (bit-wasm.ts: hardware popcount,
 * 128-bit SIMD) on windows of the value copied into the module's memory; without WebAssembly
 * (node --jitless), and for short ranges, the JavaScript word kernels (bit-ops.ts) do it. The
 * first-bit search scans a ByteString in its own memory, or windows of a string copied into
 * scratch memory. Every path works window by window, so any value size costs bounded memory.
 */

import { BITS_IN_BYTE, BitOp, combineByte, combineWords, firstBit, invertWords, popcountBitsOfByte, popcountWords } from './bit-ops.js';
import { wordsOf, type StringValue } from './byte-string.js';
import { CHUNK, Slot, byteWindow, slotWords, writeLatin1 } from './byte-scratch.js';
import { PAD, SRC_AT, WINDOW, bitKernels, type BitKernels } from './bit-wasm.js';

/** Ranges shorter than this stay in JavaScript (a kernel call and copy would cost more). */
const WASM_MIN = 64;
let wasmEnabled = true;

/** Tests: run everything on the JavaScript kernels (false) or the WebAssembly ones where they apply. */
export function useWasmKernels(on: boolean): void {
  wasmEnabled = on;
}

function kernelsFor(bytes: number): BitKernels | null {
  return wasmEnabled && bytes >= WASM_MIN ? bitKernels() : null;
}

/**
 * Copies v[from, from + n) into the kernels' memory at `at` (bytes past the value's end as zero)
 * and zero-fills up to `padded`.
 */
function load(k: BitKernels, v: StringValue, from: number, n: number, at: number, padded: number): void {
  const len = typeof v === 'string' ? v.length : v.len;
  const avail = Math.max(0, Math.min(n, len - from));
  if (avail > 0) {
    if (typeof v !== 'string') v.buf.copy(k.mem, at, from, from + avail);
    else writeLatin1(k.mem, from === 0 && avail === len ? v : v.substring(from, from + avail), at);
  }
  if (avail < padded) k.mem.fill(0, at + avail, at + padded);
}

const roundPad = (n: number): number => (n + PAD - 1) & ~(PAD - 1);

/**
 * Calls `fn(buf, words, lo, hi, base)` over the bytes [from, to) of `v` (from < to ≤ length):
 * buf[lo, hi) are those bytes, buf[0] is byte `base` of the value, and `words` is the 32-bit
 * view of buf's memory. Stops early when `fn` returns true.
 */
function scan(v: StringValue, from: number, to: number, fn: (buf: Buffer, words: Int32Array, lo: number, hi: number, base: number) => boolean): void {
  if (typeof v !== 'string') {
    fn(v.buf, wordsOf(v), from, to, 0);
    return;
  }
  for (let p = from; p < to; p += CHUNK) {
    const n = Math.min(CHUNK, to - p);
    const buf = byteWindow(v, p, n, Slot.A);
    if (fn(buf, slotWords(Slot.A), 0, n, p)) return;
  }
}

/** Byte i of the value (i within it). */
function byteAt(v: StringValue, i: number): number {
  return typeof v === 'string' ? v.charCodeAt(i) : v.buf[i]!;
}

/** Set bits in buf[lo, hi): bytes up to a word boundary, whole words, then the tail bytes. */
function countRange(buf: Buffer, w: Int32Array, lo: number, hi: number): number {
  let bits = 0;
  let i = lo;
  while (i < hi && i & 3) bits += BITS_IN_BYTE[buf[i++]!]!;
  const wEnd = hi >>> 2;
  if (wEnd > i >>> 2) {
    bits += popcountWords(w, i >>> 2, wEnd);
    i = wEnd * 4;
  }
  while (i < hi) bits += BITS_IN_BYTE[buf[i++]!]!;
  return bits;
}

/** Set bits in bytes [from, to) of `v`. */
export function countBytes(v: StringValue, from: number, to: number): number {
  let bits = 0;
  const k = kernelsFor(to - from);
  if (k !== null) {
    for (let p = from; p < to; p += WINDOW) {
      const n = Math.min(WINDOW, to - p);
      const padded = roundPad(n);
      load(k, v, p, n, 0, padded);
      bits += k.popcnt(0, padded);
    }
    return bits;
  }
  if (from < to)
    scan(v, from, to, (buf, w, lo, hi) => {
      bits += countRange(buf, w, lo, hi);
      return false;
    });
  return bits;
}

/** Set bits of `v` from bit `startBit` to bit `endBit` inclusive (both within the value). */
export function countBits(v: StringValue, startBit: number, endBit: number): number {
  const sb = Math.floor(startBit / 8);
  const eb = Math.floor(endBit / 8);
  if (sb === eb) return popcountBitsOfByte(byteAt(v, sb), startBit % 8, endBit % 8);
  let bits = popcountBitsOfByte(byteAt(v, sb), startBit % 8, 7) + popcountBitsOfByte(byteAt(v, eb), 0, endBit % 8);
  if (eb > sb + 1) bits += countBytes(v, sb + 1, eb);
  return bits;
}

/** First bit equal to `bit` among bits lo..hi of byte `b` (0 = most significant), or -1. */
function firstBitInByte(b: number, lo: number, hi: number, bit: 0 | 1): number {
  const mask = (0xff >>> lo) & (0xff << (7 - hi)) & 0xff;
  const x = (bit === 1 ? b : ~b) & mask;
  return x === 0 ? -1 : Math.clz32(x) - 24;
}

/** Position of the first bit equal to `bit` between bits `startBit` and `endBit` of `v`, or -1. */
export function findBit(v: StringValue, startBit: number, endBit: number, bit: 0 | 1): number {
  const sb = Math.floor(startBit / 8);
  const eb = Math.floor(endBit / 8);
  let pos = firstBitInByte(byteAt(v, sb), startBit % 8, sb === eb ? endBit % 8 : 7, bit);
  if (pos >= 0) return sb * 8 + pos;
  if (sb === eb) return -1;
  if (eb > sb + 1)
    scan(v, sb + 1, eb, (buf, w, lo, hi, base) => {
      const at = firstBit(buf, w, lo, hi, bit);
      if (at >= 0) pos = base * 8 + at;
      return at >= 0;
    });
  if (pos >= 0) return pos;
  pos = firstBitInByte(byteAt(v, eb), 0, endBit % 8, bit);
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

/** Copies the first `n` bytes of `v` to out[0, n) (nothing when `v` is out's own memory). */
function copyStart(v: StringValue, out: Buffer, n: number): void {
  if (n === 0) return;
  if (typeof v === 'string') writeLatin1(out, v, 0);
  else if (v.buf !== out) v.buf.copy(out, 0, 0, n);
}

/** out[0, n) = out[0, n) op v[0, n), for a source at least `n` bytes long. */
function combineSource(op: BitOp, out: Buffer, ow: Int32Array, v: StringValue, n: number): void {
  if (typeof v !== 'string') {
    const nw = n >>> 2;
    combineWords(op, ow, 0, wordsOf(v), nw);
    for (let i = nw * 4; i < n; i++) out[i] = combineByte(op, out[i]!, v.buf[i]!);
    return;
  }
  for (let p = 0; p < n; p += CHUNK) {
    const m = Math.min(CHUNK, n - p);
    const win = byteWindow(v, p, m, Slot.B);
    const mw = m >>> 2;
    combineWords(op, ow, p >>> 2, slotWords(Slot.B), mw);
    for (let i = mw * 4; i < m; i++) out[p + i] = combineByte(op, out[p + i]!, win[i]!);
  }
}

/**
 * BITOP: out[0, len) = op over `srcs`, each zero-padded to `len` (the longest). `out` holds at
 * least `len` bytes, starts at offset 0 of its memory and may be the memory of srcs[0] (never of
 * another source). Each byte is written once before it is combined: no zero-fill of the whole.
 */
export function bitopInto(op: BitOp, srcs: readonly StringValue[], len: number, out: Buffer): void {
  const k = kernelsFor(len);
  if (k !== null) return bitopWasm(k, op, srcs, len, out);
  const ow = new Int32Array(out.buffer, out.byteOffset, out.length >>> 2);
  const first = srcs[0]!;
  const n0 = typeof first === 'string' ? first.length : first.len;
  copyStart(first, out, n0);
  if (n0 < len) out.fill(0, n0, len);
  if (op === BitOp.NOT) {
    const nw = len >>> 2;
    invertWords(ow, 0, nw);
    for (let i = nw * 4; i < len; i++) out[i] = ~out[i]! & 0xff;
    return;
  }
  for (let k = 1; k < srcs.length; k++) {
    const v = srcs[k]!;
    const n = typeof v === 'string' ? v.length : v.len;
    combineSource(op, out, ow, v, n);
    if (op === BitOp.AND && n < len) out.fill(0, n, len);
  }
}

/** bitopInto on the WebAssembly kernels: each window of the result built in OUT, then copied out. */
function bitopWasm(k: BitKernels, op: BitOp, srcs: readonly StringValue[], len: number, out: Buffer): void {
  for (let p = 0; p < len; p += WINDOW) {
    const n = Math.min(WINDOW, len - p);
    const padded = roundPad(n);
    load(k, srcs[0]!, p, n, 0, padded);
    if (op === BitOp.NOT) k.not(0, padded);
    for (let j = 1; j < srcs.length; j++) {
      const v = srcs[j]!;
      // A source that ended before this window: zeros, which change nothing but an AND.
      if ((typeof v === 'string' ? v.length : v.len) <= p && op !== BitOp.AND) continue;
      load(k, v, p, n, SRC_AT, padded);
      k.combine(op, 0, SRC_AT, padded);
    }
    k.mem.copy(out, p, 0, n);
  }
}
