/**
 * Encodes propagated commands as RESP arrays into one growing scratch buffer, flushed once per
 * event-loop turn to the backlog and the replicas (one socket write per replica per turn, no
 * allocation per command). Strings are binary-safe latin1, as everywhere in the node.
 *
 * Invariant: the encoding is canonical (`*<n>\r\n` then `$<len>\r\n<bytes>\r\n` per argument), so
 * a replica computes each applied command's size from its argv alone (`encodedLength`).
 */

export class StreamEncoder {
  private buf = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  /** The bytes encoded since the last `clear()`. */
  get bytes(): Buffer {
    return this.buf;
  }

  clear(): void {
    this.length = 0;
    if (this.buf.length > 4 * 1024 * 1024) this.buf = Buffer.allocUnsafe(64 * 1024);
  }

  encode(argv: readonly string[]): void {
    this.ensure(encodedLength(argv));
    let off = this.header(42, argv.length, this.length);
    for (const a of argv) {
      off = this.header(36, a.length, off);
      off += this.buf.write(a, off, 'latin1');
      this.buf[off++] = 13;
      this.buf[off++] = 10;
    }
    this.length = off;
  }

  /** `<type><n>\r\n`, the digits written in place (no string per header). */
  private header(type: number, n: number, at: number): number {
    let off = at;
    this.buf[off++] = type;
    const len = digits(n);
    for (let i = off + len - 1, v = n; i >= off; i--, v = Math.floor(v / 10)) this.buf[i] = 48 + (v % 10);
    off += len;
    this.buf[off++] = 13;
    this.buf[off++] = 10;
    return off;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

function digits(n: number): number {
  let d = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) d++;
  return d;
}

/** Bytes of the canonical RESP encoding of `argv`. */
export function encodedLength(argv: readonly string[]): number {
  let n = 3 + digits(argv.length);
  for (const a of argv) n += 5 + digits(a.length) + a.length;
  return n;
}
