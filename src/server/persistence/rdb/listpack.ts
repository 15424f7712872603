/**
 * Whole listpacks for RDB values (hash, sorted-set and quicklist-node blobs), on top of the
 * element codec in datatypes/structures/listpack.ts (Redis's listpack.c byte for byte):
 *
 * - `ListpackBuilder` appends strings (a canonical int64 stored as an integer, as lpAppend does)
 *   and produces `<total bytes> <count> <elements> 0xFF`.
 * - `decodeListpack` reads a blob from a payload, validated like lpValidateIntegrity(deep): the
 *   header size, every element's encoding and bounds, each back-length pointing back at its
 *   element, the count (unless 65535, "unknown") and the terminator — so no corrupt blob reaches
 *   the element codec, which trusts its input. Elements come back as latin1 strings (integers as
 *   decimal text).
 */

import { RdbFormatError } from '../../../errors.js';
import {
  backlenSize,
  elementText,
  LP_EOF,
  LP_HEADER,
  LpElement,
  prevElement,
  readElement,
  readU32,
  stringElementSize,
  writeString,
  writeU32,
} from '../../datatypes/structures/listpack.js';

/** Shared build space (single-threaded): a builder's bytes live here until finish() copies them. */
let space = Buffer.allocUnsafe(1 << 14);

export class ListpackBuilder {
  private buf = space;
  private end = LP_HEADER;
  private count = 0;

  get entries(): number {
    return this.count;
  }

  /** Bytes the listpack would have now (header, elements, terminator). */
  get bytes(): number {
    return this.end + 1;
  }

  /** lpAppend of a latin1 string. */
  append(s: string): void {
    const need = this.end + stringElementSize(s) + 1;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, need));
      this.buf.copy(grown, 0, 0, this.end);
      this.buf = space = grown;
    }
    this.end = writeString(this.buf, this.end, s);
    this.count++;
  }

  /** The finished listpack (its own copy: one builder at a time uses the shared space). */
  finish(): Buffer {
    const b = this.buf;
    b[this.end] = LP_EOF;
    const total = this.end + 1;
    writeU32(b, 0, total);
    b.writeUInt16LE(this.count < 65535 ? this.count : 65535, 4);
    return Buffer.from(b.subarray(0, total));
  }
}

export function encodeListpack(items: readonly string[]): Buffer {
  const lp = new ListpackBuilder();
  for (const s of items) lp.append(s);
  return lp.finish();
}

function bad(what: string): never {
  throw new RdbFormatError(`listpack integrity check failed: ${what}`);
}

/** The encoding+data size of the element at `p`, checked to lie before `last`. */
function elementSize(b: Buffer, p: number, last: number): number {
  const e = b[p]!;
  const need = (n: number): number => (p + n > last ? bad('element out of range') : n);
  if (e < 0x80) return 1;
  if (e < 0xc0) return need(1 + (e & 0x3f));
  if (e < 0xe0) return need(2);
  if (e < 0xf0) {
    need(2);
    return need(2 + (((e & 0x0f) << 8) | b[p + 1]!));
  }
  if (e === 0xf0) {
    need(5);
    return need(5 + readU32(b, p + 1));
  }
  if (e === 0xf1) return need(3);
  if (e === 0xf2) return need(4);
  if (e === 0xf3) return need(5);
  if (e === 0xf4) return need(9);
  return bad(`bad encoding byte ${e}`);
}

/** Every element of a listpack blob, validated (RdbFormatError when corrupt). */
export function decodeListpack(b: Buffer): string[] {
  if (b.length < LP_HEADER + 1) bad('too short');
  if (readU32(b, 0) !== b.length) bad('header size mismatch');
  const declared = b.readUInt16LE(4);
  const last = b.length - 1;
  if (b[last] !== LP_EOF) bad('no terminator');
  const out: string[] = [];
  const el = new LpElement();
  let p = LP_HEADER;
  while (p < last) {
    const l = elementSize(b, p, last);
    const next = p + l + backlenSize(l);
    if (next > last) bad('back-length out of range');
    if (prevElement(b, next) !== p) bad('back-length mismatch');
    readElement(b, p, el);
    out.push(elementText(b, el));
    p = next;
  }
  if (declared !== 65535 && declared !== out.length) bad('count mismatch');
  return out;
}
