/**
 * Encodes server replies into one growable output buffer per connection, in RESP2 or RESP3
 * (`proto`). Handlers write replies straight into it; the session takes the bytes once per input
 * chunk and hands them to the socket in one write.
 *
 * Values are latin1 strings (the server's byte strings) or Buffers. The differences between the
 * protocol versions live only here: null, maps, sets, doubles, booleans, verbatim text and push.
 *
 * Invariant: `take()` returns bytes the writer never touches again; the scratch buffer is reused.
 *
 * Spilling: with a `spill` hook set, pending bytes past SPILL_SIZE are handed to it as they
 * accumulate, even in the middle of one reply (Redis appends to its reply list as it goes), so a
 * reply of any size costs at most about SPILL_SIZE of contiguous buffer here and the owner can
 * apply its output limits while the reply is being built. While replies are suppressed (CLIENT
 * REPLY OFF/SKIP) the suppressed bytes are dropped at that point instead (push frames kept), so a
 * suppressed reply costs no memory, as in Redis. Marks are absolute (bytes ever written), so a
 * rewind past a spill drops what is still pending.
 */

import { formatDouble } from './double-format.js';

/** Node's internal latin1 writer (Buffer#write without encoding lookup); typed here. */
interface Latin1Buffer {
  latin1Write(s: string, offset: number): number;
}

function latin1Write(buf: Buffer, s: string, offset: number): number {
  return (buf as unknown as Latin1Buffer).latin1Write(s, offset);
}

const INITIAL_SIZE = 16 * 1024;
/** Above this, take() hands the scratch buffer itself over instead of copying it. */
const HANDOFF_SIZE = 64 * 1024;
/** Pending bytes past which the writer relieves itself: spill (with a hook) or drop suppressed bytes. */
export const SPILL_SIZE = 64 * 1024;

