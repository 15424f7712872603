/**
 * String commands (Redis t_string.c): GET/SET and their variants, MGET/MSET, APPEND, ranges and
 * counters. Values are StringValues (keyspace/string-value.ts): latin1 strings, and ByteStrings for
 * big values that APPEND and SETRANGE edit in place; replies write either's bytes directly.
 *
 * Relative TTLs are propagated as absolute ones (SET … PXAT, PEXPIREAT) and INCRBYFLOAT as a SET of
 * its result, so AOF replay and replicas reach the same state whatever their clock.
 */

import { constants } from 'node:buffer';
import { incrByFloat } from '../util/decimal.js';
import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { INT64_MAX, INT64_MIN, keyword, longOrReply, parseInt64, parseLongDouble } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { MAX_EXPIRE_AT } from '../keyspace/db.js';
import { BYTES_MIN, ByteString, strLength, strText, stringOf, toBytes, type StringValue } from '../keyspace/string-value.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

/** Flags of SET/GETEX's extended arguments (Redis parseExtendedStringArgumentsOrReply). */
const NX = 1;
const XX = 2;
const GET = 4;
const KEEPTTL = 8;
const PERSIST = 16;
const EX = 32;
const PX = 64;
const EXAT = 128;
const PXAT = 256;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

interface ExtArgs {
  flags: number;
  /** Absolute expiry in ms, or -1. */
  at: number;
  /** The expire argument's text and unit flag, validated by resolveExpire. */
  raw: string;
  unit: number;
}

function stringValue(c: ClientContext, e: Entry | undefined): StringValue | null | undefined {
  if (e === undefined) return null;
  if (e.type !== ValueType.STRING) {
    c.reply.error(R.WRONGTYPE);
    return undefined;
  }
  return stringOf(e);
}

/** A string value as a bulk reply, from either representation. */
function replyValue(c: ClientContext, v: StringValue): void {
  if (typeof v === 'string') c.reply.bulk(v);
  else c.reply.bulkBytes(v.buf, 0, v.len);
}

function replyValueOrNull(c: ClientContext, v: StringValue | null): void {
  if (v === null) c.reply.nullBulk();
  else replyValue(c, v);
}

/**
 * Parses SET's (`set`) or GETEX's (`getex`) options from argv[from]. Replies with the error and
 * returns null on failure.
 */
function parseExtArgs(c: ClientContext, argv: string[], from: number, forSet: boolean): ExtArgs | null {
  let flags = 0;
  let unit = 0;
  let raw = '';
  for (let i = from; i < argv.length; i++) {
    const opt = keyword(argv[i]!);
    const next = i + 1 < argv.length;
    if (forSet && opt === 'nx' && !(flags & XX)) flags |= NX;
    else if (forSet && opt === 'xx' && !(flags & NX)) flags |= XX;
    else if (forSet && opt === 'get') flags |= GET;
    else if (forSet && opt === 'keepttl' && !(flags & (PERSIST | ANY_EXPIRE))) flags |= KEEPTTL;
    else if (!forSet && opt === 'persist' && !(flags & (ANY_EXPIRE | KEEPTTL))) flags |= PERSIST;
    else if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && next) {
      const bit = opt === 'ex' ? EX : opt === 'px' ? PX : opt === 'exat' ? EXAT : PXAT;
      if (flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & ~bit))) {
        c.reply.error(R.SYNTAX);
        return null;
      }
      flags |= bit;
      unit = bit;
      raw = argv[++i]!;
    } else {
      c.reply.error(R.SYNTAX);
      return null;
    }
  }
  return { flags, at: -1, raw, unit };
}

/**
 * Redis getExpireMillisecondsOrReply: a positive integer in `unitMs`, plus the current time when
 * `relative`, within int64 milliseconds; the absolute expiry, or null after replying. Times past
 * MAX_EXPIRE_AT (year 287,396) are kept as MAX_EXPIRE_AT (see docs/server.md).
 */
export function expireTimeOrReply(c: ClientContext, text: string, unitMs: 1 | 1000, relative: boolean, name: string): number | null {
  const n = parseInt64(text);
  if (n === null) {
    c.reply.error(R.NOT_INTEGER);
    return null;
  }
  if (n <= 0n || (unitMs === 1000 && n > INT64_MAX / 1000n)) {
    c.reply.error(R.INVALID_EXPIRE(name));
    return null;
  }
  const at = n * BigInt(unitMs) + (relative ? BigInt(c.server.keyspace.now) : 0n);
  if (at > INT64_MAX) {
    c.reply.error(R.INVALID_EXPIRE(name));
    return null;
  }
  return at > BigInt(MAX_EXPIRE_AT) ? MAX_EXPIRE_AT : Number(at);
}

