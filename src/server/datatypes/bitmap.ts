/**
 * Bitmap commands on string values (Redis bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP.
 * A bitmap is an ordinary string value; bit 0 is the most significant bit of the first byte.
 *
 * Reads work on byte windows copied into scratch memory (structures/byte-scratch.ts) and scanned
 * a 32-bit word at a time (structures/bit-ops.ts); values bigger than one window are walked window
 * by window. Arguments are checked in Redis's order, so the same bad command gets the same error.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType } from '../keyspace/entry.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { bitOffset, fitsValue, stringForRead, stringForWrite } from './bitmap-args.js';
import { BitOp } from './structures/bit-ops.js';
import { bitRange, bitopResult, countBits, countBytes, findBit } from './structures/bit-string.js';
import { ByteEditor } from './structures/byte-editor.js';

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
  const cur = e === undefined ? '' : (e.value as string);
  if (!fitsValue(c, byte + 1)) return;
  const old = byte < cur.length ? cur.charCodeAt(byte) : 0;
  const mask = 1 << (7 - (offset % 8));
  const was = (old & mask) !== 0 ? 1 : 0;
  if (e === undefined || byte >= cur.length || was !== on) {
    const ed = new ByteEditor(cur, Math.max(cur.length, byte + 1));
    ed.set(byte, on === 1 ? old | mask : old & ~mask);
    if (e === undefined) c.db.add(key, ValueType.STRING, ed.result());
    else e.value = ed.result();
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.STRING, 'setbit', key);
    c.server.dirty++;
  }
  c.reply.integer(was);
}

function getbit(c: ClientContext, argv: string[]): void {
  const offset = bitOffset(c, argv[2]!);
  if (offset === null) return;
  const s = stringForRead(c, argv[1]!);
  if (s === undefined) return;
  const byte = Math.floor(offset / 8);
  if (s === null || byte >= s.length) return c.reply.integer(0);
  c.reply.integer((s.charCodeAt(byte) >> (7 - (offset % 8))) & 1);
}

function bitcount(c: ClientContext, argv: string[]): void {
  const s = stringForRead(c, argv[1]!);
  if (s === undefined) return;
  if (s === null) return c.reply.integer(0);
  if (argv.length === 2) return c.reply.integer(s.length === 0 ? 0 : countBytes(s, 0, s.length));
  if (argv.length === 3 || argv.length > 5) return c.reply.error(R.SYNTAX);
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  if (start === null || end === null) return c.reply.error(R.NOT_INTEGER);
  if (start < 0 && end < 0 && start > end) return c.reply.integer(0);
  const isBit = argv.length === 5 ? unitArg(c, argv[4]!) : false;
  if (isBit === null) return;
  const range = bitRange(s.length, start, end, isBit);
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
  const range = bitRange(s.length, start, end, isBit);
  if (range === null) return c.reply.integer(-1);
  const pos = findBit(s, range[0], range[1], bit);
  // Without an explicit end, the value counts as zero-padded on the right (Redis's rule).
  c.reply.integer(pos >= 0 || bit === 1 || endGiven ? pos : range[1] + 1);
}

/** The sources' values ('' for a missing key), or null after replying WRONGTYPE. */
function bitopSources(c: ClientContext, argv: string[]): string[] | null {
  const out: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const s = stringForRead(c, argv[j]!);
    if (s === undefined) return null;
    out.push(s ?? '');
  }
  return out;
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
  for (const s of srcs) if (s.length > len) len = s.length;
  if (len === 0) {
    if (c.db.delete(dest)) {
      c.server.keyspace.signalModified(c.db, dest);
      notify(c, Notify.GENERIC, 'del', dest);
      c.server.dirty++;
    }
    return c.reply.integer(0);
  }
  c.db.setString(dest, bitopResult(op, srcs, len));
  c.server.keyspace.signalModified(c.db, dest);
  notify(c, Notify.STRING, 'set', dest);
  c.server.dirty++;
  c.reply.integer(len);
}

export const BITMAP_HANDLERS: HandlerTable = { setbit, getbit, bitcount, bitpos, bitop };
