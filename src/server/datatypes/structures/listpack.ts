/**
 * Redis's listpack encoding (listpack.c), byte for byte: the block format of stream nodes, so a
 * node's bytes are exactly what Redis keeps (same sizes, so the same node-splitting decisions by
 * stream-node-max-bytes) and what RDB carries (DUMP/RESTORE).
 *
 *   listpack := total-bytes u32 LE · num-elements u16 LE (65535: unknown) · element* · 0xFF
 *   element  := encoding+data · backlen (the encoding+data length, 1–5 bytes, read right to left)
 *
 * Integers use the smallest of 7-bit uint, 13/16/24/32/64-bit signed; a string that is a
 * canonical int64 (lpStringToInt64: no '+', no leading zero, under 21 characters) is stored as
 * an integer, like Redis, and reads back as the same text. Strings are latin1 bytes (the server's
 * byte strings). Reading fills a reused `LpElement`, never allocating; 64-bit values beyond 2^53
 * are kept as two's-complement halves.
 */

/** Node's internal latin1 codecs (Buffer#write / toString without the encoding lookup), typed here. */
interface Latin1Buffer {
  latin1Write(s: string, offset: number, length: number): number;
  latin1Slice(start: number, end: number): string;
}

/** Writes `s` as latin1 bytes at `offset`. */
export function latin1Write(buf: Buffer, s: string, offset: number): number {
  return (buf as unknown as Latin1Buffer).latin1Write(s, offset, s.length);
}

/** The latin1 string of bytes [start, end). */
export function latin1Slice(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1Buffer).latin1Slice(start, end);
}

export const LP_HEADER = 6;
export const LP_EOF = 0xff;
const TWO32 = 4294967296;

/** One decoded element (reused scratch; valid until the next read into it). */
export class LpElement {
  isInt = false;
  /** Integer value when |v| ≤ 2^53 (`big` false). */
  int = 0;
  /** A 64-bit integer beyond 2^53: `hi` (signed) and `lo` (unsigned) halves. */
  big = false;
  hi = 0;
  lo = 0;
  /** String bytes: [start, start + len). */
  start = 0;
  len = 0;
  /** Offset of the next element. */
  next = 0;
}

/** Bytes the backlen of an element of `l` encoding+data bytes takes. */
export function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Encoding+data bytes of a string of `len` bytes stored as a string. */
function strEncSize(len: number): number {
  return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
}

/** Encoding+data bytes of an integer (safe-range number or bigint). */
function intEncSize(v: number | bigint): number {
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** lpStringToInt64: the integer a string is stored as, or null when it stays a string. */
export function stringAsInt(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n >= 21) return null;
  const negative = s.charCodeAt(0) === 45;
  let i = negative ? 1 : 0;
  if (i === n) return null;
  const first = s.charCodeAt(i);
  // No leading zero (a lone "0" is zero), no '+', digits only.
  if (first < 49 || first > 57) return n === 1 && first === 48 ? 0 : null;
  let v = first - 48;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  if (n - (negative ? 1 : 0) <= 15) return negative ? -v : v;
  const b = BigInt(s);
  if (b < INT64_MIN || b > INT64_MAX) return null;
  return Number.isSafeInteger(Number(b)) ? Number(b) : b;
}

/** Total bytes (with backlen) an integer element takes. */
export function intElementSize(v: number | bigint): number {
  const l = intEncSize(v);
  return l + backlenSize(l);
}

/** Total bytes (with backlen) a string element takes, integer-encoded when it can be. */
export function stringElementSize(s: string): number {
  const v = stringAsInt(s);
  const l = v === null ? strEncSize(s.length) : intEncSize(v);
  return l + backlenSize(l);
}

function writeBacklen(buf: Uint8Array, p: number, l: number): number {
  if (l <= 127) {
    buf[p] = l;
    return p + 1;
  }
  if (l < 16383) {
    buf[p] = l >>> 7;
    buf[p + 1] = (l & 127) | 128;
    return p + 2;
  }
  if (l < 2097151) {
    buf[p] = l >>> 14;
    buf[p + 1] = ((l >>> 7) & 127) | 128;
    buf[p + 2] = (l & 127) | 128;
    return p + 3;
  }
  if (l < 268435455) {
    buf[p] = l >>> 21;
    buf[p + 1] = ((l >>> 14) & 127) | 128;
    buf[p + 2] = ((l >>> 7) & 127) | 128;
    buf[p + 3] = (l & 127) | 128;
    return p + 4;
  }
  buf[p] = Math.floor(l / 268435456);
  buf[p + 1] = ((l >>> 21) & 127) | 128;
  buf[p + 2] = ((l >>> 14) & 127) | 128;
  buf[p + 3] = ((l >>> 7) & 127) | 128;
  buf[p + 4] = (l & 127) | 128;
  return p + 5;
}

/** Writes an integer element at `p` (the caller made room); returns the offset after it. */
export function writeInt(buf: Uint8Array, p: number, v: number | bigint): number {
  const l = intEncSize(v);
  if (l === 1) {
    buf[p] = Number(v);
  } else if (l === 2) {
    const u = Number(v) < 0 ? 8192 + Number(v) : Number(v);
    buf[p] = (u >>> 8) | 0xc0;
    buf[p + 1] = u & 0xff;
  } else if (l === 9) {
    const b = BigInt.asUintN(64, BigInt(v));
    buf[p] = 0xf4;
    writeU32(buf, p + 1, Number(b & 0xffffffffn));
    writeU32(buf, p + 5, Number(b >> 32n));
  } else {
    const n = Number(v);
    const bytes = l - 1;
    const u = n < 0 ? 2 ** (8 * bytes) + n : n;
    buf[p] = l === 3 ? 0xf1 : l === 4 ? 0xf2 : 0xf3;
    for (let i = 0; i < bytes; i++) buf[p + 1 + i] = Math.floor(u / 2 ** (8 * i)) & 0xff;
  }
  return writeBacklen(buf, p + l, l);
}