/** Validates the expire argument and sets ext.at; replies with the error and returns false. */
function resolveExpire(c: ClientContext, ext: ExtArgs, name: string): boolean {
  const unit = ext.unit;
  if (unit === 0) return true;
  const at = expireTimeOrReply(c, ext.raw, unit === EX || unit === EXAT ? 1000 : 1, unit === EX || unit === PX, name);
  if (at === null) return false;
  ext.at = at;
  return true;
}

/** Applies an absolute expiry; a time already past deletes the key (propagated as DEL). */
function applyExpire(c: ClientContext, e: Entry, at: number): boolean {
  const ks = c.server.keyspace;
  if (at <= ks.now && c.server.role === 'master') {
    c.db.remove(e);
    return false;
  }
  c.db.setExpire(e, at);
  return true;
}

function setCommand(c: ClientContext, argv: string[]): void {
  if (argv.length === 3) {
    // Plain SET: the common case, with no option parsing and one dictionary lookup.
    c.db.setString(argv[1]!, argv[2]!);
    c.server.keyspace.signalModified(c.db, argv[1]!);
    notify(c, Notify.STRING, 'set', argv[1]!);
    c.server.dirty++;
    return c.reply.ok();
  }
  const ext = parseExtArgs(c, argv, 3, true);
  if (ext === null || !resolveExpire(c, ext, 'set')) return;
  const key = argv[1]!;
  const db = c.db;
  if (ext.flags & GET) {
    const old = stringValue(c, db.lookupRead(key));
    if (old === undefined) return;
    replyValueOrNull(c, old);
  }
  const found = ext.flags & (NX | XX) ? db.lookupWrite(key) !== undefined : false;
  if ((ext.flags & NX && found) || (ext.flags & XX && !found)) {
    if (!(ext.flags & GET)) c.reply.nullBulk();
    return;
  }
  const e = db.setString(key, argv[2]!, (ext.flags & KEEPTTL) !== 0);
  let alive = true;
  if (ext.at !== -1) alive = applyExpire(c, e, ext.at);
  c.server.keyspace.signalModified(db, key);
  notify(c, Notify.STRING, 'set', key);
  if (ext.at !== -1) notify(c, Notify.GENERIC, 'expire', key);
  c.server.dirty++;
  if (!alive) c.propagateAs = [['DEL', key]];
  else if (ext.at !== -1) c.propagateAs = [['SET', key, argv[2]!, 'PXAT', String(ext.at)]];
  else if (ext.flags & (GET | NX | XX)) c.propagateAs = [ext.flags & KEEPTTL ? ['SET', key, argv[2]!, 'KEEPTTL'] : ['SET', key, argv[2]!]];
  if (!(ext.flags & GET)) c.reply.ok();
}

/** SETEX / PSETEX share SET's core. */
function setWithTtl(c: ClientContext, key: string, ttlText: string, value: string, unitMs: 1 | 1000, name: string): void {
  const at = expireTimeOrReply(c, ttlText, unitMs, true, name);
  if (at === null) return;
  const e = c.db.setString(key, value);
  c.db.setExpire(e, at);
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.STRING, 'set', key);
  notify(c, Notify.GENERIC, 'expire', key);
  c.server.dirty++;
  c.propagateAs = [['SET', key, value, 'PXAT', String(at)]];
  c.reply.ok();
}

/** INCR family on int64 with Redis's overflow errors. */
function incrBy(c: ClientContext, key: string, by: bigint): void {
  const e = c.db.lookupWrite(key);
  let cur = 0n;
  if (e !== undefined) {
    if (e.type !== ValueType.STRING) return c.reply.error(R.WRONGTYPE);
    const s = stringOf(e);
    // string2ll refuses more than 20 chars: a big value is never copied out just to fail.
    const v = strLength(s) > 20 ? null : parseInt64(strText(s));
    if (v === null) return c.reply.error(R.NOT_INTEGER);
    cur = v;
  }
  const next = cur + by;
  if (next > INT64_MAX || next < INT64_MIN) return c.reply.error(R.OVERFLOW);
  const text = next.toString();
  if (e !== undefined) {
    e.value = text;
  } else {
    c.db.add(key, ValueType.STRING, text);
  }
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.STRING, 'incrby', key);
  c.server.dirty++;
  if (next >= BigInt(Number.MIN_SAFE_INTEGER) && next <= BigInt(Number.MAX_SAFE_INTEGER)) c.reply.integer(Number(next));
  else c.reply.bigInteger(next);
}

/** GETRANGE's index normalisation (Redis 7.0 getrangeCommand): [from, to) of a value of `len` bytes. */
function byteRange(len: number, start: number, end: number): [number, number] {
  if (start < 0 && end < 0 && start > end) return [0, 0];
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return [0, 0];
  return [start, end + 1];
}

