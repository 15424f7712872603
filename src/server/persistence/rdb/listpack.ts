/**
 * Redis's listpack (listpack.c, 7.0): `<total bytes u32 LE> <count u16 LE> <entry>… 0xFF`, each
 * entry being an encoding byte, its data, and a 1–5 byte back-length (the entry's size, 7 bits per
 * byte). Encodings: 7-bit uint (0xxxxxxx), 6-bit string length (10xxxxxx), 13-bit int (110xxxxx +1),
 * 12-bit string length (1110xxxx +1), 32-bit string length (0xF0 +4), 16/24/32/64-bit ints
 * (0xF1–0xF4, little endian). A string that is a canonical int64 (string2ll) is stored as an int,
 * in the smallest encoding, as lpAppend does.
 *
 * `decodeListpack` validates like lpValidateIntegrity(deep): header size, every entry in bounds,
 * back-lengths, the count (unless 65535, "unknown") and the terminator; entries come back as the
 * server's latin1 strings (integers as their decimal text).
 */

import { RdbFormatError } from '../../../errors.js';

const INT_RE = /^-?(0|[1-9]\d{0,18})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** string2ll: the int64 a canonical integer string denotes, or null. */
export function canonicalInt64(s: string): bigint | null {
  if (s.length > 20 || !INT_RE.test(s) || s === '-0') return null;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Accumulates entries, then produces the listpack bytes. */
export class ListpackBuilder {
  private buf = Buffer.allocUnsafe(64);
  private end = 6;
  private count = 0;

  get entries(): number {
    return this.count;
  }

  /** Bytes the listpack would have now (header, entries, terminator). */
  get bytes(): number {
    return this.end + 1;
  }

  private ensure(n: number): void {
    if (this.end + n + 1 <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.end + n + 1));
    this.buf.copy(grown, 0, 0, this.end);
    this.buf = grown;
  }

  private backlen(l: number): void {
    const b = this.buf;
    const n = backlenSize(l);
    for (let i = n - 1; i >= 0; i--) {
      const shifted = Math.floor(l / 2 ** (7 * i)) & 127;
      b[this.end++] = i === n - 1 ? shifted : shifted | 128;
    }
  }

  private integer(v: bigint): void {
    this.ensure(10);
    const b = this.buf;
    const start = this.end;
    if (v >= 0n && v <= 127n) b[this.end++] = Number(v);
    else if (v >= -4096n && v <= 4095n) {
      const u = Number(v < 0n ? (1n << 13n) + v : v);
      b[this.end++] = (u >> 8) | 0xc0;
      b[this.end++] = u & 0xff;
    } else if (v >= -32768n && v <= 32767n) {
      b[this.end++] = 0xf1;
      b.writeInt16LE(Number(v), this.end);
      this.end += 2;
    } else if (v >= -8388608n && v <= 8388607n) {
      b[this.end++] = 0xf2;
      b.writeIntLE(Number(v), this.end, 3);
      this.end += 3;
    } else if (v >= -2147483648n && v <= 2147483647n) {
      b[this.end++] = 0xf3;
      b.writeInt32LE(Number(v), this.end);
      this.end += 4;
    } else {
      b[this.end++] = 0xf4;
      b.writeBigInt64LE(v, this.end);
      this.end += 8;
    }
    this.backlen(this.end - start);
  }

  /** lpAppend of a latin1 string (stored as an integer when it is a canonical int64). */
  append(s: string): void {
    const iv = s.length <= 20 ? canonicalInt64(s) : null;
    if (iv !== null) {
      this.integer(iv);
      this.count++;
      return;
    }
    const len = s.length;
    this.ensure(len + 10);
    const b = this.buf;
    const start = this.end;
    if (len < 64) b[this.end++] = 0x80 | len;
    else if (len < 4096) {
      b[this.end++] = 0xe0 | (len >> 8);
      b[this.end++] = len & 0xff;
    } else {
      b[this.end++] = 0xf0;
      b.writeUInt32LE(len, this.end);
      this.end += 4;
    }
    this.end += b.write(s, this.end, 'latin1');
    this.backlen(this.end - start);
    this.count++;
  }

  /** The finished listpack. */
  finish(): Buffer {
    const b = this.buf;
    b[this.end] = 0xff;
    const total = this.end + 1;
    b.writeUInt32LE(total, 0);
    b.writeUInt16LE(this.count < 65535 ? this.count : 65535, 4);
    return b.subarray(0, total);
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

/** Reads the back-length ending right before `at` (lpDecodeBacklen). */
function readBacklen(b: Buffer, at: number, start: number): number {
  let v = 0;
  let shift = 0;
  let p = at - 1;
  for (let i = 0; i < 5; i++, p--) {
    if (p < start) bad('back-length out of range');
    v += (b[p]! & 127) * 2 ** shift;
    shift += 7;
    if (!(b[p]! & 128)) return v;
  }
  return bad('back-length too long');
}

/** Decodes one entry at `p`: its text and the offset after its back-length. */
function entryAt(b: Buffer, p: number, last: number): [string, number] {
  const e = b[p]!;
  let text: string;
  let size: number;
  const need = (n: number): void => {
    if (p + n > last) bad('entry out of range');
  };
  if (e < 0x80) {
    text = String(e);
    size = 1;
  } else if (e < 0xc0) {
    size = 1 + (e & 0x3f);
    need(size);
    text = b.toString('latin1', p + 1, p + size);
  } else if (e < 0xe0) {
    need(2);
    const u = ((e & 0x1f) << 8) | b[p + 1]!;
    text = String(u >= 4096 ? u - 8192 : u);
    size = 2;
  } else if (e < 0xf0) {
    need(2);
    size = 2 + (((e & 0x0f) << 8) | b[p + 1]!);
    need(size);
    text = b.toString('latin1', p + 2, p + size);
  } else if (e === 0xf0) {
    need(5);
    size = 5 + b.readUInt32LE(p + 1);
    need(size);
    text = b.toString('latin1', p + 5, p + size);
  } else if (e === 0xf1) {
    need(3);
    text = String(b.readInt16LE(p + 1));
    size = 3;
  } else if (e === 0xf2) {
    need(4);
    text = String(b.readIntLE(p + 1, 3));
    size = 4;
  } else if (e === 0xf3) {
    need(5);
    text = String(b.readInt32LE(p + 1));
    size = 5;
  } else if (e === 0xf4) {
    need(9);
    text = b.readBigInt64LE(p + 1).toString();
    size = 9;
  } else {
    return bad(`bad encoding byte ${e}`);
  }
  const bl = backlenSize(size);
  need(size + bl);
  if (readBacklen(b, p + size + bl, p + size) !== size) bad('back-length mismatch');
  return [text, p + size + bl];
}

/** Every entry of a listpack blob, validated (RdbFormatError when corrupt). */
export function decodeListpack(b: Buffer): string[] {
  if (b.length < 7) bad('too short');
  if (b.readUInt32LE(0) !== b.length) bad('header size mismatch');
  const declared = b.readUInt16LE(4);
  const last = b.length - 1;
  if (b[last] !== 0xff) bad('no terminator');
  const out: string[] = [];
  let p = 6;
  while (p < last) {
    const [text, next] = entryAt(b, p, last);
    out.push(text);
    p = next;
  }
  if (p !== last) bad('entries overrun the terminator');
  if (declared !== 65535 && declared !== out.length) bad('count mismatch');
  return out;
}
