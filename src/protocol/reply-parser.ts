/**
 * Streaming RESP2/RESP3 reply parser (the client side).
 *
 * Resumable and linear: completed elements of an aggregate live on an explicit stack, so a frame
 * split across chunks at any byte never re-parses what was already parsed; only an incomplete line
 * is kept in the buffer, and a large bulk payload is gathered chunk by chunk and joined once.
 * Push frames (`>`) go to onPush without consuming a reply; attributes (`|`) are parsed and dropped.
 * With `resp2Shape` (the client's connections), RESP3-only types take the shape RESP2 gives the same
 * reply: a map becomes a flat [k, v, k, v …] array, a double or a big number its text as a bulk
 * string (a Buffer in buffer mode), a boolean 1 or 0; sets are arrays either way. So a reply's JS
 * value does not depend on the protocol, except where Redis nests a reply differently under RESP3
 * (reply-nesting.ts re-nests those commands' replies).
 * `returnBuffers` is read once at the start of each top-level frame (the connection sets it from
 * the command at the head of its FIFO). Malformed input reports one ProtocolError and the parser
 * stays dead until reset(); feed() never throws.
 */

import { ProtocolError, ReplyError } from '../errors.js';
import { DEFAULT_MAX_BULK_LENGTH } from './limits.js';
import type { RespValue } from './resp-types.js';

const EMPTY = Buffer.alloc(0);
const MAX_NESTING = 128;
const MAX_AGGREGATE = 2 ** 31 - 1;

const KIND_ARRAY = 0;
const KIND_SET = 1;
const KIND_PUSH = 2;
const KIND_MAP = 3;
const KIND_ATTR = 4;

interface Frame {
  kind: number;
  remaining: number;
  items: RespValue[];
}

export interface ReplyParserHandlers {
  onReply(value: RespValue): void;
  onPush(value: RespValue[]): void;
  onError(err: ProtocolError): void;
}

export interface ReplyParserOptions {
  maxBulkLength?: number;
  /** Give RESP3-only types RESP2's shape (see the header). Default false: Map, number, boolean, bigint. */
  resp2Shape?: boolean;
}

export class ReplyParser {
  /** Decode bulk strings as Buffers for the next top-level frame. */
  returnBuffers = false;
  private buffers = false;
  private buf: Buffer = EMPTY;
  private pos = 0;
  private readonly stack: Frame[] = [];
  private dead = false;
  /** A bulk payload being gathered: its type byte, length and chunks so far. */
  private bulkType = 0;
  private bulkLen = -1;
  private bulkParts: Buffer[] = [];
  private bulkHave = 0;
  private readonly maxBulk: number;
  private readonly resp2Shape: boolean;

  constructor(
    private readonly handlers: ReplyParserHandlers,
    options: ReplyParserOptions = {},
  ) {
    this.maxBulk = options.maxBulkLength ?? DEFAULT_MAX_BULK_LENGTH;
    this.resp2Shape = options.resp2Shape === true;
  }

  reset(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.stack.length = 0;
    this.dead = false;
    this.bulkLen = -1;
    this.bulkParts = [];
    this.bulkHave = 0;
  }

  feed(chunk: Buffer): void {
    if (this.dead || chunk.length === 0) return;
    if (this.bulkLen >= 0) {
      // Gathering a large bulk: keep chunks until the payload and its CRLF are all here.
      this.bulkParts.push(chunk);
      this.bulkHave += chunk.length;
      if (this.bulkHave < this.bulkLen + 2) return;
      const all = Buffer.concat(this.bulkParts, this.bulkHave);
      this.bulkParts = [];
      const len = this.bulkLen;
      this.bulkLen = -1;
      this.value(this.bulkValue(this.bulkType, all, 0, len));
      this.buf = all;
      this.pos = len + 2;
    } else if (this.pos < this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
    } else {
      this.buf = chunk;
      this.pos = 0;
    }
    this.run();
  }

  private fail(message: string): void {
    this.dead = true;
    this.buf = EMPTY;
    this.pos = 0;
    this.stack.length = 0;
    this.handlers.onError(new ProtocolError(message));
  }

