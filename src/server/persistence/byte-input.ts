/**
 * Input buffering for the incremental decoders (snapshot reader, AOF reader): chunks are pushed
 * as they arrive; a decoder reads `buf` from `pos` and calls `need(n)`, which throws UNDERFLOW
 * when fewer than n bytes are buffered. The decoder then rewinds to the start of its unit and
 * waits. `need` remembers how far the data must reach, and chunks are only merged once it does,
 * so a value larger than a chunk is not re-parsed (nor re-copied) for every chunk that arrives.
 */

/** Thrown (one shared value, no allocation) when a unit runs past the buffered bytes. */
export const UNDERFLOW: unique symbol = Symbol('underflow');

export class ByteInput {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  /** Absolute offset of buf[0]. */
  base: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private needUntil = 0;

  constructor(startOffset = 0) {
    this.base = startOffset;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Buffered bytes not yet consumed (merged or not). */
  get available(): number {
    return this.buf.length - this.pos + this.pendingBytes;
  }

  /** True when a retry can make progress (the data reaches what the last unit needed). */
  get ready(): boolean {
    return this.base + this.buf.length >= this.needUntil;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.base + this.buf.length + this.pendingBytes >= this.needUntil) this.merge();
  }

  /** Every unconsumed byte, merged into `buf`. */
  rest(): Buffer {
    this.merge();
    return this.buf.subarray(this.pos);
  }

  private merge(): void {
    if (this.pending.length === 0) return;
    const parts = this.pos < this.buf.length ? [this.buf.subarray(this.pos), ...this.pending] : this.pending;
    this.base += this.pos;
    this.buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.pos = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Throws UNDERFLOW unless n bytes are buffered from pos. */
  need(n: number): void {
    if (this.pos + n > this.buf.length) {
      this.needUntil = this.base + this.pos + n;
      throw UNDERFLOW;
    }
  }
}