function getrange(c: ClientContext, argv: string[]): void {
  const start = longOrReply(c, argv[2]!);
  if (start === null) return;
  const end = longOrReply(c, argv[3]!);
  if (end === null) return;
  const v = stringValue(c, c.db.lookupRead(argv[1]!));
  if (v === undefined) return;
  if (v === null) return c.reply.bulk('');
  const [from, to] = byteRange(strLength(v), start, end);
  if (typeof v === 'string') c.reply.bulk(from === 0 && to === v.length ? v : v.slice(from, to));
  else c.reply.bulkBytes(v.buf, from, to - from);
}

/**
 * SETRANGE's new value: `value` written at `offset`, zero-padded past the old end. A value of
 * BYTES_MIN bytes or more is edited in place (a new key's is one allocation, zero-filled as
 * Redis's sdsnewlen); smaller ones stay strings.
 */
function setRange(cur: StringValue, offset: number, value: string): StringValue {
  const len = Math.max(strLength(cur), offset + value.length);
  if (typeof cur === 'string' && len < BYTES_MIN) {
    const padded = cur.length < offset ? cur + '\0'.repeat(offset - cur.length) : cur;
    return padded.slice(0, offset) + value + padded.slice(offset + value.length);
  }
  const b = cur === '' ? ByteString.zeros(len) : toBytes(cur, offset);
  b.writeText(value, offset);
  return b;
}

/**
 * The longest string value: proto-max-bulk-len, and never more than V8's longest string
 * (536,870,888 chars, 24 short of the 512 MB default; see docs/server.md).
 */
function maxLen(c: ClientContext): number {
  return Math.min(c.server.config.int('proto-max-bulk-len'), MAX_STRING_LENGTH);
}

