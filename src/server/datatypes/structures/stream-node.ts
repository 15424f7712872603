/**
 * One stream node: a Redis listpack holding a master entry and up to stream-node-max-entries
 * entries (t_stream.c layout), keyed by its master ID (the ID of the first entry added to it).
 *
 *   master entry := count · deleted · num-fields · field_1 … field_N · 0
 *   entry        := flags · ms-diff · seq-diff · [num-fields · (field value)… | value…] · lp-count
 *
 * `count` live entries, `deleted` tombstones; an entry flagged SAMEFIELDS stores only values (its
 * fields are the master's); ms-diff/seq-diff are the 64-bit differences from the master ID;
 * lp-count is the number of the entry's elements before it, so the node reads backwards too.
 * Deletion only flags an entry (its bytes stay until the whole node goes), as Redis does.
 *
 * Memory: `buf` is exactly `used` bytes except for the tail node of a stream, which starts with
 * Redis's preallocation, grows by doubling and is shrunk to fit when the next node starts (Redis
 * lpShrinkToFit).
 */

import {
  LP_EOF,
  LP_HEADER,
  LpElement,
  elementText,
  intElementSize,
  maxStringElementSize,
  readElement,
  readU32,
  stringElementSize,
  writeInt,
  writeString,
  writeU32,
} from './listpack.js';
import type { StreamId } from './stream-id.js';

export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

const TWO32 = 4294967296;
const FIRST_CAPACITY = 256;

/** 64-bit difference a − b (both unsigned, hi/lo) read as int64: a number, or a bigint beyond 2^53. */
export function int64Delta(aHi: number, aLo: number, bHi: number, bLo: number): number | bigint {
  let lo = aLo - bLo;
  let borrow = 0;
  if (lo < 0) {
    lo += TWO32;
    borrow = 1;
  }
  let hi = aHi - bHi - borrow;
  if (hi < 0) hi += TWO32;
  const signedHi = hi >= 0x80000000 ? hi - TWO32 : hi;
  const v = signedHi * TWO32 + lo;
  return Number.isSafeInteger(v) ? v : (BigInt(signedHi) << 32n) + BigInt(lo);
}

export class StreamNode {
  constructor(
    readonly master: StreamId,
    /** Listpack bytes in [0, used). */
    public buf: Buffer,
    public used: number,
  ) {}

  /** Bytes the node holds (capacity), for the memory estimate. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Live entries (the master entry's count). */
  count(el: LpElement): number {
    readElement(this.buf, LP_HEADER, el);
    return el.int;
  }

  /** Tombstones (the master entry's deleted count). */
  deleted(el: LpElement): number {
    readElement(this.buf, LP_HEADER, el);
    readElement(this.buf, el.next, el);
    return el.int;
  }

