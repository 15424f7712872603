/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN] (Redis 7.0 t_string.c lcsCommand): the
 * longest common subsequence of two string values by the textbook dynamic programming table, with
 * Redis's memory guard (a table of (len1+1)·(len2+1) 32-bit cells larger than proto-max-bulk-len is
 * refused before anything is allocated) and its backtracking order, so the match ranges come out
 * exactly as Redis lists them (from the end of the strings backwards). The table itself has 16-bit
 * cells whenever the shorter value is under 65,535 bytes (the LCS cannot be longer): half Redis's
 * memory and memory traffic.
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

/** A table of LCS lengths: 16-bit cells whenever the LCS fits (it is at most the shorter length). */
type Cells = Uint16Array | Uint32Array;

/**
 * The LCS length table: cell (i, j) at i * (b.length + 1) + j holds LCS(a[0, i), b[0, j)); row 0
 * and column 0 are the zeros the table was allocated with. The cell to the left and the diagonal
 * one stay in registers, so each cell costs one load and one store.
 */
function table(a: Buffer, b: Buffer, cells: Cells): void {
  const w = b.length + 1;
  const bl = b.length;
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    const row = i * w;
    const prev = row - w;
    let left = 0;
    let diag = 0;
    for (let j = 1; j <= bl; j++) {
      const up = cells[prev + j]!;
      const v = ai === b[j - 1] ? diag + 1 : up > left ? up : left;
      cells[row + j] = v;
      left = v;
      diag = up;
    }
  }
}

/** Walks the table back from the end as Redis does: the LCS bytes and the match ranges. */
function backtrack(a: Buffer, b: Buffer, cells: Cells, minMatchLen: number): { lcs: Buffer; ranges: Range[] } {
  const w = b.length + 1;
  let idx = cells[a.length * w + b.length]!;
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
      idx--;
      i--;
      j--;
    } else {
      if (cells[(i - 1) * w + j]! > cells[i * w + j - 1]!) i--;
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
  let cells: Cells;
  try {
    cells = Math.min(a.length, b.length) < 0xffff ? new Uint16Array(count) : new Uint32Array(count);
  } catch {
    return c.reply.error('ERR Insufficient memory, failed allocating transient memory for LCS');
  }
  table(a, b, cells);
  const len = cells[count - 1]!;
  if (o.len && !o.idx) return c.reply.integer(len);
  const { lcs: bytes, ranges } = backtrack(a, b, cells, o.minMatchLen);
  if (o.idx) replyIdx(c, ranges, len, o.withMatchLen);
  else c.reply.bulk(latin1(bytes, 0, bytes.length));
}

export const LCS_HANDLERS: HandlerTable = { lcs };
