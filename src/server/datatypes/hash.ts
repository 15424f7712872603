/**
 * Hash commands (Redis 7.0 t_hash.c) on HashDict. A hash stays "compact" (Redis listpack) while it
 * has ≤ hash-max-listpack-entries fields and no field or value longer than
 * hash-max-listpack-value, and converts for good otherwise, exactly when Redis converts; so small
 * hashes list their fields in insertion order, HSCAN returns them in one reply with cursor 0, and
 * HRANDFIELD's deterministic cases (whole hash, listpack sampling order) match Redis byte for byte.
 * Large hashes scan by stable slot (see HashDict).
 *
 * Invariants: an emptied hash deletes its key; every change signals the key and adds to
 * `server.dirty`; HINCRBYFLOAT propagates as HSET with the result; HRANDFIELD is read-only.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { INT64_MAX, INT64_MIN, isWord, parseInt64, parseLongDouble, rangeOrReply } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { globMatch } from '../util/glob.js';
import { incrByFloat } from '../util/decimal.js';
import { HashDict } from './structures/hash-dict.js';
import { writeRandomFields } from './hash-random.js';
import { INVALID_CURSOR, parseScanCursor, parseScanOptions, replyEmptyScan, valueAs } from './typed-value.js';

function hashFor(c: ClientContext, e: Entry | undefined): HashDict | null | undefined {
  return valueAs<HashDict>(c, e, ValueType.HASH);
}

/** The hash at key for writing, created when missing (undefined after replying WRONGTYPE). */
function writable(c: ClientContext, key: string): { h: HashDict; e: Entry } | undefined {
  const e = c.db.lookupWrite(key);
  const h = hashFor(c, e);
  if (h === undefined) return undefined;
  if (h === null) {
    const nh = new HashDict();
    return { h: nh, e: c.db.add(key, ValueType.HASH, nh) };
  }
  return { h, e: e! };
}

/** Replies with an error after writable() may have created an empty hash, removing it again. */
function fail(c: ClientContext, w: { h: HashDict; e: Entry }, text: string): void {
  if (w.h.size === 0) c.db.remove(w.e);
  c.reply.error(text);
}

/** After a change: signal, notify `event` (Redis's name), count. An emptied hash was removed: `del` follows. */
function touched(c: ClientContext, key: string, event: string, n = 1): void {
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.HASH, event, key);
  if (event === 'hdel' && !c.db.dict.has(key)) notify(c, Notify.GENERIC, 'del', key);
  c.server.dirty += n;
}

function readHash(c: ClientContext, key: string): HashDict | null | undefined {
  return hashFor(c, c.db.lookupRead(key));
}

/** Redis hashTypeTryConversion: any argument longer than hash-max-listpack-value converts. */
function convertForArgs(c: ClientContext, h: HashDict, argv: readonly string[], from: number, to: number): void {
  if (!h.compact) return;
  const max = c.server.config.int('hash-max-listpack-value');
  for (let i = from; i <= to; i++) {
    if (argv[i]!.length > max) return h.convert();
  }
}

/** Redis hashTypeSet: converts for a long field/value, sets, converts past the entry limit. */
function store(c: ClientContext, h: HashDict, field: string, value: string): boolean {
  if (h.compact) {
    const max = c.server.config.int('hash-max-listpack-value');
    if (field.length > max || value.length > max) h.convert();
  }
  const added = h.set(field, value);
  if (h.compact && h.size > c.server.config.int('hash-max-listpack-entries')) h.convert();
  return added;
}

function hset(c: ClientContext, argv: string[], name: string): number | null {
  if (argv.length % 2 === 1) {
    c.reply.error(R.WRONG_ARGS(name));
    return null;
  }
  const w = writable(c, argv[1]!);
  if (w === undefined) return null;
  convertForArgs(c, w.h, argv, 2, argv.length - 1);
  let added = 0;
  for (let i = 2; i < argv.length; i += 2) if (store(c, w.h, argv[i]!, argv[i + 1]!)) added++;
  touched(c, argv[1]!, 'hset', (argv.length - 2) / 2);
  return added;
}

/** HGETALL/HKEYS/HVALS in slot order (insertion order while compact). */
function pairs(c: ClientContext, h: HashDict | null, keys: boolean, vals: boolean): void {
  const n = h === null ? 0 : h.size;
  if (keys && vals) c.reply.map(n);
  else c.reply.array(n);
  if (h === null) return;
  for (let s = 0, end = h.slotCount; s < end; s++) {
    const f = h.fieldAt(s);
    if (f === undefined) continue;
    if (keys) c.reply.bulk(f);
    if (vals) c.reply.bulk(h.valueAt(s)!);
  }
}

const HALF_LONG_MAX = INT64_MAX / 2n;

