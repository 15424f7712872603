/**
 * Generic keyspace commands (Redis db.c / expire.c / object.c): DEL, UNLINK, EXISTS, TOUCH, TYPE,
 * the EXPIRE and TTL families, PERSIST, RENAME(NX), COPY, MOVE, KEYS, SCAN, RANDOMKEY, OBJECT.
 *
 * Expiry changes propagate as PEXPIREAT with an absolute time; a time already in the past deletes
 * the key and propagates DEL. SCAN's cursor is a slot index (see keyspace/slot-table.ts).
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { cString, dbOrReply, isWord, keyword, longOrReply, parseInt64, parseScanCursor } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { idleMs, lfuDecayed } from '../keyspace/access-stamp.js';
import { MAX_EXPIRE_AT, type Db } from '../keyspace/db.js';
import { TYPE_NAMES, ValueType, type CollectionValue, type Entry } from '../keyspace/entry.js';
import { strLength, strText, stringOf } from '../keyspace/string-value.js';
import { globMatch } from '../util/glob.js';
import { notify, notifyDb, Notify } from '../pubsub/keyspace-events.js';

const SAME_OBJECT = 'ERR source and destination objects are the same';
const EXP_NX = 1;
const EXP_XX = 2;
const EXP_GT = 4;
const EXP_LT = 8;
const MAX_MS = 2n ** 63n - 1n;

function deleteKeys(c: ClientContext, argv: string[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    if (c.db.delete(argv[i]!)) {
      c.server.keyspace.signalModified(c.db, argv[i]!);
      notify(c, Notify.GENERIC, 'del', argv[i]!);
      n++;
    }
  }
  c.server.dirty += n;
  c.reply.integer(n);
}

/** EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT (Redis expireGenericCommand). */
function expireGeneric(c: ClientContext, argv: string[], relative: boolean, unitMs: 1 | 1000): void {
  const name = argv[0]!.toLowerCase();
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const o = keyword(argv[i]!);
    if (o === 'nx') flags |= EXP_NX;
    else if (o === 'xx') flags |= EXP_XX;
    else if (o === 'gt') flags |= EXP_GT;
    else if (o === 'lt') flags |= EXP_LT;
    else return c.reply.error(`ERR Unsupported option ${cString(argv[i]!)}`);
  }
  if (flags & EXP_NX && flags & (EXP_XX | EXP_GT | EXP_LT)) {
    return c.reply.error('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & EXP_GT && flags & EXP_LT) return c.reply.error('ERR GT and LT options at the same time are not compatible');
  const raw = parseInt64(argv[2]!);
  if (raw === null) return c.reply.error(R.NOT_INTEGER);
  let when = raw;
  if (unitMs === 1000) {
    if (when > MAX_MS / 1000n || when < -MAX_MS / 1000n) return c.reply.error(R.INVALID_EXPIRE(name));
    when *= 1000n;
  }
  const base = relative ? BigInt(c.server.keyspace.now) : 0n;
  if (when > MAX_MS - base) return c.reply.error(R.INVALID_EXPIRE(name));
  when += base;
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  if (e === undefined) return c.reply.integer(0);
  const at = when > BigInt(MAX_EXPIRE_AT) ? MAX_EXPIRE_AT : Number(when);
  const cur = e.expireAt;
  if (
    (flags & EXP_NX && cur !== -1) ||
    (flags & EXP_XX && cur === -1) ||
    (flags & EXP_GT && (cur === -1 || at <= cur)) ||
    (flags & EXP_LT && cur !== -1 && at >= cur)
  ) {
    return c.reply.integer(0);
  }
  const past = at <= c.server.keyspace.now && c.server.role === 'master';
  if (past) {
    c.db.remove(e);
    c.propagateAs = [['DEL', key]];
  } else {
    c.db.setExpire(e, at);
    c.propagateAs = [['PEXPIREAT', key, String(at)]];
  }
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.GENERIC, past ? 'del' : 'expire', key);
  c.server.dirty++;
  c.reply.integer(1);
}

/** TTL/PTTL/EXPIRETIME/PEXPIRETIME: -2 missing, -1 persistent. */
function ttlGeneric(c: ClientContext, key: string, ms: boolean, absolute: boolean): void {
  const e = c.db.lookupReadNoTouch(key);
  if (e === undefined) return c.reply.integer(-2);
  if (e.expireAt === -1) return c.reply.integer(-1);
  let v = absolute ? e.expireAt : Math.max(0, e.expireAt - c.server.keyspace.now);
  if (!ms) v = Math.floor((v + 500) / 1000);
  c.reply.integer(v);
}

function cloneValue(e: Entry): Entry['value'] {
  if (e.type !== ValueType.STRING) return (e.value as CollectionValue).clone();
  const v = stringOf(e);
  return typeof v === 'string' ? v : v.clone();
}

/** Moves key from db to db (or renames within one), keeping its TTL. */
function moveEntry(from: Db, e: Entry, to: Db, newKey: string): void {
  const at = e.expireAt;
  from.remove(e);
  const ne = to.add(newKey, e.type, e.value);
  if (at !== -1) to.setExpire(ne, at);
}

