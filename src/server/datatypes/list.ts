/**
 * List commands (Redis 7.0 t_list.c) on the ring-buffer Deque: pushes and pops at both ends,
 * ranges, LSET/LREM/LTRIM/LINSERT/LPOS, LMOVE/RPOPLPUSH and LMPOP. The blocking forms live in
 * blocking-pops.ts and reuse `popRange` and `moveElement` from here.
 *
 * Invariants: an emptied list deletes its key; every change signals the key and adds to
 * `server.dirty` the number of elements Redis counts (so no-op LTRIM/LREM propagate nothing);
 * LMPOP propagates as LPOP/RPOP key count, as Redis rewrites it. Argument checks happen in
 * Redis's order (some before the key lookup, some after), so error precedence matches.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { keyword, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { Deque } from './structures/deque.js';
import { valueAs } from './typed-value.js';

const NOT_POSITIVE = 'ERR value is out of range, must be positive';
const RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
/** LONG_MIN, compared as text (doubles cannot tell it from LONG_MIN + 1): see lpos. */
const LONG_MIN_TEXT = '-9223372036854775808';

/** The list at key: the Deque, null when missing, undefined after replying WRONGTYPE. */
function listFor(c: ClientContext, e: Entry | undefined): Deque | null | undefined {
  return valueAs<Deque>(c, e, ValueType.LIST);
}

/** After removing `n` elements (or changing n in place): delete an emptied key, signal, count. */
function changed(c: ClientContext, key: string, list: Deque, e: Entry, n: number, event: string): void {
  if (list.size === 0) c.db.remove(e);
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.LIST, event, key);
  if (list.size === 0) notify(c, Notify.GENERIC, 'del', key);
  c.server.dirty += n;
}

function push(c: ClientContext, argv: string[], front: boolean, onlyIfExists: boolean): void {
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  let list = listFor(c, e);
  if (list === undefined) return;
  if (list === null) {
    if (onlyIfExists) return c.reply.integer(0);
    list = new Deque();
    c.db.add(key, ValueType.LIST, list);
  }
  for (let i = 2; i < argv.length; i++) {
    if (front) list.pushFront(argv[i]!);
    else list.pushBack(argv[i]!);
  }
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.LIST, front ? 'lpush' : 'rpush', key);
  c.server.dirty += argv.length - 2;
  c.reply.integer(list.size);
}

/**
 * Pops up to `count` elements from a non-empty list and replies `[key, [elements…]]` (LMPOP,
 * BLMPOP), deleting an emptied key; the propagated form is LPOP/RPOP key n.
 */
export function popRange(c: ClientContext, e: Entry, key: string, left: boolean, count: number): void {
  const list = e.value as Deque;
  const n = Math.min(count, list.size);
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.array(n);
  for (let i = 0; i < n; i++) c.reply.bulk((left ? list.popFront() : list.popBack())!);
  changed(c, key, list, e, n, left ? 'lpop' : 'rpop');
  c.propagateAs = [[left ? 'LPOP' : 'RPOP', key, String(n)]];
}

function pop(c: ClientContext, argv: string[], front: boolean): void {
  if (argv.length > 3) return c.reply.error(R.WRONG_ARGS(front ? 'lpop' : 'rpop'));
  let count = -1;
  if (argv.length === 3) {
    const n = parseInteger(argv[2]!);
    if (n === null || n < 0) return c.reply.error(NOT_POSITIVE);
    count = n;
  }
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  if (e === undefined) return count === -1 ? c.reply.nullBulk() : c.reply.nullArray();
  const list = listFor(c, e);
  if (list === undefined || list === null) return;
  if (count === 0) return c.reply.array(0);
  if (count === -1) {
    c.reply.bulk((front ? list.popFront() : list.popBack())!);
    return changed(c, key, list, e, 1, front ? 'lpop' : 'rpop');
  }
  const n = Math.min(count, list.size);
  c.reply.array(n);
  for (let i = 0; i < n; i++) c.reply.bulk((front ? list.popFront() : list.popBack())!);
  changed(c, key, list, e, n, front ? 'lpop' : 'rpop');
}

