/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN] (Redis 7.0 t_string.c lcsCommand): the
 * longest common subsequence of two string values by the textbook dynamic programming table, with
 * Redis's memory guard (a table of (len1+1)·(len2+1) 32-bit cells larger than proto-max-bulk-len is
 * refused before anything is allocated) and its backtracking order, so the match ranges come out
 * exactly as Redis lists them (from the end of the strings backwards). The table itself is kept
 * in two bits per cell (see Table), and not at all for LEN.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType } from '../keyspace/entry.js';
import { stringOf, type StringValue } from '../keyspace/string-value.js';
import { latin1 } from './structures/byte-scratch.js';

interface LcsOptions {
  len: boolean;
  idx: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

/** A match: [aStart, aEnd, bStart, bEnd] (inclusive byte ranges). */
type Range = [number, number, number, number];

/** The two values ('' for missing keys), or null after replying the type error. */
function values(c: ClientContext, argv: string[]): [StringValue, StringValue] | null {
  const a = c.db.lookupRead(argv[1]!);
  const b = c.db.lookupRead(argv[2]!);
  if ((a !== undefined && a.type !== ValueType.STRING) || (b !== undefined && b.type !== ValueType.STRING)) {
    c.reply.error('ERR The specified keys must contain string values');
    return null;
  }
  return [a === undefined ? '' : stringOf(a), b === undefined ? '' : stringOf(b)];
}

/** The value's bytes (a copy of a string, a view of a ByteString). */
function bytesOf(v: StringValue): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v.bytes();
}

function options(c: ClientContext, argv: string[]): LcsOptions | null {
  const o: LcsOptions = { len: false, idx: false, withMatchLen: false, minMatchLen: 0 };
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (isWord(opt, 'idx')) o.idx = true;
    else if (isWord(opt, 'len')) o.len = true;
    else if (isWord(opt, 'withmatchlen')) o.withMatchLen = true;
    else if (isWord(opt, 'minmatchlen') && j + 1 < argv.length) {
      const n = parseInteger(argv[++j]!);
      if (n === null) {
        c.reply.error(R.NOT_INTEGER);
        return null;
      }
      o.minMatchLen = Math.max(0, n);
    } else {
      c.reply.error(R.SYNTAX);
      return null;
    }
  }
  if (o.len && o.idx) {
    c.reply.error('ERR If you want both the length and indexes, please just use IDX.');
    return null;
  }
  return o;
}

/**
 * The LCS table L(i, j) = LCS(a[0, i), b[0, j)) kept as two bit matrices, since neighbouring
 * cells differ by 0 or 1: bit (i, j) of `h` is L(i, j) − L(i, j−1) and of `v` is
 * L(i, j) − L(i−1, j). Two bits per cell instead of Redis's 32 (6 MB for two 5,000-byte values
 * instead of 100 MB, and as few fresh pages to fault in); the backtrack recovers every cell it
 * visits from the one it came from. Rows are `stride` 32-bit words (bit j of row i at word
 * i * stride + (j >>> 5)). Empty (length 0) when only the length was asked for.
 */
interface Table {
  h: Int32Array;
  v: Int32Array;
  stride: number;
  /** L(a.length, b.length). */
  len: number;
}

/**
 * Fills the table row by row with the textbook recurrence over two rows of lengths (the cell to
 * the left and the diagonal one kept in registers), packing each row's difference bits 32 at a
 * time. With `keep` false only the length is computed.
 */
