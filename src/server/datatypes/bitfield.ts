/**
 * BITFIELD and BITFIELD_RO (Redis bitops.c bitfieldGeneric): signed and unsigned integers of 1 to
 * 64 bits (u64 excluded, as Redis) at any bit offset of a string value, with GET, SET, INCRBY and
 * OVERFLOW WRAP|SAT|FAIL. Fields are big-endian bit strings (bit 0 = most significant bit of
 * byte 0), like SETBIT's.
 *
 * Field values are BigInts. Overflow is decided by Redis's own tests with their int64
 * wrap-arounds (overflowOf); on overflow WRAP keeps the low bits (two's complement for signed
 * fields), SAT clamps, FAIL skips the write and answers null. An unsigned SET value is taken as
 * the uint64 of its int64 (so a negative value overflows upward, as in Redis).
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { isWord, parseInt64, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType } from '../keyspace/entry.js';
import { BYTES_MIN, ByteString, strByte, strLength, stringOf, toBytes, type StringValue } from '../keyspace/string-value.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { bitOffset, fitsValue, stringForRead, stringForWrite } from './bitmap-args.js';
import { ByteEditor, ByteStringEditor, type ByteSink, type ByteSource } from './structures/byte-editor.js';

const TYPE_ERR = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

const Op = { GET: 0, SET: 1, INCRBY: 2 } as const;
type Op = (typeof Op)[keyof typeof Op];
const Overflow = { WRAP: 0, SAT: 1, FAIL: 2 } as const;
type Overflow = (typeof Overflow)[keyof typeof Overflow];

interface FieldOp {
  op: Op;
  overflow: Overflow;
  signed: boolean;
  bits: number;
  offset: number;
  /** SET value or INCRBY increment. */
  arg: bigint;
}

interface Parsed {
  ops: FieldOp[];
  /** Only GETs. */
  readonly: boolean;
  /** Last bit any SET/INCRBY touches. */
  highest: number;
}

/** `i1`..`i64` or `u1`..`u63`; null after replying the type error. */
function fieldType(c: ClientContext, arg: string): { signed: boolean; bits: number } | null {
  const sign = arg.charCodeAt(0);
  const bits = parseInteger(arg.slice(1));
  if ((sign !== 105 && sign !== 117) || bits === null || bits < 1 || bits > (sign === 105 ? 64 : 63)) {
    c.reply.error(TYPE_ERR);
    return null;
  }
  return { signed: sign === 105, bits };
}

/** Parses the subcommands in Redis's order; null after replying the first error. */
function parseOps(c: ClientContext, argv: string[]): Parsed | null {
  const parsed: Parsed = { ops: [], readonly: true, highest: 0 };
  let overflow: Overflow = Overflow.WRAP;
  for (let j = 2; j < argv.length; j++) {
    const rest = argv.length - j - 1;
    const sub = argv[j]!;
    let op: Op;
    if (isWord(sub, 'get') && rest >= 2) op = Op.GET;
    else if (isWord(sub, 'set') && rest >= 3) op = Op.SET;
    else if (isWord(sub, 'incrby') && rest >= 3) op = Op.INCRBY;
    else if (isWord(sub, 'overflow') && rest >= 1) {
      const kind = argv[++j]!;
      if (isWord(kind, 'wrap')) overflow = Overflow.WRAP;
      else if (isWord(kind, 'sat')) overflow = Overflow.SAT;
      else if (isWord(kind, 'fail')) overflow = Overflow.FAIL;
      else {
        c.reply.error('ERR Invalid OVERFLOW type specified');
        return null;
      }
      continue;
    } else {
      c.reply.error(R.SYNTAX);
      return null;
    }
    const type = fieldType(c, argv[j + 1]!);
    if (type === null) return null;
    const offset = bitOffset(c, argv[j + 2]!, type.bits);
    if (offset === null) return null;
    let arg = 0n;
    if (op !== Op.GET) {
      parsed.readonly = false;
      parsed.highest = Math.max(parsed.highest, offset + type.bits - 1);
      const v = parseInt64(argv[j + 3]!);
      if (v === null) {
        c.reply.error(R.NOT_INTEGER);
        return null;
      }
      arg = v;
    }
    parsed.ops.push({ op, overflow, signed: type.signed, bits: type.bits, offset, arg });
    j += op === Op.GET ? 2 : 3;
  }
  return parsed;
}

/** The field's bits as an unsigned BigInt. */
function readField(src: ByteSource, offset: number, bits: number): bigint {
  const first = Math.floor(offset / 8);
  const last = Math.floor((offset + bits - 1) / 8);
  let v = 0n;
  for (let i = first; i <= last; i++) v = (v << 8n) | BigInt(src.get(i));
  const shift = BigInt((last - first + 1) * 8 - (offset % 8) - bits);
  return (v >> shift) & ((1n << BigInt(bits)) - 1n);
}

/** Stores the low `bits` bits of `value` into the field. */
function writeField(ed: ByteSink, offset: number, bits: number, value: bigint): void {
  const first = Math.floor(offset / 8);
  const last = Math.floor((offset + bits - 1) / 8);
  let v = 0n;
  for (let i = first; i <= last; i++) v = (v << 8n) | BigInt(ed.get(i));
  const shift = BigInt((last - first + 1) * 8 - (offset % 8) - bits);
  const mask = ((1n << BigInt(bits)) - 1n) << shift;
  v = (v & ~mask) | ((value << shift) & mask);
  for (let i = last; i >= first; i--) {
    ed.set(i, Number(v & 0xffn));
    v >>= 8n;
  }
}