export class ReplyWriter {
  proto: 2 | 3 = 2;
  /** Error replies written so far (the dispatcher counts failed calls with it). */
  errorCount = 0;
  /** Called with each error reply's text (the server keeps INFO errorstats with it). */
  onError: ((text: string) => void) | null = null;
  /**
   * Takes pending bytes in the middle of a reply (see the file header): `chunk` starts at absolute
   * offset `at` and is the owner's from then on.
   */
  spill: ((chunk: Buffer, at: number) => void) | null = null;
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_SIZE);
  private len = 0;
  /** Bytes handed over so far (taken, spilled or discarded): `handedOff + len` is the absolute offset. */
  private handedOff = 0;
  /** `len` at which ensure() next relieves the buffer (see relieve()). */
  private relieveAt = SPILL_SIZE;
  /**
   * Marks handed out and not yet used by an insert: bytes after a mark must stay in place (a
   * deferred length goes there), so the buffer is not relieved until the next take()/discard().
   */
  private openMarks = 0;
  /** While replies are suppressed (CLIENT REPLY OFF/SKIP): where each push frame started. */
  private pushStarts: number[] | null = null;
  /** While replies are suppressed: where the suppressed command's output starts in `buf`. */
  private suppressMark = 0;

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.len;
  }

  /** The pending bytes as an independent Buffer (null when empty); the writer starts over. */
  take(): Buffer | null {
    const n = this.len;
    if (n === 0) return null;
    this.len = 0;
    this.handedOff += n;
    this.relieveAt = SPILL_SIZE;
    this.openMarks = 0;
    if (n >= HANDOFF_SIZE) {
      const out = this.buf.subarray(0, n);
      this.buf = Buffer.allocUnsafe(INITIAL_SIZE);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, 0, n);
    return out;
  }

  /** Drops pending bytes (e.g. a connection being closed). */
  discard(): void {
    this.handedOff += this.len;
    this.len = 0;
    this.relieveAt = SPILL_SIZE;
    this.openMarks = 0;
    if (this.buf.length > HANDOFF_SIZE) this.buf = Buffer.allocUnsafe(INITIAL_SIZE);
  }

  /**
   * The current absolute offset, for a later rewind or deferred-length insert; the bytes written
   * from here stay in the buffer until the insert (or the next take()).
   */
  mark(): number {
    this.openMarks++;
    return this.handedOff + this.len;
  }

  /** Drops what was written after `mark`; bytes already spilled are the spill owner's to drop. */
  rewind(mark: number): void {
    const at = mark - this.handedOff;
    if (at < 0) this.len = 0;
    else if (at <= this.len) this.len = at;
  }

  /**
   * Starts a command whose replies may be suppressed (CLIENT REPLY OFF/SKIP); returns the mark
   * to hand to `dropRepliesSince` or `endSuppression`.
   */
  suppressFrom(): number {
    this.pushStarts = [];
    this.suppressMark = this.len;
    return this.len;
  }

  /** The command's replies are kept after all (e.g. CLIENT REPLY ON). */
  endSuppression(): void {
    this.pushStarts = null;
  }

  /**
   * Drops what was written since `mark`, except complete push frames: pub/sub messages and
   * confirmations pass through CLIENT REPLY OFF/SKIP, as Redis's CLIENT_PUSHING does.
   */
  dropRepliesSince(mark: number): void {
    // A relief in the middle of the command (see relieve()) moved the mark: ours is current.
    void mark;
    this.compactSuppressed();
    this.pushStarts = null;
  }

  /**
   * Drops the suppressed command's bytes written so far, keeping its push frames (a push frame
   * still being written is kept, and stays recorded). Returns where that partial frame starts
   * (or `len` when there is none).
   */
  private compactSuppressed(): number {
    const starts = this.pushStarts ?? [];
    const mark = this.suppressMark;
    let out = mark;
    let partial = -1;
    for (const start of starts) {
      if (start < mark) continue;
      let end = respValueEnd(this.buf, start, this.len);
      if (end < 0) {
        partial = out;
        end = this.len;
      }
      this.buf.copy(this.buf, out, start, end);
      out += end - start;
      if (partial !== -1) break;
    }
    this.len = out;
    // Complete push frames are kept for good: the suppressed region now starts after them.
    this.suppressMark = partial === -1 ? out : partial;
    if (this.pushStarts !== null) this.pushStarts = partial === -1 ? [] : [partial];
    return partial === -1 ? out : partial;
  }

  /**
   * The buffer passed SPILL_SIZE: drop suppressed bytes, then hand what precedes any push frame
   * still being written to the spill hook. When nothing can leave, wait for another SPILL_SIZE.
   */
  private relieve(): void {
    if (this.openMarks > 0) {
      this.relieveAt = this.len + SPILL_SIZE;
      return;
    }
    const keepFrom = this.pushStarts !== null ? this.compactSuppressed() : this.len;
    if (this.spill !== null && keepFrom > 0 && this.len >= SPILL_SIZE / 2) {
      const out = Buffer.allocUnsafe(keepFrom);
      this.buf.copy(out, 0, 0, keepFrom);
      const at = this.handedOff;
      this.buf.copy(this.buf, 0, keepFrom, this.len);
      this.len -= keepFrom;
      this.handedOff += keepFrom;
      if (this.pushStarts !== null) {
        this.suppressMark = 0;
        this.pushStarts = this.pushStarts.length > 0 ? [0] : [];
      }
      this.spill(out, at);
    }
    this.relieveAt = Math.max(SPILL_SIZE, this.len + SPILL_SIZE);
  }

  private ensure(extra: number): void {
    if (this.len >= this.relieveAt) this.relieve();
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private byte(b: number): void {
    this.buf[this.len++] = b;
  }

  private crlf(): void {
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** Writes the decimal digits of an integer (safe range) without allocating. */
  private digits(n: number): void {
    if (n < 0) {
      this.byte(45);
      n = -n;
    }
    let d = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) d++;
    let p = this.len + d - 1;
    let t = n;
    do {
      this.buf[p--] = 48 + (t % 10);
      t = Math.floor(t / 10);
    } while (t > 0);
    this.len += d;
  }

  private header(type: number, n: number): void {
    this.ensure(24);
    this.byte(type);
    this.digits(n);
    this.crlf();
  }

  /** Bytes that are already a complete RESP encoding (shared constant replies, relayed frames). */
  raw(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }

  ok(): void {
    this.ensure(5);
    const b = this.buf;
    const i = this.len;
    b[i] = 43;
    b[i + 1] = 79;
    b[i + 2] = 75;
    b[i + 3] = 13;
    b[i + 4] = 10;
    this.len = i + 5;
  }

  /** `+text` — text must not contain CR or LF. */
  simple(text: string): void {
    this.ensure(text.length + 3);
    this.byte(43);
    this.len += this.buf.write(text, this.len, 'latin1');
    this.crlf();
  }

  /** `-text`: text carries its own prefix word (`ERR …`, `WRONGTYPE …`); CR/LF become spaces as in Redis. */
  error(text: string): void {
    this.errorCount++;
    if (this.onError !== null) this.onError(text);
    this.ensure(text.length + 8);
    this.byte(45);
    const clean = text.indexOf('\r') === -1 && text.indexOf('\n') === -1 ? text : text.replace(/[\r\n]/g, ' ');
    this.len += this.buf.write(clean, this.len, 'latin1');
    this.crlf();
  }

  integer(n: number): void {
    this.header(58, n);
  }

  /** Integer that may exceed 2^53 (e.g. INCR results kept as bigint). */
  bigInteger(n: bigint): void {
    const s = n.toString();
    this.ensure(s.length + 3);
    this.byte(58);
    this.len += this.buf.write(s, this.len, 'latin1');
    this.crlf();
  }

  /** Bulk string from a latin1 string (the server's byte-string representation). */
  bulk(s: string): void {
    const n = s.length;
    this.ensure(n + 24);
    this.byte(36);
    this.digits(n);
    this.crlf();
    if (n > 0) this.len += latin1Write(this.buf, s, this.len);
    this.crlf();
  }

  /** Bulk string from the bytes [start, start + n) of `src` (values kept packed, e.g. stream nodes). */
  bulkBytes(src: Buffer, start: number, n: number): void {
    this.ensure(n + 24);
    const b = this.buf;
    if (n < 10) {
      b[this.len++] = 36;
      b[this.len++] = 48 + n;
    } else {
      this.byte(36);
      this.digits(n);
    }
    let i = this.len;
    b[i++] = 13;
    b[i++] = 10;
    // Short values (IDs, fields) copy faster by hand than through Buffer#copy's checks.
    if (n > 48) {
      src.copy(b, i, start, start + n);
      i += n;
    } else {
      for (let j = 0; j < n; j++) b[i++] = src[start + j]!;
    }
    b[i++] = 13;
    b[i++] = 10;
    this.len = i;
  }

  /**
   * Inserts an array header of n elements at `at`, a mark() taken before its elements were
   * written (Redis's deferred lengths, for replies whose size is known only at the end).
   */
  insertArray(at: number, n: number): void {
    this.insertHeader(at, `*${n}\r\n`);
  }

  /** insertArray for a map of n pairs (`%n` in RESP3, `*2n` in RESP2). */
  insertMap(at: number, n: number): void {
    this.insertHeader(at, this.proto === 3 ? `%${n}\r\n` : `*${2 * n}\r\n`);
  }

  private insertHeader(mark: number, header: string): void {
    const at = mark - this.handedOff;
    const h = header.length;
    this.ensure(h);
    this.buf.copyWithin(at + h, at, this.len);
    this.buf.write(header, at, 'latin1');
    this.len += h;
    if (this.openMarks > 0) this.openMarks--;
  }

  /** Bulk string or null. */
  bulkOrNull(s: string | undefined | null): void {
    if (s === undefined || s === null) this.nullBulk();
    else this.bulk(s);
  }

  nullBulk(): void {
    this.ensure(5);
    this.len += this.buf.write(this.proto === 3 ? '_\r\n' : '$-1\r\n', this.len, 'latin1');
  }

  nullArray(): void {
    this.ensure(5);
    this.len += this.buf.write(this.proto === 3 ? '_\r\n' : '*-1\r\n', this.len, 'latin1');
  }

  array(n: number): void {
    this.header(42, n);
  }

  /** An array header whose length may pass 2^53 (a client-given count, e.g. SRANDMEMBER -N). */
  bigArray(n: bigint): void {
    if (n <= BigInt(Number.MAX_SAFE_INTEGER)) return this.header(42, Number(n));
    const s = n.toString();
    this.ensure(s.length + 3);
    this.byte(42);
    this.len += this.buf.write(s, this.len, 'latin1');
    this.crlf();
  }

  /** A map of n pairs: `%n` in RESP3, a flat `*2n` array in RESP2. */
  map(n: number): void {
    if (this.proto === 3) this.header(37, n);
    else this.header(42, n * 2);
  }

  /** A set of n members: `~n` in RESP3, `*n` in RESP2. */
  set(n: number): void {
    this.header(this.proto === 3 ? 126 : 42, n);
  }

  /** A push frame of n elements: `>n` in RESP3, `*n` in RESP2 (pub/sub messages). */
  push(n: number): void {
    this.ensure(24);
    if (this.pushStarts !== null) this.pushStarts.push(this.len);
    this.header(this.proto === 3 ? 62 : 42, n);
  }

  /** A double: `,repr` in RESP3, a bulk string in RESP2, formatted as Redis formats it. */
  double(d: number): void {
    this.doubleText(formatDouble(d));
  }

  /** A double already formatted (e.g. Redis's human long-double form): `,s` in RESP3, bulk in RESP2. */
  doubleText(s: string): void {
    if (this.proto === 3) {
      this.ensure(s.length + 3);
      this.byte(44);
      this.len += this.buf.write(s, this.len, 'latin1');
      this.crlf();
    } else {
      this.bulk(s);
    }
  }

  boolean(b: boolean): void {
    if (this.proto === 3) {
      this.ensure(4);
      this.len += this.buf.write(b ? '#t\r\n' : '#f\r\n', this.len, 'latin1');
    } else {
      this.integer(b ? 1 : 0);
    }
  }

  /** Verbatim text (INFO, CLIENT LIST…): `=len\r\ntxt:…` in RESP3, a bulk string in RESP2. */
  verbatim(text: string): void {
    if (this.proto !== 3) {
      this.bulk(text);
      return;
    }
    this.ensure(text.length + 30);
    this.byte(61);
    this.digits(text.length + 4);
    this.crlf();
    this.len += this.buf.write('txt:', this.len, 'latin1');
    this.len += this.buf.write(text, this.len, 'latin1');
    this.crlf();
  }

  /** Array of status lines (HELP texts). */
  statusArray(lines: readonly string[]): void {
    this.array(lines.length);
    for (let i = 0; i < lines.length; i++) this.simple(lines[i]!);
  }

  /** Array of bulk strings. */
  bulkArray(items: readonly string[]): void {
    this.array(items.length);
    for (let i = 0; i < items.length; i++) this.bulk(items[i]!);
  }
}

