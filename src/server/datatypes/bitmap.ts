/**
 * Bitmap commands on string values (Redis bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP.
 * A bitmap is an ordinary string value; bit 0 is the most significant bit of the first byte.
 *
 * A value of BYTES_MIN bytes or more is a ByteString (keyspace/string-value.ts) that SETBIT and
 * BITOP's destination change in place; reads scan a ByteString's own memory, or windows of a
 * string copied into scratch memory, a 32-bit word at a time (structures/bit-string.ts).
 * Arguments are checked in Redis's order, so the same bad command gets the same error.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType } from '../keyspace/entry.js';
import { BYTES_MIN, ByteString, strByte, strLength, stringOf, toBytes, type StringValue } from '../keyspace/string-value.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { bitOffset, fitsValue, stringForRead, stringForWrite } from './bitmap-args.js';
import { BitOp } from './structures/bit-ops.js';
import { bitRange, bitopInto, countBits, countBytes, findBit } from './structures/bit-string.js';
import { ByteEditor } from './structures/byte-editor.js';
import { Slot, latin1, scratch } from './structures/byte-scratch.js';

const BIT_VALUE_ERR = 'ERR bit is not an integer or out of range';

/** BIT | BYTE keyword: true for BIT, false for BYTE, null after replying a syntax error. */
function unitArg(c: ClientContext, arg: string): boolean | null {
  if (isWord(arg, 'bit')) return true;
  if (isWord(arg, 'byte')) return false;
  c.reply.error(R.SYNTAX);
  return null;
}

function setbit(c: ClientContext, argv: string[]): void {
  const key = argv[1]!;
  const offset = bitOffset(c, argv[2]!);
  if (offset === null) return;
  const on = parseInteger(argv[3]!);
  if (on === null || (on !== 0 && on !== 1)) return c.reply.error(BIT_VALUE_ERR);
  const e = stringForWrite(c, key);
  if (e === null) return;
  const byte = Math.floor(offset / 8);
  const cur = e === undefined ? '' : stringOf(e);
  if (!fitsValue(c, byte + 1)) return;
  const old = strByte(cur, byte);
  const mask = 1 << (7 - (offset % 8));
  const was = (old & mask) !== 0 ? 1 : 0;
  const curLen = strLength(cur);
  if (e === undefined || byte >= curLen || was !== on) {
    const next = setByte(cur, Math.max(curLen, byte + 1), byte, on === 1 ? old | mask : old & ~mask);
    if (e === undefined) c.db.add(key, ValueType.STRING, next);
    else e.value = next;
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.STRING, 'setbit', key);
    c.server.dirty++;
  }
  c.reply.integer(was);
}

/**
 * The value with byte `i` set to `b`, `len` bytes long (zero-padded): a big value changes in
 * place (a new key's is one zero-filled allocation, as Redis's sdsnewlen), a small one is a new
 * string.
 */
function setByte(cur: StringValue, len: number, i: number, b: number): StringValue {
  if (typeof cur === 'string' && len < BYTES_MIN) {
    const ed = new ByteEditor(cur, len);
    ed.set(i, b);
    return ed.result();
  }
  const bytes = cur === '' ? ByteString.zeros(len) : toBytes(cur, len);
  bytes.buf[i] = b;
  return bytes;
}

function getbit(c: ClientContext, argv: string[]): void {
  const offset = bitOffset(c, argv[2]!);
  if (offset === null) return;
  const s = stringForRead(c, argv[1]!);
  if (s === undefined) return;
  if (s === null) return c.reply.integer(0);
  c.reply.integer((strByte(s, Math.floor(offset / 8)) >> (7 - (offset % 8))) & 1);
}

function bitcount(c: ClientContext, argv: string[]): void {
  const s = stringForRead(c, argv[1]!);
  if (s === undefined) return;
  if (s === null) return c.reply.integer(0);
  const len = strLength(s);
  if (argv.length === 2) return c.reply.integer(countBytes(s, 0, len));
  if (argv.length === 3 || argv.length > 5) return c.reply.error(R.SYNTAX);
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  if (start === null || end === null) return c.reply.error(R.NOT_INTEGER);
  if (start < 0 && end < 0 && start > end) return c.reply.integer(0);
  const isBit = argv.length === 5 ? unitArg(c, argv[4]!) : false;
  if (isBit === null) return;
  const range = bitRange(len, start, end, isBit);
  c.reply.integer(range === null ? 0 : countBits(s, range[0], range[1]));
}