/** Normalises LRANGE/LTRIM-style indexes; null when the range is empty. */
function clampRange(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

/** Parses integer arguments, replying the Redis error on the first bad one. */
function ints(c: ClientContext, a: string, b?: string): [number, number] | null {
  const x = parseInteger(a);
  const y = b === undefined ? 0 : parseInteger(b);
  if (x === null || y === null) {
    c.reply.error(R.NOT_INTEGER);
    return null;
  }
  return [x, y];
}

function whereArg(text: string): 'left' | 'right' | null {
  const t = keyword(text);
  return t === 'left' || t === 'right' ? t : null;
}

/**
 * LMOVE's effect once the source is known to be a non-empty list: checks the destination's type
 * (WRONGTYPE written, null returned), pops, pushes (creating the destination) and signals both.
 * Returns the moved element. The caller replies and sets the propagated form.
 */
export function moveElement(c: ClientContext, se: Entry, src: string, dst: string, fromLeft: boolean, toLeft: boolean): string | null {
  const de = c.db.lookupWrite(dst);
  let dl = listFor(c, de);
  if (dl === undefined) return null;
  const sl = se.value as Deque;
  const v = (fromLeft ? sl.popFront() : sl.popBack())!;
  if (dl === null) {
    dl = new Deque();
    c.db.add(dst, ValueType.LIST, dl);
  }
  if (toLeft) dl.pushFront(v);
  else dl.pushBack(v);
  if (sl.size === 0 && c.db.dict.get(src) === se) c.db.remove(se);
  c.server.keyspace.signalModified(c.db, src);
  c.server.keyspace.signalModified(c.db, dst);
  notify(c, Notify.LIST, toLeft ? 'lpush' : 'rpush', dst);
  notify(c, Notify.LIST, fromLeft ? 'lpop' : 'rpop', src);
  if (sl.size === 0) notify(c, Notify.GENERIC, 'del', src);
  c.server.dirty++;
  return v;
}

function lmove(c: ClientContext, src: string, dst: string, from: 'left' | 'right', to: 'left' | 'right'): void {
  const se = c.db.lookupWrite(src);
  const sl = listFor(c, se);
  if (sl === undefined) return;
  if (sl === null) return c.reply.nullBulk();
  const v = moveElement(c, se!, src, dst, from === 'left', to === 'left');
  if (v !== null) c.reply.bulk(v);
}

/** LPOS options in Redis's order and with its messages (COUNT/MAXLEN use theirs for any bad value). */
function lposOptions(c: ClientContext, argv: string[]): { rank: number; rankMin: boolean; count: number; maxlen: number } | null {
  let rank = 1;
  let rankMin = false;
  let count = -1;
  let maxlen = 0;
  for (let i = 3; i < argv.length; i++) {
    const o = keyword(argv[i]!);
    const more = i + 1 < argv.length;
    if (o === 'rank' && more) {
      const n = parseInteger(argv[++i]!);
      if (n === null) return fail(c, R.NOT_INTEGER);
      if (n === 0) return fail(c, RANK_ZERO);
      rank = n;
      rankMin = argv[i] === LONG_MIN_TEXT;
    } else if ((o === 'count' || o === 'maxlen') && more) {
      const n = parseInteger(argv[++i]!);
      if (n === null || n < 0) return fail(c, o === 'count' ? "ERR COUNT can't be negative" : "ERR MAXLEN can't be negative");
      if (o === 'count') count = n;
      else maxlen = n;
    } else {
      return fail(c, R.SYNTAX);
    }
  }
  return { rank, rankMin, count, maxlen };
}

function fail(c: ClientContext, text: string): null {
  c.reply.error(text);
  return null;
}

function lpos(c: ClientContext, argv: string[]): void {
  const o = lposOptions(c, argv);
  if (o === null) return;
  const list = listFor(c, c.db.lookupRead(argv[1]!));
  if (list === undefined) return;
  if (list === null) return o.count === -1 ? c.reply.nullBulk() : c.reply.array(0);
  const want = argv[2]!;
  const len = list.size;
  const fromTail = o.rank < 0;
  // Redis negates RANK in a C long: LONG_MIN stays negative, so every match qualifies and the
  // COUNT stop test (matches - rank + 1 >= count) overflows and never fires.
  const skip = o.rankMin ? 0 : Math.abs(o.rank) - 1;
  const limit = o.count === -1 ? 1 : o.count === 0 || o.rankMin ? Infinity : o.count;
  const found: number[] = [];
  const end = o.maxlen === 0 ? len : Math.min(len, o.maxlen);
  let matches = 0;
  for (let k = list.find(want, 0, end, fromTail); k >= 0; k = list.find(want, k + 1, end, fromTail)) {
    if (matches++ < skip) continue;
    found.push(fromTail ? len - 1 - k : k);
    if (found.length >= limit) break;
  }
  if (o.count === -1) return found.length === 0 ? c.reply.nullBulk() : c.reply.integer(found[0]!);
  c.reply.array(found.length);
  for (const i of found) c.reply.integer(i);
}

/** LMPOP numkeys key… LEFT|RIGHT [COUNT n], parsed as Redis's lmpopGenericCommand does. */
export function parseMpop(c: ClientContext, argv: string[], numkeysAt: number, wheres: readonly [string, string]): { keys: string[]; first: boolean; count: number } | null {
  const numkeys = parseInteger(argv[numkeysAt]!);
  if (numkeys === null || numkeys <= 0) return fail(c, 'ERR numkeys should be greater than 0');
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= argv.length) return fail(c, R.SYNTAX);
  const where = keyword(argv[whereAt]!);
  if (where !== wheres[0] && where !== wheres[1]) return fail(c, R.SYNTAX);
  let count = -1;
  for (let i = whereAt + 1; i < argv.length; i++) {
    if (count !== -1 || keyword(argv[i]!) !== 'count' || i + 1 >= argv.length) return fail(c, R.SYNTAX);
    const n = parseInteger(argv[++i]!);
    if (n === null || n <= 0) return fail(c, 'ERR count should be greater than 0');
    count = n;
  }
  return { keys: argv.slice(numkeysAt + 1, whereAt), first: where === wheres[0], count: count === -1 ? 1 : count };
}