function renameGeneric(c: ClientContext, argv: string[], nx: boolean): void {
  const src = argv[1]!;
  const dst = argv[2]!;
  const e = c.db.lookupWrite(src);
  if (e === undefined) return c.reply.error(R.NO_SUCH_KEY);
  if (src === dst) return nx ? c.reply.integer(0) : c.reply.ok();
  const existing = c.db.lookupWrite(dst);
  if (existing !== undefined) {
    if (nx) return c.reply.integer(0);
    c.db.remove(existing);
  }
  moveEntry(c.db, e, c.db, dst);
  c.server.keyspace.signalModified(c.db, src);
  c.server.keyspace.signalModified(c.db, dst);
  notify(c, Notify.GENERIC, 'rename_from', src);
  notify(c, Notify.GENERIC, 'rename_to', dst);
  c.server.dirty++;
  if (nx) c.reply.integer(1);
  else c.reply.ok();
}

function scan(c: ClientContext, argv: string[]): void {
  let cursor = parseScanCursor(argv[1]!);
  if (cursor === null) return c.reply.error('ERR invalid cursor');
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const o = keyword(argv[i]!);
    const more = i + 1 < argv.length;
    if (o === 'count' && more) {
      const n = longOrReply(c, argv[++i]!);
      if (n === null) return;
      if (n < 1) return c.reply.error(R.SYNTAX);
      count = n;
    } else if (o === 'match' && more) {
      pattern = argv[++i]!;
      if (pattern === '*') pattern = null;
    } else if (o === 'type' && more) {
      type = keyword(argv[++i]!);
    } else {
      return c.reply.error(R.SYNTAX);
    }
  }
  const db = c.db;
  const keys: string[] = [];
  const end = db.slots.capacity;
  let visited = 0;
  const budget = count * 10;
  for (; cursor < end && keys.length < count && visited < budget; cursor++, visited++) {
    const e = db.slots.at(cursor);
    if (e === undefined) continue;
    if (e.expireAt !== -1 && c.server.keyspace.expireIfNeeded(db, e)) continue;
    if (pattern !== null && !globMatch(pattern, e.key)) continue;
    if (type !== null && TYPE_NAMES[e.type] !== type) continue;
    keys.push(e.key);
  }
  c.reply.array(2);
  c.reply.bulk(cursor >= end ? '0' : String(cursor));
  c.reply.bulkArray(keys);
}

function objectEncoding(e: Entry): string {
  const known = e.type === ValueType.STRING ? undefined : (e.value as CollectionValue).encoding;
  if (known !== undefined) return known;
  switch (e.type) {
    case ValueType.STRING: {
      const s = stringOf(e);
      if (strLength(s) <= 20 && parseInt64(strText(s)) !== null) return 'int';
      return strLength(s) <= 44 ? 'embstr' : 'raw';
    }
    case ValueType.LIST:
      return 'quicklist';
    case ValueType.HASH:
      return (e.value as CollectionValue).size <= 128 ? 'listpack' : 'hashtable';
    case ValueType.SET:
      return 'hashtable';
    default:
      return (e.value as CollectionValue).size <= 128 ? 'listpack' : 'skiplist';
  }
}

const LFU_ERROR =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LRU_ERROR =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

function lfuPolicy(c: ClientContext): boolean {
  return c.server.config.maxmemoryPolicy.endsWith('-lfu');
}

/** OBJECT subcommands look the key up without touching its access time. */
function objectLookup(c: ClientContext, key: string): Entry | undefined {
  const e = c.db.peek(key);
  if (e === undefined) c.reply.nullBulk();
  return e;
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Print this help.',
];