/** Elements per aggregate header byte: maps and attributes hold pairs. */
function aggregateFactor(type: number): number {
  return type === 37 /* % */ || type === 124 /* | */ ? 2 : 1;
}

/**
 * The end offset of the one complete RESP2/RESP3 value starting at `start` in `buf[…, end)`, or
 * -1 when it is incomplete. Used to keep push frames while dropping the replies around them.
 */
export function respValueEnd(buf: Buffer, start: number, end: number): number {
  let pos = start;
  let pending = 1;
  while (pending > 0) {
    if (pos >= end) return -1;
    const type = buf[pos]!;
    const cr = buf.indexOf(13, pos);
    if (cr === -1 || cr + 1 >= end) return -1;
    const header = buf.toString('latin1', pos + 1, cr);
    pos = cr + 2;
    pending--;
    if (type === 36 /* $ */ || type === 61 /* = */ || type === 33 /* ! */) {
      const n = Number(header);
      if (n >= 0) pos += n + 2;
    } else if (type === 42 || type === 37 || type === 126 || type === 62 || type === 124) {
      const n = Number(header);
      if (n > 0) pending += n * aggregateFactor(type);
      // An attribute precedes the value it describes.
      if (type === 124) pending++;
    }
  }
  return pos <= end ? pos : -1;
}
