/**
 * The sparse HyperLogLog encoding (Redis hyperloglog.c): after the 16-byte header, opcodes cover
 * the 16384 registers in order —
 *
 *   ZERO   00xxxxxx           1..64 registers at 0
 *   XZERO  01xxxxxx xxxxxxxx  1..16384 registers at 0
 *   VAL    1vvvvvxx           1..4 registers at value 1..32
 *
 * Updates follow Redis's hllSparseSet exactly (split the opcode covering the register, then merge
 * adjacent equal VALs within five opcodes), so the bytes produced are Redis's bytes; a value that
 * would need a register over 32, or grow past hll-sparse-max-bytes, is promoted to dense. A run
 * that does not add up to 16384 registers marks the value corrupted (Redis's INVALIDOBJ).
 */

import { HLL_DENSE, HLL_DENSE_SIZE, HLL_HDR_SIZE, HLL_REGISTERS, HllValue, denseSet, denseSetReg, invalidateCache } from './hll.js';

const VAL_MAX_VALUE = 32;
const VAL_MAX_LEN = 4;
const ZERO_MAX_LEN = 64;

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXZero = (op: number): boolean => (op & 0xc0) === 0x40;
const isVal = (op: number): boolean => (op & 0x80) !== 0;
const zeroLen = (op: number): number => (op & 0x3f) + 1;
const xzeroLen = (op: number, next: number): number => (((op & 0x3f) << 8) | next) + 1;
const valValue = (op: number): number => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number): number => (op & 0x3) + 1;
const valOp = (value: number, len: number): number => 0x80 | ((value - 1) << 2) | (len - 1);

/** Opcode kinds reported by walkOps. */
const Kind = { ZERO: 0, XZERO: 1, VAL: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/**
 * Visits the opcodes of a sparse value in order: `visit(kind, runlen, value)` (value 0 for ZERO
 * and XZERO); the walk stops early when `visit` returns false.
 */
function walkOps(h: HllValue, visit: (kind: Kind, runlen: number, value: number) => boolean): void {
  const b = h.buf;
  const end = h.len;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = b[p]!;
    let go: boolean;
    if (isZero(op)) {
      go = visit(Kind.ZERO, zeroLen(op), 0);
      p++;
    } else if (isXZero(op)) {
      go = visit(Kind.XZERO, xzeroLen(op, b[p + 1]!), 0);
      p += 2;
    } else {
      go = visit(Kind.VAL, valLen(op), valValue(op));
      p++;
    }
    if (!go) return;
  }
}

/**
 * Walks the runs of a sparse value: `visit(first, runlen, value)` for each (value 0 for zero
 * runs). Stops before a VAL run that would pass the last register, as Redis's register-writing
 * walks do. Returns the number of registers covered (HLL_REGISTERS when the value is well formed).
 */
export function forEachRun(h: HllValue, visit: (first: number, runlen: number, value: number) => void): number {
  let idx = 0;
  walkOps(h, (kind, n, v) => {
    if (kind === Kind.VAL && n + idx > HLL_REGISTERS) return false;
    visit(idx, n, v);
    idx += n;
    return true;
  });
  return idx;
}

/** hllSparseToDense: converts in place; false (value untouched) when the sparse data is corrupted. */
export function sparseToDense(h: HllValue): boolean {
  if (h.encoding === HLL_DENSE) return true;
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  h.buf.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  const covered = forEachRun(h, (first, n, v) => {
    if (v !== 0) for (let i = first; i < first + n; i++) denseSetReg(dense, HLL_HDR_SIZE, i, v);
  });
  if (covered !== HLL_REGISTERS) return false;
  h.buf = dense;
  h.len = HLL_DENSE_SIZE;
  return true;
}