/** The first of `keys` holding a non-empty list; undefined after replying WRONGTYPE. */
export function firstList(c: ClientContext, keys: readonly string[]): { key: string; e: Entry } | null | undefined {
  for (const key of keys) {
    const e = c.db.lookupWrite(key);
    const list = listFor(c, e);
    if (list === undefined) return undefined;
    if (list !== null && list.size > 0) return { key, e: e! };
  }
  return null;
}

export const LIST_HANDLERS: HandlerTable = {
  lpush: (c, argv) => push(c, argv, true, false),
  rpush: (c, argv) => push(c, argv, false, false),
  lpushx: (c, argv) => push(c, argv, true, true),
  rpushx: (c, argv) => push(c, argv, false, true),
  lpop: (c, argv) => pop(c, argv, true),
  rpop: (c, argv) => pop(c, argv, false),

  llen(c, argv) {
    const list = listFor(c, c.db.lookupRead(argv[1]!));
    if (list !== undefined) c.reply.integer(list === null ? 0 : list.size);
  },

  lindex(c, argv) {
    const list = listFor(c, c.db.lookupRead(argv[1]!));
    if (list === undefined) return;
    if (list === null) return c.reply.nullBulk();
    const n = ints(c, argv[2]!);
    if (n === null) return;
    c.reply.bulkOrNull(list.at(n[0] < 0 ? list.size + n[0] : n[0]));
  },

  lrange(c, argv) {
    const n = ints(c, argv[2]!, argv[3]!);
    if (n === null) return;
    const list = listFor(c, c.db.lookupRead(argv[1]!));
    if (list === undefined) return;
    const r = list === null ? null : clampRange(n[0], n[1], list.size);
    if (r === null || list === null) return c.reply.array(0);
    c.reply.array(r[1] - r[0] + 1);
    for (let i = r[0]; i <= r[1]; i++) c.reply.bulk(list.at(i)!);
  },

  lset(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const list = listFor(c, e);
    if (list === undefined) return;
    if (list === null) return c.reply.error(R.NO_SUCH_KEY);
    const n = ints(c, argv[2]!);
    if (n === null) return;
    const i = n[0] < 0 ? list.size + n[0] : n[0];
    if (i < 0 || i >= list.size) return c.reply.error(R.INDEX_OUT_OF_RANGE);
    list.set(i, argv[3]!);
    changed(c, key, list, e!, 1, 'lset');
    c.reply.ok();
  },

  lrem(c, argv) {
    const n = ints(c, argv[2]!);
    if (n === null) return;
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const list = listFor(c, e);
    if (list === undefined) return;
    if (list === null) return c.reply.integer(0);
    const removed = list.removeMatching(argv[3]!, Math.abs(n[0]), n[0] < 0);
    if (removed > 0) changed(c, key, list, e!, removed, 'lrem');
    c.reply.integer(removed);
  },

  ltrim(c, argv) {
    const n = ints(c, argv[2]!, argv[3]!);
    if (n === null) return;
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const list = listFor(c, e);
    if (list === undefined) return;
    if (list === null) return c.reply.ok();
    const r = clampRange(n[0], n[1], list.size);
    const removed = r === null ? list.trim(1, 0) : list.trim(r[0], r[1]);
    changed(c, key, list, e!, removed, 'ltrim');
    c.reply.ok();
  },

  linsert(c, argv) {
    const where = keyword(argv[2]!);
    if (where !== 'before' && where !== 'after') return c.reply.error(R.SYNTAX);
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const list = listFor(c, e);
    if (list === undefined) return;
    if (list === null) return c.reply.integer(0);
    const at = list.indexOf(argv[3]!);
    if (at === -1) return c.reply.integer(-1);
    list.insertAt(where === 'before' ? at : at + 1, argv[4]!);
    changed(c, key, list, e!, 1, 'linsert');
    c.reply.integer(list.size);
  },

  lpos,

  lmove(c, argv) {
    const from = whereArg(argv[3]!);
    const to = whereArg(argv[4]!);
    if (from === null || to === null) return c.reply.error(R.SYNTAX);
    lmove(c, argv[1]!, argv[2]!, from, to);
  },

  rpoplpush(c, argv) {
    lmove(c, argv[1]!, argv[2]!, 'right', 'left');
  },

  lmpop(c, argv) {
    const p = parseMpop(c, argv, 1, ['left', 'right']);
    if (p === null) return;
    const found = firstList(c, p.keys);
    if (found === undefined) return;
    if (found === null) return c.reply.nullArray();
    popRange(c, found.e, found.key, p.first, p.count);
  },
};
