/**
 * The replication backlog: a circular buffer holding the last `size` bytes of the replication
 * stream, and the stream's offset (Redis master_repl_offset: bytes ever written under the current
 * history). A replica keeps one too, fed with the bytes it applied, so that after its promotion
 * the other replicas can resume from it (PSYNC with replid2).
 *
 * Offsets follow Redis: `offset` counts bytes; the first byte held is `offset - histlen + 1`;
 * a PSYNC asking for byte `from` (the replica's processed offset + 1) is served when
 * `firstByteOffset <= from <= offset + 1`.
 */

export class ReplBacklog {
  private buf: Buffer;
  private idx = 0;
  histlen = 0;
  offset = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(16 * 1024, size));
  }

  get size(): number {
    return this.buf.length;
  }

  get firstByteOffset(): number {
    return this.histlen === 0 ? this.offset + 1 : this.offset - this.histlen + 1;
  }

  /** Forgets the history and restarts the stream at `offset` (after a full sync). */
  reset(offset: number): void {
    this.offset = offset;
    this.histlen = 0;
    this.idx = 0;
  }

  /** Changes the capacity, keeping the most recent history that fits. */
  resize(size: number): void {
    const keep = this.copyFrom(this.offset - Math.min(this.histlen, size) + 1) ?? Buffer.alloc(0);
    this.buf = Buffer.allocUnsafe(Math.max(16 * 1024, size));
    this.idx = 0;
    this.histlen = 0;
    const off = this.offset - keep.length;
    this.offset = off;
    this.append(keep, 0, keep.length);
  }

  /** Appends bytes `src[start, end)` and advances the offset. */
  append(src: Buffer, start: number, end: number): void {
    const n = end - start;
    this.offset += n;
    const cap = this.buf.length;
    if (n >= cap) {
      src.copy(this.buf, 0, end - cap, end);
      this.idx = 0;
      this.histlen = cap;
      return;
    }
    const first = Math.min(n, cap - this.idx);
    src.copy(this.buf, this.idx, start, start + first);
    if (first < n) src.copy(this.buf, 0, start + first, end);
    this.idx = (this.idx + n) % cap;
    this.histlen = Math.min(cap, this.histlen + n);
  }

  /** True when the stream from byte `from` on is still held. */
  has(from: number): boolean {
    return from >= this.firstByteOffset && from <= this.offset + 1;
  }

  /** A copy of the stream from byte `from` to the end, or null when no longer held. */
  copyFrom(from: number): Buffer | null {
    if (!this.has(from)) return null;
    const n = this.offset - from + 1;
    const out = Buffer.allocUnsafe(n);
    const cap = this.buf.length;
    const begin = (this.idx - n + cap) % cap;
    const first = Math.min(n, cap - begin);
    this.buf.copy(out, 0, begin, begin + first);
    if (first < n) this.buf.copy(out, first, 0, n - first);
    return out;
  }
}
