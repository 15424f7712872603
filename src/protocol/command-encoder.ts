/**
 * Encodes client commands as RESP arrays of bulk strings, batching for auto-pipelining: every
 * command pushed in one tick is written into one growable scratch buffer (strings written in place,
 * no payload concatenation); Buffers larger than PASS_THROUGH bytes travel as their own chunk,
 * uncopied. `flush()` hands out chunks the encoder never touches again.
 */

import { InvalidArgumentError } from '../errors.js';

export type CommandArg = string | Buffer | number;

const PASS_THROUGH = 8 * 1024;
const INITIAL = 16 * 1024;

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

  private ascii(s: string): void {
    this.len += this.buf.write(s, this.len, 'latin1');
  }

  private header(prefix: string, n: number): void {
    this.ensure(24);
    this.ascii(`${prefix}${n}\r\n`);
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

  push(args: readonly CommandArg[]): void {
    this.header('*', args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (typeof a === 'string') {
        const n = Buffer.byteLength(a, 'utf8');
        this.header('$', n);
        this.ensure(n + 2);
        if (n > 0) this.len += this.buf.write(a, this.len, 'utf8');
        this.ascii('\r\n');
      } else if (typeof a === 'number') {
        if (!Number.isFinite(a)) throw new InvalidArgumentError(`argument ${i} is not a finite number: ${a}`);
        const s = String(a);
        this.header('$', s.length);
        this.ensure(s.length + 2);
        this.ascii(s);
        this.ascii('\r\n');
      } else if (Buffer.isBuffer(a)) {
        this.header('$', a.length);
        if (a.length >= PASS_THROUGH) {
          this.cut();
          this.chunks.push(a);
          this.chunkBytes += a.length;
          this.ensure(2);
        } else {
          this.ensure(a.length + 2);
          a.copy(this.buf, this.len);
          this.len += a.length;
        }
        this.ascii('\r\n');
      } else {
        throw new InvalidArgumentError(`argument ${i} must be a string, Buffer or number, got ${typeof a}`);
      }
    }
    this.commands++;
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
