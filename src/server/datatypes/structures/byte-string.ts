/**
 * ByteString: the mutable byte representation of a big string value (Redis's sds): bytes with
 * spare capacity that SETBIT, SETRANGE, APPEND, BITFIELD and BITOP edit in place. Readers and
 * writers reach string values through keyspace/string-value.ts, which says when a value takes
 * this form.
 *
 * Invariants: `buf` is the ByteString's own memory (allocUnsafeSlow or alloc: never a slice of
 * Node's shared pool), starting at offset 0 of its ArrayBuffer, so 32-bit word views need no
 * copy; bytes [len, buf.length) are spare capacity with undefined contents.
 */

/** Node's internal latin1 codec (Buffer#write/toString without the encoding lookup); typed here. */
interface Latin1Buffer {
  latin1Write(s: string, offset: number, length?: number): number;
  latin1Slice(start: number, end: number): string;
}

/** Spare capacity rule of Redis's sdsMakeRoomFor: double below 1 MB, else 1 MB more. */
const GREEDY_LIMIT = 1 << 20;

/**
 * Heap bytes of a ByteString beside its capacity: the object, the Buffer (a JSTypedArray), its
 * ArrayBuffer and backing-store record.
 */
const BYTES_OVERHEAD = 200;

export class ByteString {
  /** Backing memory; [0, len) is the value. */
  buf: Buffer;
  len: number;

  private constructor(buf: Buffer, len: number) {
    this.buf = buf;
    this.len = len;
  }

  /**
   * `len` zero bytes (capacity exactly `len`), as Redis's sdsnewlen(NULL, len). Written now, as
   * Redis's memset does: lazily zeroed pages would be charged to the first command that reads them.
   */
  static zeros(len: number): ByteString {
    return new ByteString(Buffer.allocUnsafeSlow(Math.max(len, 1)).fill(0), len);
  }

  /** A ByteString over `buf` itself (no copy): the caller hands it over and keeps no reference. */
  static adopt(buf: Buffer, len: number): ByteString {
    return new ByteString(buf, len);
  }

  /** `len` bytes of undefined content, for a caller that writes all of them. */
  static uninitialized(len: number): ByteString {
    return new ByteString(Buffer.allocUnsafeSlow(Math.max(len, 1)), len);
  }

  /** The bytes of a latin1 string, with room for `capacity` ≥ s.length bytes. */
  static fromText(s: string, capacity = s.length): ByteString {
    const buf = Buffer.allocUnsafeSlow(Math.max(capacity, 1));
    if (s.length > 0) (buf as unknown as Latin1Buffer).latin1Write(s, 0, s.length);
    return new ByteString(buf, s.length);
  }

  /** Bytes of memory held (capacity). */
  get capacity(): number {
    return this.buf.length;
  }

  /** Estimated heap bytes: capacity and the objects around it. */
  get heapBytes(): number {
    return BYTES_OVERHEAD + this.buf.length;
  }

  /**
   * Makes the value `n` bytes long when it is shorter (the new bytes zero, as sdsgrowzero),
   * growing the capacity greedily when needed.
   */
  growZero(n: number): void {
    if (n <= this.len) return;
    this.reserve(n);
    this.buf.fill(0, this.len, n);
    this.len = n;
  }

  /** Capacity for at least `n` bytes, keeping the content (sdsMakeRoomFor's greedy rule). */
  reserve(n: number): void {
    if (n <= this.buf.length) return;
    const cap = n < GREEDY_LIMIT ? n * 2 : n + GREEDY_LIMIT;
    const next = Buffer.allocUnsafeSlow(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Writes the latin1 string `s` at `offset` (≤ len), growing the value as needed. */
  writeText(s: string, offset: number): void {
    const end = offset + s.length;
    if (end > this.len) {
      this.reserve(end);
      this.len = end;
    }
    if (s.length > 0) (this.buf as unknown as Latin1Buffer).latin1Write(s, offset, s.length);
  }

  /** The value as a latin1 string (a copy). */
  text(from = 0, to = this.len): string {
    if (to <= from) return '';
    return (this.buf as unknown as Latin1Buffer).latin1Slice(from, to);
  }

  /** The value's bytes (a view valid until the next change). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** An independent copy with exact capacity (COPY). */
  clone(): ByteString {
    const b = ByteString.uninitialized(this.len);
    this.buf.copy(b.buf, 0, 0, this.len);
    return b;
  }
}

/** A string value in either representation. */
export type StringValue = string | ByteString;

/** The 32-bit words of a ByteString's memory (word k = bytes 4k..4k+3). */
export function wordsOf(b: ByteString): Int32Array {
  return new Int32Array(b.buf.buffer, b.buf.byteOffset, b.buf.length >>> 2);
}
