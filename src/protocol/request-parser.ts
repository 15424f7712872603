/**
 * Streaming parser for client requests (the server side of RESP): multibulk arrays of bulk strings
 * and inline commands, exactly as Redis 7.0's processMultibulkBuffer / processInlineBuffer read them.
 *
 * Arguments come out as latin1 strings (one char per byte), the server's binary-safe representation,
 * so a parsed argument never pins the socket chunk it came from.
 *
 * Invariants:
 * - resumable at any byte: a partial command keeps its parsed arguments; nothing is parsed twice;
 * - bounded: header lines and inline commands may not exceed INLINE_MAX_SIZE, bulk strings
 *   `maxBulkLength`; a bulk argument that arrives in many chunks is gathered and joined once;
 * - after a malformed request `error` holds Redis's reply text and `next()` returns null forever:
 *   the session replies with it and closes the connection, as Redis does.
 */

import {
  BIG_ARG_THRESHOLD,
  DEFAULT_MAX_BULK_LENGTH,
  DEFAULT_MAX_MULTIBULK_LENGTH,
  INLINE_MAX_SIZE,
  UNAUTHENTICATED_MAX_BULK,
  UNAUTHENTICATED_MAX_MULTIBULK,
} from './limits.js';
import { constants } from 'node:buffer';
import { splitInlineArgs } from './inline-args.js';

const EMPTY = Buffer.alloc(0);

/**
 * Node's internal latin1 slicer, skipping Buffer#toString's argument normalisation: the parser's
 * hottest call (one per argument). Present on every Buffer since Node 0.x; typed here.
 */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
}

function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1Buffer).latin1Slice(start, end);
}
const CR = 13;
const LF = 10;

export interface RequestLimits {
  maxBulkLength?: number;
  maxMultibulkLength?: number;
}

/**
 * Parses `buf[start, end)` as Redis's string2ll does: optional '-', digits, no leading zeros,
 * no sign for zero. Returns NaN when the text is not a canonical integer.
 */
function parseLength(buf: Buffer, start: number, end: number): number {
  if (start >= end || end - start > 20) return NaN;
  let i = start;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
    if (i === end) return NaN;
  }
  if (buf[i] === 48) return end - i === 1 && !neg ? 0 : NaN;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}

export class RequestParser {
  /** Redis's error text for the first malformed request, or null. */
  error: string | null = null;
  /** When true, the pre-AUTH limits apply (10 arguments, 16 KiB bulks), as in Redis. */
  authRequired = false;

  private readonly maxBulk: number;
  private readonly maxMultibulk: number;
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Bulk strings still to read for the current multibulk command; 0 = at a command boundary. */
  private argsLeft = 0;
  private args: string[] = [];
  /** Length of the bulk being read, or -1 when its `$` header is still to come. */
  private bulkLen = -1;
  /** Chunks of a big argument being gathered, and how many bytes it still needs in total. */
  private bigParts: Buffer[] | null = null;
  private bigHave = 0;
  private bigNeed = 0;

  constructor(limits: RequestLimits = {}) {
    // An argument becomes a latin1 string: never longer than V8's longest (536,870,888 chars).
    this.maxBulk = Math.min(limits.maxBulkLength ?? DEFAULT_MAX_BULK_LENGTH, constants.MAX_STRING_LENGTH);
    this.maxMultibulk = limits.maxMultibulkLength ?? DEFAULT_MAX_MULTIBULK_LENGTH;
  }

  /** Bytes received but not yet consumed by complete commands (for the query-buffer limit). */
  get bufferedBytes(): number {
    return this.bigParts !== null ? this.bigHave : this.buf.length - this.pos;
  }

  /**
   * Bytes of the chunk being parsed, the commands already taken from it included: what Redis's
   * query buffer holds while one of those commands runs (it trims the buffer after the batch).
   */
  get heldBytes(): number {
    return this.bigParts !== null ? this.bigHave : this.buf.length;
  }

  /** Up to `n` of the bytes not yet consumed (Redis logs them when closing a client). */
  pendingHead(n: number): Buffer {
    if (this.bigParts === null) return this.buf.subarray(this.pos, Math.min(this.buf.length, this.pos + n));
    const parts: Buffer[] = [];
    let have = 0;
    for (const p of this.bigParts) {
      if (have >= n) break;
      parts.push(p.subarray(0, n - have));
      have += parts[parts.length - 1]!.length;
    }
    return Buffer.concat(parts, have);
  }

