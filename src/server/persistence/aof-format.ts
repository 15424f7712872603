/**
 * The AOF's command stream: commands in RESP (arrays of bulk strings, as Redis writes them),
 * grouped in batches — the writes of one event-loop turn — each closed by a trailer record:
 *
 *   *3\r\n$8\r\nRC-BATCH\r\n$<n>\r\n<time ms>\r\n$8\r\n<crc32, 8 hex digits>\r\n
 *
 * The CRC-32 covers every byte from the end of the previous trailer (or of the snapshot preamble,
 * or the file start) up to the `$` of the checksum bulk, the time included. The time is the
 * earliest command clock in the batch; loading replays the batch with the clock set to it, so
 * expiry decisions made while replaying match those made when the commands ran.
 *
 * Why trailers: a batch is applied on load only once its trailer checks, so a flipped byte
 * anywhere is detected (never a silent partial load), a torn tail is recognised as such (a batch
 * without trailer), and a MULTI/EXEC, always written within one batch, is applied whole or not at all.
 */

import { crc32 } from './crc32.js';

declare global {
  interface Buffer {
    /** Node's latin1 writer behind `Buffer#write(s, off, 'latin1')`, without its argument dispatch (hot path). */
    latin1Write(s: string, offset: number, length?: number): number;
  }
}

export const TRAILER_NAME = 'RC-BATCH';

const INITIAL = 64 * 1024;
/** A batch buffer that grew past this is dropped after the batch, so one burst does not pin memory. */
const KEEP_MAX = 4 * 1024 * 1024;

/** An append-only RESP buffer for one batch. */
export class BatchBuffer {
  private buf = Buffer.allocUnsafe(INITIAL);
  private len = 0;
  private sealedFrom = 0;

  get length(): number {
    return this.len;
  }

  command(argv: readonly string[]): void {
    let size = 16;
    for (let i = 0; i < argv.length; i++) size += argv[i]!.length + 16;
    this.ensure(size);
    this.header(42, argv.length);
    for (let i = 0; i < argv.length; i++) {
      const s = argv[i]!;
      this.header(36, s.length);
      this.len += this.buf.latin1Write(s, this.len);
      this.buf[this.len++] = 13;
      this.buf[this.len++] = 10;
    }
  }

  select(db: number): void {
    this.command(['SELECT', String(db)]);
  }

  /**
   * Closes the batch with its trailer and returns its bytes as an independent buffer (the batch
   * starts over empty): small batches are copied, large ones handed over.
   */
  take(timeMs: number): Buffer {
    const view = this.seal(timeMs);
    let out: Buffer;
    if (view.length >= INITIAL / 2) {
      out = view;
      this.buf = Buffer.allocUnsafe(INITIAL);
    } else {
      out = Buffer.allocUnsafe(view.length);
      view.copy(out);
    }
    this.len = 0;
    return out;
  }

  /** Closes the batch with its trailer and returns the bytes (a view, valid until reset()). */
  seal(timeMs: number): Buffer {
    this.sealedFrom = this.len;
    const time = String(timeMs);
    this.ensure(64);
    this.header(42, 3);
    this.header(36, TRAILER_NAME.length);
    this.len += this.buf.write(TRAILER_NAME, this.len, 'latin1');
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
    this.header(36, time.length);
    this.len += this.buf.write(time, this.len, 'latin1');
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
    const crc = crc32(this.buf.subarray(0, this.len));
    this.len += this.buf.write(`$8\r\n${crc.toString(16).padStart(8, '0')}\r\n`, this.len, 'latin1');
    return this.buf.subarray(0, this.len);
  }

  /** Removes the trailer seal() appended (the batch is to be sealed again later). */
  unseal(): void {
    this.len = this.sealedFrom;
  }

  reset(): void {
    this.len = 0;
    if (this.buf.length > KEEP_MAX) this.buf = Buffer.allocUnsafe(INITIAL);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** `*n\r\n` or `$n\r\n`, digits written in place (no string per length). */
  private header(type: number, n: number): void {
    const buf = this.buf;
    buf[this.len++] = type;
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let at = this.len + digits;
    this.len = at;
    for (let x = n; at > this.len - digits; x = Math.floor(x / 10)) buf[--at] = 48 + (x % 10);
    buf[this.len++] = 13;
    buf[this.len++] = 10;
  }
}