  /** Makes room for `extra` more bytes, doubling the capacity. */
  reserve(extra: number): void {
    const need = this.used + extra;
    if (need <= this.buf.length) return;
    let cap = Math.max(this.buf.length * 2, FIRST_CAPACITY);
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafeSlow(cap);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /** Drops spare capacity (a node that no longer grows). */
  shrink(): void {
    if (this.buf.length === this.used) return;
    const next = Buffer.allocUnsafeSlow(this.used);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /** Replaces the integer element at `p` with `v`, moving the bytes after it if its size changes. */
  replaceInt(p: number, v: number, el: LpElement): void {
    readElement(this.buf, p, el);
    const oldSize = el.next - p;
    const newSize = intElementSize(v);
    if (newSize !== oldSize) {
      this.reserve(newSize - oldSize);
      this.buf.copyWithin(p + newSize, p + oldSize, this.used);
      this.used += newSize - oldSize;
      writeU32(this.buf, 0, this.used);
    }
    writeInt(this.buf, p, v);
  }

  /** Adds `n` to the header's element count (saturating at 65535, "unknown", as Redis). */
  addElements(n: number): void {
    const cur = this.buf[4]! | (this.buf[5]! << 8);
    if (cur === 65535) return;
    const next = cur + n < 65535 ? cur + n : 65535;
    this.buf[4] = next & 0xff;
    this.buf[5] = next >>> 8;
  }

  /** Sets the live/deleted counters in the master entry. */
  setCounts(live: number, deleted: number, el: LpElement): void {
    this.replaceInt(LP_HEADER, live, el);
    readElement(this.buf, LP_HEADER, el);
    this.replaceInt(el.next, deleted, el);
  }

  /** Offset of the first master field; `el.int` receives the master field count. */
  masterFields(el: LpElement): number {
    readElement(this.buf, LP_HEADER, el);
    readElement(this.buf, el.next, el);
    const at = el.next;
    readElement(this.buf, at, el);
    const n = el.int;
    const first = el.next;
    el.int = n;
    return first;
  }

  /** Offset of the first entry (after the master entry's 0 terminator). */
  firstEntry(el: LpElement): number {
    let p = this.masterFields(el);
    const n = el.int;
    for (let i = 0; i <= n; i++) {
      readElement(this.buf, p, el);
      p = el.next;
    }
    return p;
  }

  /** Offset of the EOF byte. */
  get end(): number {
    return this.used - 1;
  }
}

/**
 * A new node whose master entry has the fields argv[from], argv[from+2], … (numFields of them),
 * with room for `prealloc` bytes (Redis preallocates min(4096, stream-node-max-bytes)).
 */
export function createNode(master: StreamId, argv: readonly string[], from: number, numFields: number, prealloc: number): StreamNode {
  let size = LP_HEADER + 1 + 3 * intElementSize(0) + intElementSize(numFields);
  for (let i = 0; i < numFields; i++) size += stringElementSize(argv[from + 2 * i]!);
  const buf = Buffer.allocUnsafeSlow(Math.max(FIRST_CAPACITY, prealloc, size));
  let p = LP_HEADER;
  p = writeInt(buf, p, 0);
  p = writeInt(buf, p, 0);
  p = writeInt(buf, p, numFields);
  for (let i = 0; i < numFields; i++) p = writeString(buf, p, argv[from + 2 * i]!);
  p = writeInt(buf, p, 0);
  buf[p++] = LP_EOF;
  writeU32(buf, 0, p);
  const elements = 4 + numFields;
  buf[4] = elements & 0xff;
  buf[5] = elements >>> 8;
  return new StreamNode(master, buf, p);
}

/**
 * Appends an entry with ID `id` and the pairs argv[from…] to `node`, then
 * bumps its live count. `same`: the fields equal the master's (only values are stored).
 */
export function appendEntry(node: StreamNode, id: StreamId, argv: readonly string[], from: number, numFields: number, same: boolean, el: LpElement): void {
  const m = node.master;
  const msDelta = int64Delta(id.msHi, id.msLo, m.msHi, m.msLo);
  const seqDelta = int64Delta(id.seqHi, id.seqLo, m.seqHi, m.seqLo);
  const flags = same ? FLAG_SAMEFIELDS : 0;
  let lpCount = numFields + 3;
  if (!same) lpCount += numFields + 1;
  // Room for the worst case (each element is encoded once, as it is written).
  let room = 5 * 10;
  for (let i = same ? 1 : 0; i < 2 * numFields; i += same ? 2 : 1) room += maxStringElementSize(argv[from + i]!.length);
  node.reserve(room);
  const buf = node.buf;
  let p = node.used - 1;
  p = writeInt(buf, p, flags);
  p = writeInt(buf, p, msDelta);
  p = writeInt(buf, p, seqDelta);
  if (!same) p = writeInt(buf, p, numFields);
  for (let i = 0; i < numFields; i++) {
    if (!same) p = writeString(buf, p, argv[from + 2 * i]!);
    p = writeString(buf, p, argv[from + 2 * i + 1]!);
  }
  p = writeInt(buf, p, lpCount);
  buf[p++] = LP_EOF;
  node.used = p;
  writeU32(buf, 0, p);
  node.addElements(lpCount + 1);
  node.replaceInt(LP_HEADER, node.count(el) + 1, el);
}

/** The master entry's field names (decoded; the tail node's are cached by the stream). */
export function masterFieldTexts(node: StreamNode, el: LpElement): string[] {
  let p = node.masterFields(el);
  const n = el.int;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    readElement(node.buf, p, el);
    out.push(elementText(node.buf, el));
    p = el.next;
  }
  return out;
}

/** The node's listpack size in bytes as its header records it. */
export function listpackBytes(buf: Uint8Array): number {
  return readU32(buf, 0);
}