function table(a: Buffer, b: Buffer, keep: boolean): Table {
  const m = b.length;
  const stride = keep ? (m >>> 5) + 1 : 0;
  const h = new Int32Array((a.length + 1) * stride);
  const v = new Int32Array((a.length + 1) * stride);
  let prev = new Uint32Array(m + 1);
  let cur = new Uint32Array(m + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    const base = i * stride;
    let left = 0;
    let diag = 0;
    let hw = 0;
    let vw = 0;
    for (let j = 1; j <= m; j++) {
      const up = prev[j]!;
      const val = ai === b[j - 1] ? diag + 1 : up > left ? up : left;
      cur[j] = val;
      if (keep) {
        const bit = 1 << (j & 31);
        if (val !== left) hw |= bit;
        if (val !== up) vw |= bit;
        if ((j & 31) === 31) {
          h[base + (j >>> 5)] = hw;
          v[base + (j >>> 5)] = vw;
          hw = vw = 0;
        }
      }
      left = val;
      diag = up;
    }
    if (keep && (m & 31) !== 31) {
      h[base + (m >>> 5)] = hw;
      v[base + (m >>> 5)] = vw;
    }
    [prev, cur] = [cur, prev];
  }
  return { h, v, stride, len: prev[m]! };
}

/** Bit (i, j) of a difference matrix. */
function diff(bits: Int32Array, t: Table, i: number, j: number): number {
  return (bits[i * t.stride + (j >>> 5)]! >>> (j & 31)) & 1;
}

/** Walks the table back from the end as Redis does: the LCS bytes and the match ranges. */
function backtrack(a: Buffer, b: Buffer, t: Table, minMatchLen: number): { lcs: Buffer; ranges: Range[] } {
  let idx = t.len;
  const lcs = Buffer.allocUnsafe(idx);
  const ranges: Range[] = [];
  const none = a.length; // "no range open", as Redis encodes it
  let as = none;
  let ae = 0;
  let bs = 0;
  let be = 0;
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      lcs[idx - 1] = a[i - 1]!;
      if (as === none) {
        as = ae = i - 1;
        bs = be = j - 1;
      } else if (as === i && bs === j) {
        as--;
        bs--;
      } else {
        emit = true;
      }
      if (as === 0 || bs === 0) emit = true;
      idx--; // a match is always the diagonal + 1: L(i−1, j−1) = idx
      i--;
      j--;
    } else {
      // L(i, j) = idx here (a step up or left keeps the length): Redis's LCS(i−1, j) > LCS(i, j−1).
      if (idx - diff(t.v, t, i, j) > idx - diff(t.h, t, i, j)) i--;
      else j--;
      if (as !== none) emit = true;
    }
    if (emit) {
      if (minMatchLen === 0 || ae - as + 1 >= minMatchLen) ranges.push([as, ae, bs, be]);
      as = none;
    }
  }
  return { lcs, ranges };
}

function replyIdx(c: ClientContext, ranges: readonly Range[], len: number, withMatchLen: boolean): void {
  c.reply.map(2);
  c.reply.bulk('matches');
  c.reply.array(ranges.length);
  for (const [as, ae, bs, be] of ranges) {
    c.reply.array(withMatchLen ? 3 : 2);
    c.reply.array(2);
    c.reply.integer(as);
    c.reply.integer(ae);
    c.reply.array(2);
    c.reply.integer(bs);
    c.reply.integer(be);
    if (withMatchLen) c.reply.integer(ae - as + 1);
  }
  c.reply.bulk('len');
  c.reply.integer(len);
}

function lcs(c: ClientContext, argv: string[]): void {
  const v = values(c, argv);
  if (v === null) return;
  const o = options(c, argv);
  if (o === null) return;
  const a = bytesOf(v[0]);
  const b = bytesOf(v[1]);
  const count = (a.length + 1) * (b.length + 1);
  if (count * 4 > c.server.config.int('proto-max-bulk-len')) {
    return c.reply.error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  let t: Table;
  try {
    t = table(a, b, !o.len || o.idx);
  } catch {
    return c.reply.error('ERR Insufficient memory, failed allocating transient memory for LCS');
  }
  const len = t.len;
  if (o.len && !o.idx) return c.reply.integer(len);
  const { lcs: bytes, ranges } = backtrack(a, b, t, o.minMatchLen);
  if (o.idx) replyIdx(c, ranges, len, o.withMatchLen);
  else c.reply.bulk(latin1(bytes, 0, bytes.length));
}

export const LCS_HANDLERS: HandlerTable = { lcs };