function fieldValue(raw: bigint, f: FieldOp): bigint {
  return f.signed ? BigInt.asIntN(f.bits, raw) : raw;
}

function replyBig(c: ClientContext, v: bigint): void {
  if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) c.reply.integer(Number(v));
  else c.reply.bigInteger(v);
}

const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/**
 * Redis's checkSignedBitfieldOverflow / checkUnsignedBitfieldOverflow, int64 wrap-arounds
 * included (so `SET i8 … -9223372036854775808` under SAT gives 127, as in Redis): 1 on overflow,
 * -1 on underflow, 0 when `value + incr` fits.
 */
function overflowOf(signed: boolean, bits: number, value: bigint, incr: bigint): number {
  const b = BigInt(bits);
  if (signed) {
    const max = (1n << (b - 1n)) - 1n;
    const min = -max - 1n;
    const maxincr = i64(u64(max) - value);
    const minincr = i64(min - value);
    if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) return 1;
    if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) return -1;
    return 0;
  }
  const max = (1n << b) - 1n;
  if (value > max || (incr > 0n && incr > i64(max - value))) return 1;
  if (incr < 0n && incr < i64(-value)) return -1;
  return 0;
}

/** Runs one SET/INCRBY; returns true when the stored field changed (or the value grew). */
function applyWrite(c: ClientContext, ed: ByteSink, f: FieldOp, grown: boolean): boolean {
  const old = fieldValue(readField(ed, f.offset, f.bits), f);
  // SET checks the new value as value + 0; an unsigned field takes the int64 as uint64.
  const value = f.op === Op.INCRBY ? old : f.signed ? f.arg : u64(f.arg);
  const incr = f.op === Op.INCRBY ? f.arg : 0n;
  const over = overflowOf(f.signed, f.bits, value, incr);
  if (over !== 0 && f.overflow === Overflow.FAIL) {
    c.reply.nullBulk();
    return false;
  }
  let next: bigint;
  if (over === 0) next = value + incr;
  else if (f.overflow === Overflow.WRAP) next = f.signed ? BigInt.asIntN(f.bits, value + incr) : BigInt.asUintN(f.bits, value + incr);
  else if (f.signed) next = over > 0 ? (1n << BigInt(f.bits - 1)) - 1n : -(1n << BigInt(f.bits - 1));
  else next = over > 0 ? (1n << BigInt(f.bits)) - 1n : 0n;
  replyBig(c, f.op === Op.INCRBY ? next : old);
  writeField(ed, f.offset, f.bits, BigInt.asUintN(f.bits, next));
  return grown || old !== next;
}

/** An editor of the value made `len` bytes long: in place for a big value, else a new string. */
function editor(cur: StringValue, len: number): ByteSink {
  if (typeof cur === 'string' && len < BYTES_MIN) return new ByteEditor(cur, len);
  return new ByteStringEditor(cur === '' ? ByteString.zeros(len) : toBytes(cur, len));
}

function bitfieldCommand(c: ClientContext, argv: string[], readonlyCommand: boolean): void {
  const parsed = parseOps(c, argv);
  if (parsed === null) return;
  const key = argv[1]!;
  if (parsed.readonly) {
    const s = stringForRead(c, key);
    if (s === undefined) return;
    const src: ByteSource = { get: (i) => (s === null ? 0 : strByte(s, i)) };
    c.reply.array(parsed.ops.length);
    for (const f of parsed.ops) replyBig(c, fieldValue(readField(src, f.offset, f.bits), f));
    return;
  }
  if (readonlyCommand) return c.reply.error('ERR BITFIELD_RO only supports the GET subcommand');
  const e = stringForWrite(c, key);
  if (e === null) return;
  const cur = e === undefined ? '' : stringOf(e);
  const len = Math.max(strLength(cur), Math.floor(parsed.highest / 8) + 1);
  if (!fitsValue(c, len)) return;
  const grown = e === undefined || len > strLength(cur);
  const ed = editor(cur, len);
  let changes = 0;
  c.reply.array(parsed.ops.length);
  for (const f of parsed.ops) {
    if (f.op === Op.GET) replyBig(c, fieldValue(readField(ed, f.offset, f.bits), f));
    else if (applyWrite(c, ed, f, grown)) changes++;
  }
  // Like Redis, the key is created (or grown) even when every write failed; only changes signal.
  if (changes > 0 || grown) {
    if (e === undefined) c.db.add(key, ValueType.STRING, ed.result());
    else e.value = ed.result();
    if (changes === 0 && e !== undefined) c.db.remeasure(e);
  }
  if (changes > 0) {
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.STRING, 'setbit', key);
    c.server.dirty += changes;
  }
}

export const BITFIELD_HANDLERS: HandlerTable = {
  bitfield: (c, argv) => bitfieldCommand(c, argv, false),
  bitfield_ro: (c, argv) => bitfieldCommand(c, argv, true),
};