  private run(): void {
    const buf = this.buf;
    const len = buf.length;
    while (!this.dead && this.pos < len) {
      const start = this.pos;
      const cr = buf.indexOf(13, start);
      if (cr === -1 || cr + 1 >= len) {
        if (len - start > 64 * 1024 * 1024) this.fail('reply header line too long');
        break;
      }
      if (this.stack.length === 0) this.buffers = this.returnBuffers;
      const type = buf[start]!;
      const lineStart = start + 1;
      this.pos = cr + 2;
      switch (type) {
        case 43: // +
          this.value(buf.toString('utf8', lineStart, cr));
          break;
        case 45: // -
          this.value(new ReplyError(buf.toString('utf8', lineStart, cr)));
          break;
        case 58: // :
          this.value(this.integer(buf.toString('latin1', lineStart, cr)));
          break;
        case 95: // _
          this.value(null);
          break;
        case 35: // #
          if (this.resp2Shape) this.value(buf[lineStart] === 116 ? 1 : 0);
          else this.value(buf[lineStart] === 116);
          break;
        case 44: // ,
          if (this.resp2Shape) this.value(this.asBulk(buf, lineStart, cr));
          else this.value(this.double(buf.toString('latin1', lineStart, cr)));
          break;
        case 40: {
          // (
          const t = buf.toString('latin1', lineStart, cr);
          if (!/^-?\d+$/.test(t)) return this.fail(`invalid big number '${t}'`);
          this.value(this.resp2Shape ? this.asBulk(buf, lineStart, cr) : BigInt(t));
          break;
        }
        case 36: // $
        case 33: // !
        case 61: {
          // =
          const n = this.length(buf, lineStart, cr);
          if (n === null) return;
          if (n === -1) {
            this.value(null);
            break;
          }
          if (n > this.maxBulk) return this.fail(`bulk length ${n} exceeds the limit`);
          if (len - this.pos < n + 2) {
            this.bulkType = type;
            this.bulkLen = n;
            const rest = buf.subarray(this.pos);
            this.bulkParts = [rest];
            this.bulkHave = rest.length;
            this.buf = EMPTY;
            this.pos = 0;
            return;
          }
          const v = this.bulkValue(type, buf, this.pos, n);
          this.pos += n + 2;
          this.value(v);
          break;
        }
        case 42: // *
        case 126: // ~
        case 62: // >
        case 37: // %
        case 124: {
          // |
          const n = this.length(buf, lineStart, cr);
          if (n === null) return;
          if (n === -1) {
            this.value(null);
            break;
          }
          if (n > MAX_AGGREGATE) return this.fail(`aggregate length ${n} exceeds the limit`);
          if (this.stack.length >= MAX_NESTING) return this.fail('replies nested too deeply');
          const kind = type === 42 ? KIND_ARRAY : type === 126 ? KIND_SET : type === 62 ? KIND_PUSH : type === 37 ? KIND_MAP : KIND_ATTR;
          const count = kind === KIND_MAP || kind === KIND_ATTR ? n * 2 : n;
          const frame: Frame = { kind, remaining: count, items: [] };
          if (count === 0) this.complete(frame);
          else this.stack.push(frame);
          break;
        }
        default:
          return this.fail(`unexpected type byte 0x${type.toString(16)}`);
      }
    }
    if (this.pos >= len && this.bulkLen < 0) {
      this.buf = EMPTY;
      this.pos = 0;
    }
  }

  private length(buf: Buffer, from: number, to: number): number | null {
    const t = buf.toString('latin1', from, to);
    if (!/^(-1|\d+)$/.test(t)) {
      this.fail(`invalid length '${t}'`);
      return null;
    }
    return Number(t);
  }

  private integer(t: string): number | bigint {
    const n = Number(t);
    if (Number.isSafeInteger(n)) return n;
    return /^-?\d+$/.test(t) ? BigInt(t) : n;
  }

  private double(t: string): number {
    if (t === 'inf' || t === '+inf') return Infinity;
    if (t === '-inf') return -Infinity;
    return Number(t);
  }

  /** A RESP3 scalar's text as RESP2 sends it: a bulk string. */
  private asBulk(buf: Buffer, from: number, to: number): RespValue {
    return this.buffers ? Buffer.from(buf.subarray(from, to)) : buf.toString('latin1', from, to);
  }

  private bulkValue(type: number, buf: Buffer, at: number, n: number): RespValue {
    if (type === 33) return new ReplyError(buf.toString('utf8', at, at + n));
    const skip = type === 61 && n >= 4 ? 4 : 0;
    if (this.buffers) return Buffer.from(buf.subarray(at + skip, at + n));
    return buf.toString('utf8', at + skip, at + n);
  }

  /** Places a finished value into the enclosing aggregate, completing frames upward. */
  private value(v: RespValue): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.handlers.onReply(v);
      return;
    }
    top.items.push(v);
    if (--top.remaining === 0) {
      this.stack.pop();
      this.complete(top);
    }
  }

  private complete(f: Frame): void {
    if (f.kind === KIND_ATTR) return;
    if (f.kind === KIND_PUSH && this.stack.length === 0) {
      this.handlers.onPush(f.items);
      return;
    }
    if (f.kind === KIND_MAP && !this.resp2Shape) {
      const m = new Map<RespValue, RespValue>();
      for (let i = 0; i < f.items.length; i += 2) m.set(f.items[i]!, f.items[i + 1]!);
      this.value(m);
      return;
    }
    this.value(f.items);
  }
}
