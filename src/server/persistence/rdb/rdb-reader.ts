/**
 * Reads the primitives of Redis's RDB value encoding (rdb.c rdbLoadLen, rdbGenericLoadStringObject,
 * rdbLoadDoubleValue, rdbLoadBinaryDoubleValue) from one buffer. Every read is bounds-checked and
 * every length is checked against the bytes left before anything is allocated, so a hostile
 * payload fails with RdbFormatError instead of exhausting memory. LZF strings may not claim more
 * than the format can expand to (about 132 output bytes per input byte).
 */

import { RdbFormatError } from '../../../errors.js';
import { lzfDecompress } from './lzf.js';

const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;
/** An LZF reference of 3 bytes copies at most 264: no stream expands more than this. */
const LZF_MAX_RATIO = 132;

export class RdbReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    private readonly end = buf.length,
    start = 0,
  ) {
    this.pos = start;
  }

  /** The offset of the next byte to read. */
  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n > this.end - this.pos) throw new RdbFormatError(`truncated value: ${n} bytes needed, ${this.end - this.pos} left`);
  }

  readByte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  readRaw(n: number): Buffer {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** rdbLoadLenByRef: the length, or (encoded) the special encoding number of a string. */
  private lenOrEncoding(): { value: number; encoded: boolean } {
    const b = this.readByte();
    const type = b >> 6;
    if (type === 3) return { value: b & 0x3f, encoded: true };
    if (type === 0) return { value: b & 0x3f, encoded: false };
    if (type === 1) return { value: ((b & 0x3f) << 8) | this.readByte(), encoded: false };
    if (b === 0x80) return { value: this.readRaw(4).readUInt32BE(0), encoded: false };
    if (b === 0x81) {
      const v = this.readRaw(8).readBigUInt64BE(0);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbFormatError('length out of range');
      return { value: Number(v), encoded: false };
    }
    throw new RdbFormatError(`unknown length encoding ${b}`);
  }

  /** A length (element counts, node counts). */
  readLen(): number {
    const l = this.lenOrEncoding();
    if (l.encoded) throw new RdbFormatError('encoded value where a length was expected');
    return l.value;
  }

  /** A count of items that take at least `minBytes` each: refused when the payload cannot hold them. */
  readCount(minBytes = 1): number {
    const n = this.readLen();
    if (n * minBytes > this.remaining) throw new RdbFormatError(`count ${n} exceeds the payload`);
    return n;
  }

  /** A string as bytes (RDB_LOAD_PLAIN): integer encodings become their decimal text. */
  readBlob(): Buffer {
    const l = this.lenOrEncoding();
    if (!l.encoded) return this.readRaw(l.value);
    switch (l.value) {
      case ENC_INT8:
        return Buffer.from(String(this.readRaw(1).readInt8(0)), 'latin1');
      case ENC_INT16:
        return Buffer.from(String(this.readRaw(2).readInt16LE(0)), 'latin1');
      case ENC_INT32:
        return Buffer.from(String(this.readRaw(4).readInt32LE(0)), 'latin1');
      case ENC_LZF: {
        const clen = this.readLen();
        const len = this.readLen();
        if (len > clen * LZF_MAX_RATIO + 64) throw new RdbFormatError('LZF length out of range');
        const out = lzfDecompress(this.readRaw(clen), len);
        if (out === null) throw new RdbFormatError('invalid LZF compressed string');
        return out;
      }
      default:
        throw new RdbFormatError(`unknown string encoding ${l.value}`);
    }
  }

  /** A string as the server's latin1 text. */
  readString(): string {
    return this.readBlob().toString('latin1');
  }

  /** rdbLoadBinaryDoubleValue. */
  readBinaryDouble(): number {
    return this.readRaw(8).readDoubleLE(0);
  }

  /** rdbLoadDoubleValue (the text doubles of RDB_TYPE_ZSET): 253 nan, 254 +inf, 255 -inf. */
  readTextDouble(): number {
    const n = this.readByte();
    if (n === 255) return -Infinity;
    if (n === 254) return Infinity;
    if (n === 253) return NaN;
    const text = this.readRaw(n).toString('latin1').trim();
    const v = Number(text);
    if (text === '' || Number.isNaN(v)) {
      if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
      throw new RdbFormatError('bad double value');
    }
    return v;
  }
}