/** The encoded opcode(s) of a zero run of `len` registers, appended to `seq`. */
function pushZeros(seq: number[], len: number): void {
  if (len > ZERO_MAX_LEN) seq.push(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
  else seq.push(len - 1);
}

/** Merges adjacent equal VAL opcodes, scanning up to five opcodes from `from` (Redis step 4). */
function mergeVals(h: HllValue, from: number): void {
  const b = h.buf;
  let end = h.len;
  let p = from;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const op = b[p]!;
    if (isXZero(op)) {
      p += 2;
      continue;
    }
    if (isZero(op)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(b[p + 1]!)) {
      const v = valValue(op);
      const len = valLen(op) + valLen(b[p + 1]!);
      if (v === valValue(b[p + 1]!) && len <= VAL_MAX_LEN) {
        b[p + 1] = valOp(v, len);
        b.copyWithin(p, p + 1, end);
        end--;
        h.setLen(end);
        continue;
      }
    }
    p++;
  }
}

/**
 * hllSparseSet: raises register `index` to `count`. 1 when the register changed (the value may
 * have been promoted to dense), 0 when not, -1 when the sparse data is corrupted.
 */
export function sparseSet(h: HllValue, index: number, count: number, maxBytes: number): number {
  if (count > VAL_MAX_VALUE) return promote(h, index, count);
  h.ensure(3);
  const b = h.buf;
  const end = h.len;
  // Step 1: the opcode covering `index`, its first register and the previous opcode.
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = b[p]!;
    let oplen = 1;
    if (isZero(op)) span = zeroLen(op);
    else if (isVal(op)) span = valLen(op);
    else {
      span = xzeroLen(op, b[p + 1]!);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = b[p]!;
  const next = isXZero(op) ? p + 2 : p + 1;
  // Step 2: the trivial cases.
  if (isVal(op)) {
    if (valValue(op) >= count) return 0;
    if (valLen(op) === 1) {
      b[p] = valOp(count, 1);
      return updated(h, prev);
    }
  }
  if (isZero(op) && zeroLen(op) === 1) {
    b[p] = valOp(count, 1);
    return updated(h, prev);
  }
  // The general case: split the opcode into up to three (at most five bytes).
  const last = first + span - 1;
  const seq: number[] = [];
  if (isVal(op)) {
    const cur = valValue(op);
    if (index !== first) seq.push(valOp(cur, index - first));
    seq.push(valOp(count, 1));
    if (index !== last) seq.push(valOp(cur, last - index));
  } else {
    if (index !== first) pushZeros(seq, index - first);
    seq.push(valOp(count, 1));
    if (index !== last) pushZeros(seq, last - index);
  }
  // Step 3: replace the old opcode with the sequence.
  const delta = seq.length - (isXZero(op) ? 2 : 1);
  if (delta > 0 && h.len + delta > maxBytes) return promote(h, index, count);
  if (delta !== 0 && next < end) b.copyWithin(next + delta, next, end);
  h.setLen(h.len + delta);
  for (let i = 0; i < seq.length; i++) b[p + i] = seq[i]!;
  return updated(h, prev);
}

function updated(h: HllValue, prev: number): number {
  mergeVals(h, prev >= 0 ? prev : HLL_HDR_SIZE);
  invalidateCache(h);
  return 1;
}

function promote(h: HllValue, index: number, count: number): number {
  if (!sparseToDense(h)) return -1;
  denseSet(h.buf, index, count);
  return 1;
}

/** Registers of a sparse value into `histo`; false when the runs do not cover 16384 registers. */
export function sparseHistogram(h: HllValue, histo: Int32Array): boolean {
  // Unlike the walks that write registers, the histogram sums every run (as Redis's does), so a
  // corrupted value is caught by the total only.
  let idx = 0;
  walkOps(h, (_kind, n, v) => {
    histo[v] = histo[v]! + n;
    idx += n;
    return true;
  });
  return idx === HLL_REGISTERS;
}

/** PFDEBUG DECODE's text: `z:<n>`, `Z:<n>`, `v:<value>,<n>` separated by spaces. */
export function sparseDecode(h: HllValue): string {
  const parts: string[] = [];
  walkOps(h, (kind, n, v) => {
    parts.push(kind === Kind.ZERO ? `z:${n}` : kind === Kind.XZERO ? `Z:${n}` : `v:${v},${n}`);
    return true;
  });
  return parts.join(' ');
}