/** Most bytes a string element of `len` characters can take (for reserving room before writing). */
export function maxStringElementSize(len: number): number {
  return len + 10;
}

/** Writes a string element (integer-encoded when it can be); returns the offset after it. */
export function writeString(buf: Buffer, p: number, s: string): number {
  const v = stringAsInt(s);
  if (v !== null) return writeInt(buf, p, v);
  const n = s.length;
  let h: number;
  if (n < 64) {
    buf[p] = 0x80 | n;
    h = 1;
  } else if (n < 4096) {
    buf[p] = 0xe0 | (n >>> 8);
    buf[p + 1] = n & 0xff;
    h = 2;
  } else {
    buf[p] = 0xf0;
    writeU32(buf, p + 1, n);
    h = 5;
  }
  if (n > 0) latin1Write(buf, s, p + h);
  return writeBacklen(buf, p + h + n, h + n);
}

export function writeU32(buf: Uint8Array, p: number, v: number): void {
  buf[p] = v & 0xff;
  buf[p + 1] = (v >>> 8) & 0xff;
  buf[p + 2] = (v >>> 16) & 0xff;
  buf[p + 3] = v >>> 24;
}

export function readU32(buf: Uint8Array, p: number): number {
  return (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16)) + buf[p + 3]! * 16777216;
}

/** Decodes the element at `p` into `out`. The caller guarantees `p` is an element (not EOF). */
export function readElement(buf: Uint8Array, p: number, out: LpElement): void {
  const b = buf[p]!;
  let l: number;
  if (b < 0x80) {
    setInt(out, b);
    l = 1;
  } else if ((b & 0xc0) === 0x80) {
    out.isInt = false;
    out.start = p + 1;
    out.len = b & 0x3f;
    l = 1 + out.len;
  } else if ((b & 0xe0) === 0xc0) {
    const u = ((b & 0x1f) << 8) | buf[p + 1]!;
    setInt(out, u >= 4096 ? u - 8192 : u);
    l = 2;
  } else if ((b & 0xf0) === 0xe0) {
    out.isInt = false;
    out.start = p + 2;
    out.len = ((b & 0x0f) << 8) | buf[p + 1]!;
    l = 2 + out.len;
  } else if (b === 0xf0) {
    out.isInt = false;
    out.start = p + 5;
    out.len = readU32(buf, p + 1);
    l = 5 + out.len;
  } else if (b === 0xf1) {
    const u = buf[p + 1]! | (buf[p + 2]! << 8);
    setInt(out, u >= 32768 ? u - 65536 : u);
    l = 3;
  } else if (b === 0xf2) {
    const u = buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16);
    setInt(out, u >= 8388608 ? u - 16777216 : u);
    l = 4;
  } else if (b === 0xf3) {
    setInt(out, buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16) | (buf[p + 4]! << 24));
    l = 5;
  } else {
    // 0xf4: int64, little-endian two's complement.
    const lo = readU32(buf, p + 1);
    const hi = buf[p + 5]! | (buf[p + 6]! << 8) | (buf[p + 7]! << 16) | (buf[p + 8]! << 24);
    out.isInt = true;
    const v = hi * TWO32 + lo;
    if (Number.isSafeInteger(v)) {
      out.int = v;
      out.big = false;
    } else {
      out.big = true;
    }
    out.hi = hi;
    out.lo = lo;
    l = 9;
  }
  out.next = p + l + backlenSize(l);
}

function setInt(out: LpElement, v: number): void {
  out.isInt = true;
  out.big = false;
  out.int = v;
  out.hi = v < 0 ? -1 : 0;
  out.lo = v >>> 0;
}

/** Offset of the element before the one at `p` (`p` may be the EOF byte's offset). */
export function prevElement(buf: Uint8Array, p: number): number {
  let q = p - 1;
  let val = 0;
  let shift = 1;
  for (;;) {
    val += (buf[q]! & 127) * shift;
    if (!(buf[q]! & 128)) break;
    shift *= 128;
    q--;
  }
  return q - val;
}

/** The integer value of an element known to be a small integer (flags, counts, deltas). */
export function intAt(buf: Uint8Array, p: number, scratch: LpElement): number {
  readElement(buf, p, scratch);
  return scratch.int;
}

/** Text of a decoded element (allocates; for cold paths). */
export function elementText(buf: Buffer, el: LpElement): string {
  if (!el.isInt) return latin1Slice(buf, el.start, el.start + el.len);
  if (!el.big) return String(el.int);
  return ((BigInt(el.hi) << 32n) | BigInt(el.lo)).toString();
}

/** True when the element's text equals `s` (SAMEFIELDS detection). */
export function elementEquals(buf: Buffer, el: LpElement, s: string): boolean {
  if (el.isInt) return elementText(buf, el) === s;
  if (el.len !== s.length) return false;
  for (let i = 0; i < el.len; i++) if (buf[el.start + i] !== s.charCodeAt(i)) return false;
  return true;
}
