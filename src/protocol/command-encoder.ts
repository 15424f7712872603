/**
 * Encodes client commands as RESP arrays of bulk strings, batching for auto-pipelining: every
 * command pushed in one tick is written into one growable scratch buffer (strings written in place,
 * no payload concatenation); Buffers larger than PASS_THROUGH bytes travel as their own chunk,
 * uncopied. `flush()` hands out chunks the encoder never touches again.
 *
 * Speed: headers (`*3\r\n`, `$5\r\n`), CRLFs and short ASCII strings (names, keys, numbers) are
 * stored byte by byte from JS: each Buffer#write is a call into C++ that costs more than the
 * bytes it writes when they are this few. A short string is copied optimistically as ASCII and
 * re-encoded as UTF-8 on the first non-ASCII character.
 *
 * Atomic: `push` either encodes the whole command or, when an argument cannot be sent (see
 * arg-check.ts), throws and leaves the batch byte for byte as it was, so a refused command can
 * never leave half a command on a shared connection.
 */

import { InvalidArgumentError } from '../errors.js';

export type CommandArg = string | Buffer | number | bigint;

const PASS_THROUGH = 8 * 1024;
const INITIAL = 16 * 1024;
/** Strings up to this length are tried as ASCII in a JS loop. */
const SHORT = 64;
const CR = 13;
const LF = 10;

export class CommandEncoder {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL);
  private len = 0;
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private commands = 0;

  get pendingBytes(): number {
    return this.chunkBytes + this.len;
  }

  get pendingCommands(): number {
    return this.commands;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** `prefix` digits CR LF, written byte by byte (room for 24 bytes must be ensured). */
  private header(prefix: number, n: number): void {
    const buf = this.buf;
    let p = this.len;
    buf[p++] = prefix;
    if (n < 10) buf[p++] = 48 + n;
    else if (n < 100) {
      buf[p++] = 48 + ((n / 10) | 0);
      buf[p++] = 48 + (n % 10);
    } else p += buf.write(String(n), p, 'latin1');
    buf[p++] = CR;
    buf[p++] = LF;
    this.len = p;
  }

  private crlf(): void {
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
  }

  /** A short string as an ASCII bulk; false (nothing written) if it has a non-ASCII character. */
  private shortAscii(a: string): boolean {
    const n = a.length;
    const start = this.len;
    this.header(36, n);
    const buf = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) {
      const c = a.charCodeAt(i);
      if (c > 127) {
        this.len = start;
        return false;
      }
      buf[p++] = c;
    }
    buf[p++] = CR;
    buf[p++] = LF;
    this.len = p;
    return true;
  }

  /** Moves the scratch bytes written so far into the chunk list (before a pass-through Buffer). */
  private cut(): void {
    if (this.len === 0) return;
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.chunks.push(out);
    this.chunkBytes += this.len;
    this.len = 0;
  }

  private string(a: string): void {
    this.ensure(SHORT + 32);
    if (a.length <= SHORT && this.shortAscii(a)) return;
    const n = Buffer.byteLength(a, 'utf8');
    this.ensure(n + 32);
    this.header(36, n);
    if (n > 0) this.len += this.buf.write(a, this.len, 'utf8');
    this.crlf();
  }

  push(args: readonly CommandArg[]): void {
    const len = this.len;
    const chunks = this.chunks.length;
    const chunkBytes = this.chunkBytes;
    try {
      this.write(args);
    } catch (err) {
      // Roll back: a cut() during this command moved the earlier bytes into a chunk; put them back.
      if (this.chunks.length > chunks) this.chunks[chunks]!.copy(this.buf, 0, 0, len);
      this.chunks.length = chunks;
      this.chunkBytes = chunkBytes;
      this.len = len;
      throw err;
    }
    this.commands++;
  }

  private write(args: readonly CommandArg[]): void {
    this.ensure(24);
    this.header(42, args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (typeof a === 'string') {
        this.string(a);
      } else if (typeof a === 'number') {
        if (!Number.isFinite(a)) throw new InvalidArgumentError(`argument ${i} is not a finite number: ${a}`);
        this.ensure(SHORT + 32);
        this.shortAscii(String(a));
      } else if (typeof a === 'bigint') {
        this.string(a.toString());
      } else if (Buffer.isBuffer(a)) {
        this.ensure(24);
        this.header(36, a.length);
        if (a.length >= PASS_THROUGH) {
          this.cut();
          this.chunks.push(a);
          this.chunkBytes += a.length;
        } else {
          this.ensure(a.length + 2);
          a.copy(this.buf, this.len);
          this.len += a.length;
        }
        this.ensure(2);
        this.crlf();
      } else {
        throw new InvalidArgumentError(`argument ${i} must be a string, Buffer, number or bigint, got ${typeof a}`);
      }
    }
  }

  /** The pending bytes as chunks (in order); the encoder starts a new batch. */
  flush(): Buffer[] {
    this.cut();
    const out = this.chunks;
    this.chunks = [];
    this.chunkBytes = 0;
    this.commands = 0;
    if (this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(INITIAL);
    return out;
  }
}

/** One command as one Buffer. */
export function encodeCommand(args: readonly CommandArg[]): Buffer {
  const e = new CommandEncoder();
  e.push(args);
  const chunks = e.flush();
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
