/**
 * Writes the primitives of Redis's RDB value encoding (rdb.c) into a growable buffer:
 * - lengths: 00LLLLLL (< 64), 01LLLLLL LLLLLLLL (< 16384), 0x80 + 4 bytes big-endian, 0x81 + 8;
 * - strings (rdbSaveRawString): a canonical integer of at most 11 characters that fits 32 bits
 *   as 0xC0/0xC1/0xC2 + 1/2/4 bytes little-endian; longer than 20 bytes and compressible (with
 *   rdbcompression) as 0xC3 + compressed length + original length + LZF data; else length + bytes;
 * - binary doubles (8 bytes little-endian, ZSET_2).
 * Strings are the server's latin1 strings or Buffers (listpack and intset blobs).
 */

import { lzfCompress } from './lzf.js';

const INT_RE = /^-?(0|[1-9]\d{0,18})$/;

/** string2ll on at most 11 characters, limited to what the RDB integer encodings hold (int32). */
function smallInteger(s: string): number | null {
  if (s.length > 11 || !INT_RE.test(s) || s === '-0') return null;
  const v = Number(s);
  return v >= -2147483648 && v <= 2147483647 ? v : null;
}

export class RdbWriter {
  private buf: Buffer;
  private end = 0;

  constructor(
    /** rdbcompression: LZF-compress strings longer than 20 bytes when it saves at least 4. */
    readonly compress: boolean,
    initial = 4096,
  ) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get size(): number {
    return this.end;
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.end);
  }

  private ensure(n: number): void {
    if (this.end + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.end + n));
    this.buf.copy(grown, 0, 0, this.end);
    this.buf = grown;
  }

  writeByte(b: number): void {
    this.ensure(1);
    this.buf[this.end++] = b;
  }

  writeRaw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.end);
    this.end += bytes.length;
  }

  private latin1(s: string): void {
    this.ensure(s.length);
    this.end += this.buf.write(s, this.end, 'latin1');
  }

  /** rdbSaveLen. */
  writeLen(n: number): void {
    this.ensure(9);
    const b = this.buf;
    if (n < 64) b[this.end++] = n;
    else if (n < 16384) {
      b[this.end++] = 0x40 | (n >>> 8);
      b[this.end++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.end++] = 0x80;
      b.writeUInt32BE(n, this.end);
      this.end += 4;
    } else {
      b[this.end++] = 0x81;
      b.writeBigUInt64BE(BigInt(n), this.end);
      this.end += 8;
    }
  }

  /** rdbEncodeInteger: true when `v` fitted an 8/16/32-bit encoding. */
  private encodedInteger(v: number): boolean {
    this.ensure(5);
    const b = this.buf;
    if (v >= -128 && v <= 127) {
      b[this.end++] = 0xc0;
      b.writeInt8(v, this.end);
      this.end += 1;
    } else if (v >= -32768 && v <= 32767) {
      b[this.end++] = 0xc1;
      b.writeInt16LE(v, this.end);
      this.end += 2;
    } else if (v >= -2147483648 && v <= 2147483647) {
      b[this.end++] = 0xc2;
      b.writeInt32LE(v, this.end);
      this.end += 4;
    } else return false;
    return true;
  }

  /** rdbSaveRawString for a latin1 string. */
  writeString(s: string): void {
    const small = smallInteger(s);
    if (small !== null && this.encodedInteger(small)) return;
    if (this.compress && s.length > 20 && this.lzf(Buffer.from(s, 'latin1'))) return;
    this.writeLen(s.length);
    this.latin1(s);
  }

  /** rdbSaveRawString for binary data (listpack, intset and ziplist blobs). */
  writeBlob(bytes: Buffer): void {
    if (bytes.length <= 11) {
      const small = smallInteger(bytes.toString('latin1'));
      if (small !== null && this.encodedInteger(small)) return;
    }
    if (this.compress && bytes.length > 20 && this.lzf(bytes)) return;
    this.writeLen(bytes.length);
    this.writeRaw(bytes);
  }

  /** rdbSaveLzfStringObject: false when compression saves fewer than 4 bytes. */
  private lzf(bytes: Buffer): boolean {
    const packed = lzfCompress(bytes, bytes.length - 4);
    if (packed === null) return false;
    this.writeByte(0xc3);
    this.writeLen(packed.length);
    this.writeLen(bytes.length);
    this.writeRaw(packed);
    return true;
  }

  /** rdbSaveBinaryDoubleValue. */
  writeBinaryDouble(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.end);
    this.end += 8;
  }
}