function hrandfield(c: ClientContext, argv: string[]): void {
  if (argv.length === 2) {
    const h = readHash(c, argv[1]!);
    if (h === undefined) return;
    if (h === null) return c.reply.nullBulk();
    return c.reply.bulk(h.fieldAt(h.randomSlot())!);
  }
  const count = rangeOrReply(c, argv[2]!, -INT64_MAX, INT64_MAX);
  if (count === null) return;
  if (argv.length > 4 || (argv.length === 4 && !isWord(argv[3]!, 'withvalues'))) return c.reply.error(R.SYNTAX);
  const withValues = argv.length === 4;
  if (withValues) {
    const big = parseInt64(argv[2]!)!;
    if (big < -HALF_LONG_MAX || big > HALF_LONG_MAX) return c.reply.error('ERR value is out of range');
  }
  const h = readHash(c, argv[1]!);
  if (h === undefined) return;
  if (h === null || count === 0) return c.reply.array(0);
  writeRandomFields(c, h, count, argv[2]!, withValues);
}

function hscan(c: ClientContext, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) return c.reply.error(INVALID_CURSOR);
  const h = readHash(c, argv[1]!);
  if (h === undefined) return;
  // A missing key answers an empty scan before the options are even read (Redis emptyscan).
  if (h === null) return replyEmptyScan(c);
  const opts = parseScanOptions(c, argv, 3);
  if (opts === null) return;
  const slots: number[] = [];
  let next = 0;
  if (h.compact) {
    for (let s = 0; s < h.slotCount; s++) slots.push(s);
  } else {
    next = h.scan(cursor, opts.count, slots);
  }
  const pattern = opts.pattern;
  const matched = pattern === null ? slots : slots.filter((s) => globMatch(pattern, h.fieldAt(s)!));
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(matched.length * 2);
  for (const s of matched) {
    c.reply.bulk(h.fieldAt(s)!);
    c.reply.bulk(h.valueAt(s)!);
  }
}

export const HASH_HANDLERS: HandlerTable = {
  hset(c, argv) {
    const n = hset(c, argv, 'hset');
    if (n !== null) c.reply.integer(n);
  },

  hmset(c, argv) {
    if (hset(c, argv, 'hmset') !== null) c.reply.ok();
  },

  hsetnx(c, argv) {
    const w = writable(c, argv[1]!);
    if (w === undefined) return;
    convertForArgs(c, w.h, argv, 2, 3);
    if (w.h.has(argv[2]!)) return c.reply.integer(0);
    store(c, w.h, argv[2]!, argv[3]!);
    touched(c, argv[1]!, 'hset');
    c.reply.integer(1);
  },

  hget(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) c.reply.bulkOrNull(h?.get(argv[2]!));
  },

  hmget(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h === undefined) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) c.reply.bulkOrNull(h?.get(argv[i]!));
  },

  hgetall(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) pairs(c, h, true, true);
  },

  hkeys(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) pairs(c, h, true, false);
  },

  hvals(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) pairs(c, h, false, true);
  },

  hdel(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const h = hashFor(c, e);
    if (h === undefined) return;
    if (h === null) return c.reply.integer(0);
    let n = 0;
    for (let i = 2; i < argv.length; i++) {
      if (!h.delete(argv[i]!)) continue;
      n++;
      if (h.size === 0) {
        c.db.remove(e!);
        break;
      }
    }
    if (n > 0) touched(c, key, 'hdel', n);
    c.reply.integer(n);
  },

  hexists(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) c.reply.integer(h?.has(argv[2]!) === true ? 1 : 0);
  },

  hlen(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) c.reply.integer(h === null ? 0 : h.size);
  },

  hstrlen(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) c.reply.integer(h?.get(argv[2]!)?.length ?? 0);
  },

  hincrby(c, argv) {
    const by = parseInt64(argv[3]!);
    if (by === null) return c.reply.error(R.NOT_INTEGER);
    const w = writable(c, argv[1]!);
    if (w === undefined) return;
    const cur = w.h.get(argv[2]!);
    const base = cur === undefined ? 0n : parseInt64(cur);
    if (base === null) return fail(c, w, 'ERR hash value is not an integer');
    const next = base + by;
    if (next > INT64_MAX || next < INT64_MIN) return fail(c, w, R.OVERFLOW);
    store(c, w.h, argv[2]!, next.toString());
    touched(c, argv[1]!, 'hincrby');
    if (next >= BigInt(Number.MIN_SAFE_INTEGER) && next <= BigInt(Number.MAX_SAFE_INTEGER)) c.reply.integer(Number(next));
    else c.reply.bigInteger(next);
  },

  hincrbyfloat(c, argv) {
    if (parseLongDouble(argv[3]!) === null) return c.reply.error(R.NOT_FLOAT);
    // Valid text that reads as infinite is an `inf` spelling (a finite overflow was refused).
    if (/^[+-]?inf/i.test(argv[3]!)) return c.reply.error('ERR value is NaN or Infinity');
    const w = writable(c, argv[1]!);
    if (w === undefined) return;
    const cur = w.h.get(argv[2]!);
    if (cur !== undefined && parseLongDouble(cur) === null) return fail(c, w, 'ERR hash value is not a float');
    const text = incrByFloat(cur ?? '0', argv[3]!);
    if (text === null || text === 'overflow') return fail(c, w, 'ERR increment would produce NaN or Infinity');
    store(c, w.h, argv[2]!, text);
    touched(c, argv[1]!, 'hincrbyfloat');
    c.propagateAs = [['HSET', argv[1]!, argv[2]!, text]];
    c.reply.bulk(text);
  },

  hrandfield,
  hscan,
};