  feed(chunk: Buffer): void {
    if (this.error !== null || chunk.length === 0) return;
    if (this.bigParts !== null) {
      this.bigParts.push(chunk);
      this.bigHave += chunk.length;
      if (this.bigHave < this.bigNeed) return;
      this.buf = Buffer.concat(this.bigParts, this.bigHave);
      this.pos = 0;
      this.bigParts = null;
      return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      const rest = this.buf.length - this.pos;
      const merged = Buffer.allocUnsafe(rest + chunk.length);
      this.buf.copy(merged, 0, this.pos);
      chunk.copy(merged, rest);
      this.buf = merged;
    }
    this.pos = 0;
  }

  /** The next complete command's arguments, or null when more input is needed (or after an error). */
  next(): string[] | null {
    if (this.error !== null || this.bigParts !== null) return null;
    const buf = this.buf;
    const len = buf.length;
    for (;;) {
      if (this.argsLeft === 0) {
        if (this.pos >= len) return this.release();
        if (buf[this.pos] !== 42 /* '*' */) {
          const argv = this.inline(buf, len);
          if (argv === null) return null;
          if (argv.length === 0) continue;
          return argv;
        }
        const count = this.header(buf, len, 'mbulk');
        if (count === null) return null;
        if (count <= 0) continue;
        this.argsLeft = count;
        this.args = [];
      }
      while (this.argsLeft > 0) {
        if (this.bulkLen < 0) {
          if (this.pos >= len) return null;
          const n = this.header(buf, len, 'bulk');
          if (n === null) return null;
          this.bulkLen = n;
        }
        const need = this.bulkLen + 2;
        const have = len - this.pos;
        if (have < need) {
          if (this.bulkLen >= BIG_ARG_THRESHOLD) this.gather(buf, need);
          return null;
        }
        this.args.push(latin1(buf, this.pos, this.pos + this.bulkLen));
        this.pos += need;
        this.bulkLen = -1;
        this.argsLeft--;
      }
      const argv = this.args;
      this.args = [];
      return argv;
    }
  }

  /** Drops all state (RESET keeps the connection but a fresh parser is simpler for callers). */
  reset(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.argsLeft = 0;
    this.args = [];
    this.bulkLen = -1;
    this.bigParts = null;
    this.error = null;
  }

  private release(): null {
    this.buf = EMPTY;
    this.pos = 0;
    return null;
  }

  private fail(message: string): null {
    this.error = message;
    this.buf = EMPTY;
    this.pos = 0;
    this.bigParts = null;
    return null;
  }

  /** Starts gathering a big bulk argument so that it is joined once rather than re-copied per chunk. */
  private gather(buf: Buffer, need: number): void {
    const rest = buf.subarray(this.pos);
    this.bigParts = [rest];
    this.bigHave = rest.length;
    this.bigNeed = need;
    this.buf = EMPTY;
    this.pos = 0;
  }

  /** Reads a `*<n>\r\n` or `$<n>\r\n` header at pos; null when incomplete or on error. */
  private header(buf: Buffer, len: number, kind: 'mbulk' | 'bulk'): number | null {
    const cr = buf.indexOf(CR, this.pos);
    if (cr === -1 || cr + 1 >= len) {
      if (len - this.pos > INLINE_MAX_SIZE) {
        return this.fail(`Protocol error: too big ${kind} count string`);
      }
      return null;
    }
    if (kind === 'bulk' && buf[this.pos] !== 36 /* '$' */) {
      return this.fail(`Protocol error: expected '$', got '${String.fromCharCode(buf[this.pos]!)}'`);
    }
    const n = parseLength(buf, this.pos + 1, cr);
    if (kind === 'mbulk') {
      if (Number.isNaN(n) || n > this.maxMultibulk) return this.fail('Protocol error: invalid multibulk length');
      if (n > UNAUTHENTICATED_MAX_MULTIBULK && this.authRequired) {
        return this.fail('Protocol error: unauthenticated multibulk length');
      }
    } else {
      if (Number.isNaN(n) || n < 0 || n > this.maxBulk) return this.fail('Protocol error: invalid bulk length');
      if (n > UNAUTHENTICATED_MAX_BULK && this.authRequired) {
        return this.fail('Protocol error: unauthenticated bulk length');
      }
    }
    this.pos = cr + 2;
    return n;
  }

  /** Reads one inline command line; [] for a blank line (a replica's keepalive), null when incomplete. */
  private inline(buf: Buffer, len: number): string[] | null {
    const nl = buf.indexOf(LF, this.pos);
    if (nl === -1) {
      if (len - this.pos > INLINE_MAX_SIZE) return this.fail('Protocol error: too big inline request');
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const line = buf.toString('latin1', this.pos, end);
    this.pos = nl + 1;
    const argv = splitInlineArgs(line);
    if (argv === null) return this.fail('Protocol error: unbalanced quotes in request');
    return argv;
  }
}
