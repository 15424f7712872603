/**
 * Edits a few bytes of a string value (BITFIELD, SETBIT) and yields the new value:
 *
 * - ByteStringEditor edits a ByteString (byte-string.ts) in its own memory;
 * - ByteEditor edits a small latin1 string (up to CHUNK bytes; keyspace/string-value.ts turns
 *   bigger edited values into ByteStrings): the bytes are copied into the OUT scratch buffer,
 *   edited there and turned back into one flat string (two memcpys).
 *
 * Bytes past the old value's end read as zero (the value is zero-padded to `length`), and so do
 * bytes past `length` (reads only; writes stay below `length`).
 */

import { Slot, latin1, scratch, writeLatin1 } from './byte-scratch.js';
import type { ByteString } from './byte-string.js';

/** Random access to the bytes of a value (zero past its end). */
export interface ByteSource {
  get(i: number): number;
}

/** An edit in progress: reads see the writes; `result()` is the edited value. */
export interface ByteSink extends ByteSource {
  readonly length: number;
  set(i: number, byte: number): void;
  result(): string | ByteString;
}

/** Edits a ByteString in place (the caller made it `length` bytes long). */
export class ByteStringEditor implements ByteSink {
  constructor(private readonly bytes: ByteString) {}

  get length(): number {
    return this.bytes.len;
  }

  get(i: number): number {
    return i < this.bytes.len ? this.bytes.buf[i]! : 0;
  }

  set(i: number, byte: number): void {
    this.bytes.buf[i] = byte;
  }

  result(): ByteString {
    return this.bytes;
  }
}

export class ByteEditor implements ByteSink {
  private readonly buf: Buffer;

  /** `length` (≥ s.length, ≤ CHUNK) is the length of the edited value (longer pads with zero bytes). */
  constructor(
    s: string,
    readonly length: number,
  ) {
    const buf = scratch(Slot.OUT, length);
    writeLatin1(buf, s, 0);
    if (s.length < length) buf.fill(0, s.length, length);
    this.buf = buf;
  }

  get(i: number): number {
    return i < this.length ? this.buf[i]! : 0;
  }

  set(i: number, byte: number): void {
    this.buf[i] = byte;
  }

  /** The edited value. */
  result(): string {
    return latin1(this.buf, 0, this.length);
  }
}
