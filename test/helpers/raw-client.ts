/**
 * A byte-exact RESP test client: sends commands as RESP arrays of latin1 strings and returns each
 * reply frame as the raw bytes the server wrote, so differential tests compare servers byte for
 * byte, error texts included. Push frames are delivered in order like any other frame.
 */

import { HarnessError } from './harness-error.js';
import net from 'node:net';

/** End offset of the complete RESP2/RESP3 frame starting at `pos`, or -1 if incomplete. */
export function frameEnd(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const type = buf[pos]!;
  const cr = buf.indexOf(13, pos);
  if (cr === -1 || cr + 1 >= buf.length) return -1;
  const lineEnd = cr + 2;
  const header = buf.toString('latin1', pos + 1, cr);
  switch (type) {
    case 43: // +
    case 45: // -
    case 58: // :
    case 95: // _
    case 44: // ,
    case 35: // #
    case 40: // (
      return lineEnd;
    case 36: // $
    case 33: // !
    case 61: {
      // =
      const n = Number(header);
      if (n < 0) return lineEnd;
      const end = lineEnd + n + 2;
      return end <= buf.length ? end : -1;
    }
    case 42: // *
    case 126: // ~
    case 62: // >
    case 37: // %
    case 124: {
      // |
      let n = Number(header);
      if (n < 0) return lineEnd;
      if (type === 37 || type === 124) n *= 2;
      let p = lineEnd;
      for (let i = 0; i < n; i++) {
        p = frameEnd(buf, p);
        if (p === -1) return -1;
      }
      // An attribute is followed by the value it annotates.
      return type === 124 ? frameEnd(buf, p) : p;
    }
    default:
      throw new HarnessError(`not a RESP frame at ${pos}: ${JSON.stringify(buf.toString('latin1', pos, pos + 20))}`);
  }
}

/** The top-level child frames of an aggregate reply (each as its raw latin1 text). */
export function childFrames(reply: string): string[] {
  const buf = Buffer.from(reply, 'latin1');
  const out: string[] = [];
  for (let pos = reply.indexOf('\r\n') + 2; pos < buf.length; ) {
    const end = frameEnd(buf, pos);
    out.push(reply.slice(pos, end));
    pos = end;
  }
  return out;
}

export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

export class RawClient {
  private buf: Buffer = Buffer.alloc(0);
  private frames: Buffer[] = [];
  private waiters: { resolve: (b: Buffer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private closedErr: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => this.fail(new HarnessError('connection closed')));
    socket.on('error', (e) => this.fail(e));
  }

  /** Wraps an already connected socket (e.g. a Unix socket). */
  static fromSocket(socket: net.Socket): RawClient {
    return new RawClient(socket);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((res, rej) => {
      const s = net.connect({ port, host }, () => {
        s.off('error', rej);
        res(new RawClient(s));
      });
      s.once('error', rej);
    });
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    let pos = 0;
    for (;;) {
      const end = frameEnd(this.buf, pos);
      if (end === -1) break;
      this.frames.push(Buffer.from(this.buf.subarray(pos, end)));
      pos = end;
    }
    this.buf = this.buf.subarray(pos);
    while (this.frames.length > 0 && this.waiters.length > 0) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve(this.frames.shift()!);
    }
  }

  private fail(e: Error): void {
    this.closedErr ??= e;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(e);
    }
  }

  /** Writes raw bytes (for malformed-protocol tests). */
  writeRaw(bytes: Buffer | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  send(args: readonly (string | Buffer)[]): void {
    this.socket.write(encodeCommand(args));
  }

  /** The next frame, as raw bytes. Rejects after timeoutMs or when the connection closes. */
  next(timeoutMs = 5000): Promise<Buffer> {
    const f = this.frames.shift();
    if (f !== undefined) return Promise.resolve(f);
    if (this.closedErr !== null) return Promise.reject(this.closedErr);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new HarnessError(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ resolve, reject, timer });
    });
  }

  /** Sends one command and returns its reply frame as a latin1 string. */
  async call(...args: (string | Buffer)[]): Promise<string> {
    this.send(args);
    return (await this.next()).toString('latin1');
  }

  /** Frames already received and not yet read. */
  get pending(): number {
    return this.frames.length;
  }

  /** Resolves when the server closes the connection. */
  closed(timeoutMs = 5000): Promise<void> {
    if (this.closedErr !== null || this.socket.destroyed) return Promise.resolve();
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new HarnessError('connection still open')), timeoutMs);
      this.socket.once('close', () => (clearTimeout(t), res()));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