export const STRING_HANDLERS: HandlerTable = {
  get(c, argv) {
    const v = stringValue(c, c.db.lookupRead(argv[1]!));
    if (v !== undefined) replyValueOrNull(c, v);
  },

  set: setCommand,

  setnx(c, argv) {
    if (c.db.lookupWrite(argv[1]!) !== undefined) return c.reply.integer(0);
    c.db.setString(argv[1]!, argv[2]!);
    c.server.keyspace.signalModified(c.db, argv[1]!);
    notify(c, Notify.STRING, 'set', argv[1]!);
    c.server.dirty++;
    c.reply.integer(1);
  },

  setex(c, argv) {
    setWithTtl(c, argv[1]!, argv[2]!, argv[3]!, 1000, 'setex');
  },

  psetex(c, argv) {
    setWithTtl(c, argv[1]!, argv[2]!, argv[3]!, 1, 'psetex');
  },

  getex(c, argv) {
    const ext = parseExtArgs(c, argv, 2, false);
    if (ext === null) return;
    const key = argv[1]!;
    const e = c.db.lookupRead(key);
    const v = stringValue(c, e);
    if (v === undefined) return;
    if (v === null || e === undefined) return c.reply.nullBulk();
    if (!resolveExpire(c, ext, 'getex')) return;
    replyValue(c, v);
    if (ext.at !== -1) {
      if (applyExpire(c, e, ext.at)) c.propagateAs = [['PEXPIREAT', key, String(ext.at)]];
      else c.propagateAs = [['DEL', key]];
      c.server.keyspace.signalModified(c.db, key);
      notify(c, Notify.GENERIC, c.propagateAs[0]![0] === 'DEL' ? 'del' : 'expire', key);
      c.server.dirty++;
    } else if (ext.flags & PERSIST && c.db.persist(e)) {
      c.propagateAs = [['PERSIST', key]];
      c.server.keyspace.signalModified(c.db, key);
      notify(c, Notify.GENERIC, 'persist', key);
      c.server.dirty++;
    }
  },

  getdel(c, argv) {
    const e = c.db.lookupRead(argv[1]!);
    const v = stringValue(c, e);
    if (v === undefined) return;
    if (v === null || e === undefined) return c.reply.nullBulk();
    replyValue(c, v);
    c.db.remove(e);
    c.server.keyspace.signalModified(c.db, argv[1]!);
    notify(c, Notify.GENERIC, 'del', argv[1]!);
    c.server.dirty++;
    c.propagateAs = [['DEL', argv[1]!]];
  },

  getset(c, argv) {
    const v = stringValue(c, c.db.lookupRead(argv[1]!));
    if (v === undefined) return;
    replyValueOrNull(c, v);
    c.db.setString(argv[1]!, argv[2]!);
    c.server.keyspace.signalModified(c.db, argv[1]!);
    notify(c, Notify.STRING, 'set', argv[1]!);
    c.server.dirty++;
  },

  mget(c, argv) {
    c.reply.array(argv.length - 1);
    for (let i = 1; i < argv.length; i++) {
      const e = c.db.lookupRead(argv[i]!);
      if (e === undefined || e.type !== ValueType.STRING) c.reply.nullBulk();
      else replyValue(c, stringOf(e));
    }
  },

  mset(c, argv) {
    if (argv.length % 2 === 0) return c.reply.error(R.WRONG_ARGS('mset'));
    for (let i = 1; i < argv.length; i += 2) {
      c.db.setString(argv[i]!, argv[i + 1]!);
      c.server.keyspace.signalModified(c.db, argv[i]!);
      notify(c, Notify.STRING, 'set', argv[i]!);
    }
    c.server.dirty += (argv.length - 1) / 2;
    c.reply.ok();
  },

  msetnx(c, argv) {
    if (argv.length % 2 === 0) return c.reply.error(R.WRONG_ARGS('msetnx'));
    for (let i = 1; i < argv.length; i += 2) {
      if (c.db.lookupWrite(argv[i]!) !== undefined) return c.reply.integer(0);
    }
    for (let i = 1; i < argv.length; i += 2) {
      c.db.setString(argv[i]!, argv[i + 1]!);
      c.server.keyspace.signalModified(c.db, argv[i]!);
      notify(c, Notify.STRING, 'set', argv[i]!);
    }
    c.server.dirty += (argv.length - 1) / 2;
    c.reply.integer(1);
  },

  append(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    let len: number;
    if (e === undefined) {
      c.db.add(key, ValueType.STRING, argv[2]!);
      len = argv[2]!.length;
    } else {
      if (e.type !== ValueType.STRING) return c.reply.error(R.WRONGTYPE);
      const cur = stringOf(e);
      const curLen = strLength(cur);
      len = curLen + argv[2]!.length;
      if (len > maxLen(c)) return c.reply.error(R.STRING_TOO_LONG);
      if (typeof cur === 'string' && len < BYTES_MIN) {
        e.value = cur + argv[2]!;
      } else {
        const b = toBytes(cur, curLen);
        b.writeText(argv[2]!, curLen);
        e.value = b;
      }
    }
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.STRING, 'append', key);
    c.server.dirty++;
    c.reply.integer(len);
  },

  strlen(c, argv) {
    const v = stringValue(c, c.db.lookupRead(argv[1]!));
    if (v !== undefined) c.reply.integer(v === null ? 0 : strLength(v));
  },

  getrange,
  substr: getrange,

  setrange(c, argv) {
    const key = argv[1]!;
    const offset = longOrReply(c, argv[2]!);
    const value = argv[3]!;
    if (offset === null) return;
    if (offset < 0) return c.reply.error('ERR offset is out of range');
    const e = c.db.lookupWrite(key);
    if (e !== undefined && e.type !== ValueType.STRING) return c.reply.error(R.WRONGTYPE);
    const cur = e === undefined ? '' : stringOf(e);
    const curLen = strLength(cur);
    if (value.length === 0) return c.reply.integer(curLen);
    if (offset + value.length > maxLen(c)) return c.reply.error(R.STRING_TOO_LONG);
    const next = setRange(cur, offset, value);
    if (e === undefined) c.db.add(key, ValueType.STRING, next);
    else e.value = next;
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.STRING, 'setrange', key);
    c.server.dirty++;
    c.reply.integer(strLength(next));
  },

  incr(c, argv) {
    incrBy(c, argv[1]!, 1n);
  },

  decr(c, argv) {
    incrBy(c, argv[1]!, -1n);
  },

  incrby(c, argv) {
    const by = parseInt64(argv[2]!);
    if (by === null) return c.reply.error(R.NOT_INTEGER);
    incrBy(c, argv[1]!, by);
  },

  decrby(c, argv) {
    const by = parseInt64(argv[2]!);
    if (by === null) return c.reply.error(R.NOT_INTEGER);
    if (by === INT64_MIN) return c.reply.error('ERR decrement would overflow');
    incrBy(c, argv[1]!, -by);
  },

  incrbyfloat(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    if (e !== undefined && e.type !== ValueType.STRING) return c.reply.error(R.WRONGTYPE);
    const cur = e === undefined ? '0' : strText(stringOf(e));
    if (parseLongDouble(cur) === null || parseLongDouble(argv[2]!) === null) return c.reply.error(R.NOT_FLOAT);
    const text = incrByFloat(cur, argv[2]!);
    if (text === null || text === 'overflow') return c.reply.error('ERR increment would produce NaN or Infinity');
    if (e === undefined) c.db.add(key, ValueType.STRING, text);
    else e.value = text;
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.STRING, 'incrbyfloat', key);
    c.server.dirty++;
    c.propagateAs = [['SET', key, text, 'KEEPTTL']];
    c.reply.bulk(text);
  },
};
