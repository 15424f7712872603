/**
 * Edits a few bytes of a string value (SETBIT, BITFIELD) and yields the new value. Strings are
 * immutable, so every edit ends in a new string; the editor picks the cheaper way to make it:
 *
 * - values up to CHUNK bytes are copied into the OUT scratch buffer, edited in place and turned
 *   back into one flat string (two memcpys);
 * - bigger values keep the old string and a map of changed bytes, and the result is built from
 *   slices of the old string around them (V8 shares the slices' characters; the copy happens
 *   once, when the result is next read whole).
 *
 * Bytes past the old value's end read as zero (the value is zero-padded to `length`), and so do
 * bytes past `length` (reads only; writes stay below `length`).
 */

import { CHUNK, Slot, latin1, scratch, writeLatin1 } from './byte-scratch.js';

/** Random access to the bytes of a value (zero past its end). */
export interface ByteSource {
  get(i: number): number;
}

export class ByteEditor implements ByteSource {
  private readonly buf: Buffer | null;
  private readonly patches: Map<number, number> | null;

  /** `length` ≥ s.length is the length of the edited value (longer pads with zero bytes). */
  constructor(
    private readonly s: string,
    readonly length: number,
  ) {
    if (length <= CHUNK) {
      const buf = scratch(Slot.OUT, length);
      writeLatin1(buf, s, 0);
      if (s.length < length) buf.fill(0, s.length, length);
      this.buf = buf;
      this.patches = null;
    } else {
      this.buf = null;
      this.patches = new Map();
    }
  }

  get(i: number): number {
    if (i >= this.length) return 0;
    if (this.buf !== null) return this.buf[i]!;
    const p = this.patches!.get(i);
    if (p !== undefined) return p;
    return i < this.s.length ? this.s.charCodeAt(i) : 0;
  }

  set(i: number, byte: number): void {
    if (this.buf !== null) this.buf[i] = byte;
    else this.patches!.set(i, byte);
  }

  /** The edited value. */
  result(): string {
    if (this.buf !== null) return latin1(this.buf, 0, this.length);
    const at = [...this.patches!.keys()].sort((a, b) => a - b);
    // `+` (not join) so V8 builds a rope over the shared slices instead of copying them now.
    let out = '';
    let pos = 0;
    for (const i of at) {
      if (i > pos) out += this.slice(pos, i);
      out += String.fromCharCode(this.patches!.get(i)!);
      pos = i + 1;
    }
    if (pos < this.length) out += this.slice(pos, this.length);
    return out;
  }

  /** The unedited bytes [from, to): the old value's, then zero padding. */
  private slice(from: number, to: number): string {
    const s = this.s;
    if (to <= s.length) return s.substring(from, to);
    const head = from < s.length ? s.substring(from) : '';
    return head + '\0'.repeat(to - Math.max(from, s.length));
  }
}