function bitpos(c: ClientContext, argv: string[]): void {
  const bit = parseInteger(argv[2]!);
  if (bit === null) return c.reply.error(R.NOT_INTEGER);
  if (bit !== 0 && bit !== 1) return c.reply.error('ERR The bit argument must be 1 or 0.');
  const s = stringForRead(c, argv[1]!);
  if (s === undefined) return;
  if (s === null) return c.reply.integer(bit === 1 ? -1 : 0);
  if (argv.length > 6) return c.reply.error(R.SYNTAX);
  let start = 0;
  let end = -1;
  let isBit = false;
  const endGiven = argv.length >= 5;
  if (argv.length >= 4) {
    const st = parseInteger(argv[3]!);
    if (st === null) return c.reply.error(R.NOT_INTEGER);
    start = st;
    if (argv.length === 6) {
      const unit = unitArg(c, argv[5]!);
      if (unit === null) return;
      isBit = unit;
    }
    if (endGiven) {
      const en = parseInteger(argv[4]!);
      if (en === null) return c.reply.error(R.NOT_INTEGER);
      end = en;
    }
  }
  const range = bitRange(strLength(s), start, end, isBit);
  if (range === null) return c.reply.integer(-1);
  const pos = findBit(s, range[0], range[1], bit);
  // Without an explicit end, the value counts as zero-padded on the right (Redis's rule).
  c.reply.integer(pos >= 0 || bit === 1 || endGiven ? pos : range[1] + 1);
}

/** The sources' values ('' for a missing key), or null after replying WRONGTYPE. */
function bitopSources(c: ClientContext, argv: string[]): StringValue[] | null {
  const out: StringValue[] = [];
  for (let j = 3; j < argv.length; j++) {
    const s = stringForRead(c, argv[j]!);
    if (s === undefined) return null;
    out.push(s ?? '');
  }
  return out;
}

/**
 * BITOP's result value of `len` bytes. A big one is written into the destination's own
 * ByteString when it has the room and no source but the first is that ByteString (Redis
 * allocates anew; reusing the memory spares the page faults of a fresh megabyte), else into a new
 * one; a small one is built in scratch memory and becomes a string.
 */
function bitopResult(c: ClientContext, op: BitOp, srcs: StringValue[], dest: string, len: number): StringValue {
  if (len < BYTES_MIN) {
    const out = scratch(Slot.OUT, len);
    bitopInto(op, srcs, len, out);
    return latin1(out, 0, len);
  }
  const de = c.db.dict.get(dest);
  const old = de !== undefined && de.type === ValueType.STRING ? stringOf(de) : '';
  let into: ByteString;
  if (typeof old !== 'string' && old.capacity >= len && srcs.indexOf(old, 1) === -1) {
    into = old;
  } else {
    into = ByteString.uninitialized(len);
  }
  bitopInto(op, srcs, len, into.buf);
  into.len = len;
  return into;
}

function bitop(c: ClientContext, argv: string[]): void {
  const name = argv[1]!;
  const op = isWord(name, 'and') ? BitOp.AND : isWord(name, 'or') ? BitOp.OR : isWord(name, 'xor') ? BitOp.XOR : isWord(name, 'not') ? BitOp.NOT : null;
  if (op === null) return c.reply.error(R.SYNTAX);
  if (op === BitOp.NOT && argv.length !== 4) return c.reply.error('ERR BITOP NOT must be called with a single source key.');
  const srcs = bitopSources(c, argv);
  if (srcs === null) return;
  const dest = argv[2]!;
  let len = 0;
  for (const s of srcs) len = Math.max(len, strLength(s));
  if (len === 0) {
    if (c.db.delete(dest)) {
      c.server.keyspace.signalModified(c.db, dest);
      notify(c, Notify.GENERIC, 'del', dest);
      c.server.dirty++;
    }
    return c.reply.integer(0);
  }
  c.db.setString(dest, bitopResult(c, op, srcs, dest, len));
  c.server.keyspace.signalModified(c.db, dest);
  notify(c, Notify.STRING, 'set', dest);
  c.server.dirty++;
  c.reply.integer(len);
}

export const BITMAP_HANDLERS: HandlerTable = { setbit, getbit, bitcount, bitpos, bitop };