export const KEY_HANDLERS: HandlerTable = {
  del: deleteKeys,
  unlink: deleteKeys,

  exists(c, argv) {
    let n = 0;
    for (let i = 1; i < argv.length; i++) if (c.db.lookupReadNoTouch(argv[i]!) !== undefined) n++;
    c.reply.integer(n);
  },

  touch(c, argv) {
    let n = 0;
    for (let i = 1; i < argv.length; i++) if (c.db.lookupRead(argv[i]!) !== undefined) n++;
    c.reply.integer(n);
  },

  type(c, argv) {
    const e = c.db.lookupReadNoTouch(argv[1]!);
    c.reply.simple(e === undefined ? 'none' : TYPE_NAMES[e.type]!);
  },

  expire: (c, argv) => expireGeneric(c, argv, true, 1000),
  pexpire: (c, argv) => expireGeneric(c, argv, true, 1),
  expireat: (c, argv) => expireGeneric(c, argv, false, 1000),
  pexpireat: (c, argv) => expireGeneric(c, argv, false, 1),
  ttl: (c, argv) => ttlGeneric(c, argv[1]!, false, false),
  pttl: (c, argv) => ttlGeneric(c, argv[1]!, true, false),
  expiretime: (c, argv) => ttlGeneric(c, argv[1]!, false, true),
  pexpiretime: (c, argv) => ttlGeneric(c, argv[1]!, true, true),

  persist(c, argv) {
    const e = c.db.lookupWrite(argv[1]!);
    if (e === undefined || !c.db.persist(e)) return c.reply.integer(0);
    c.server.keyspace.signalModified(c.db, argv[1]!);
    notify(c, Notify.GENERIC, 'persist', argv[1]!);
    c.server.dirty++;
    c.reply.integer(1);
  },

  rename: (c, argv) => renameGeneric(c, argv, false),
  renamenx: (c, argv) => renameGeneric(c, argv, true),

  copy(c, argv) {
    const src = argv[1]!;
    const dst = argv[2]!;
    let target = c.db;
    let replace = false;
    for (let i = 3; i < argv.length; i++) {
      if (isWord(argv[i]!, 'replace')) replace = true;
      else if (isWord(argv[i]!, 'db') && i + 1 < argv.length) {
        const db = dbOrReply(c, argv[++i]!);
        if (db === null) return;
        target = db;
      } else return c.reply.error(R.SYNTAX);
    }
    if (target === c.db && src === dst) return c.reply.error(SAME_OBJECT);
    const e = c.db.lookupRead(src);
    if (e === undefined) return c.reply.integer(0);
    const existing = target.lookupWrite(dst);
    if (existing !== undefined) {
      if (!replace) return c.reply.integer(0);
      target.remove(existing);
    }
    const ne = target.add(dst, e.type, cloneValue(e));
    if (e.expireAt !== -1) target.setExpire(ne, e.expireAt);
    c.server.keyspace.signalModified(target, dst);
    notifyDb(c.server, Notify.GENERIC, 'copy_to', dst, target.id, c);
    c.server.dirty++;
    c.reply.integer(1);
  },

  move(c, argv) {
    const key = argv[1]!;
    const dst = dbOrReply(c, argv[2]!);
    if (dst === null) return;
    if (dst === c.db) return c.reply.error(SAME_OBJECT);
    const e = c.db.lookupWrite(key);
    if (e === undefined || dst.lookupWrite(key) !== undefined) return c.reply.integer(0);
    moveEntry(c.db, e, dst, key);
    c.server.keyspace.signalModified(c.db, key);
    c.server.keyspace.signalModified(dst, key);
    notify(c, Notify.GENERIC, 'move_from', key);
    notifyDb(c.server, Notify.GENERIC, 'move_to', key, dst.id, c);
    c.server.dirty++;
    c.reply.integer(1);
  },

  keys(c, argv) {
    const pattern = argv[1]!;
    const now = c.server.keyspace.now;
    // No list of matches: keys are written as they are found. For `*` the count is known after a
    // cheap pass over expiry times, so the reply streams out in 64 KB spills; for a pattern the
    // count goes in at the end (Redis's deferred length), which keeps the reply in one buffer.
    // Map#forEach, not for…of: an iterator allocates a result object per key until the loop is
    // optimized, and a million of them grow the young generation (RSS) more than the reply does.
    const reply = c.reply;
    if (pattern === '*') {
      let live = 0;
      c.db.dict.forEach((e) => {
        if (e.expireAt === -1 || e.expireAt > now) live++;
      });
      reply.array(live);
      c.db.dict.forEach((e) => {
        if (e.expireAt === -1 || e.expireAt > now) reply.bulk(e.key);
      });
      return;
    }
    const at = reply.mark();
    let n = 0;
    c.db.dict.forEach((e) => {
      if ((e.expireAt === -1 || e.expireAt > now) && globMatch(pattern, e.key)) {
        reply.bulk(e.key);
        n++;
      }
    });
    reply.insertArray(at, n);
  },

  scan,

  randomkey(c) {
    for (let tries = 0; tries < 100; tries++) {
      const e = c.db.slots.random();
      if (e === undefined) break;
      if (e.expireAt !== -1 && c.server.keyspace.expireIfNeeded(c.db, e)) continue;
      return c.reply.bulk(e.key);
    }
    c.reply.nullBulk();
  },

  'object|encoding'(c, argv) {
    const e = objectLookup(c, argv[2]!);
    if (e !== undefined) c.reply.bulk(objectEncoding(e));
  },

  'object|refcount'(c, argv) {
    const e = objectLookup(c, argv[2]!);
    if (e === undefined) return;
    const v = e.type === ValueType.STRING ? stringOf(e) : null;
    const shared = v !== null && strLength(v) <= 4 && /^(0|[1-9]\d{0,3})$/.test(strText(v));
    c.reply.integer(shared ? 2147483647 : 1);
  },

  'object|idletime'(c, argv) {
    const e = objectLookup(c, argv[2]!);
    if (e === undefined) return;
    if (lfuPolicy(c)) return c.reply.error(LRU_ERROR);
    c.reply.integer(Math.floor(idleMs(e.access, c.server.keyspace.now) / 1000));
  },

  'object|freq'(c, argv) {
    const e = objectLookup(c, argv[2]!);
    if (e === undefined) return;
    if (!lfuPolicy(c)) return c.reply.error(LFU_ERROR);
    c.reply.integer(lfuDecayed(e.access, c.server.keyspace.now, c.server.keyspace.access.lfuDecayTime));
  },

  'object|help'(c) {
    c.reply.statusArray(OBJECT_HELP);
  },
};
