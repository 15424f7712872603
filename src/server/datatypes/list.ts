/**
 * List commands (Redis t_list.c) on the ring-buffer Deque: pushes and pops at both ends, ranges,
 * LSET/LREM/LTRIM/LINSERT/LPOS, LMOVE/RPOPLPUSH and LMPOP. An emptied list deletes its key.
 * (The blocking forms are not built yet.)
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { Deque } from './structures/deque.js';
import { valueAs } from './typed-value.js';

const NOT_POSITIVE = 'ERR value is out of range, must be positive';

/** The list at key: the Deque, null when missing, undefined after replying WRONGTYPE. */
function listFor(c: ClientContext, e: Entry | undefined): Deque | null | undefined {
  return valueAs<Deque>(c, e, ValueType.LIST);
}

function changed(c: ClientContext, key: string, list: Deque, e: Entry | undefined): void {
  if (list.size === 0 && e !== undefined) c.db.remove(e);
  c.server.keyspace.signalModified(c.db, key);
  c.server.dirty++;
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
  c.server.dirty += argv.length - 2;
  c.reply.integer(list.size);
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
  } else {
    const n = Math.min(count, list.size);
    c.reply.array(n);
    for (let i = 0; i < n; i++) c.reply.bulk((front ? list.popFront() : list.popBack())!);
  }
  changed(c, key, list, e);
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

function ints(c: ClientContext, ...texts: string[]): number[] | null {
  const out: number[] = [];
  for (const t of texts) {
    const n = parseInteger(t);
    if (n === null) {
      c.reply.error(R.NOT_INTEGER);
      return null;
    }
    out.push(n);
  }
  return out;
}

function whereArg(text: string): 'left' | 'right' | null {
  const t = text.toLowerCase();
  return t === 'left' || t === 'right' ? t : null;
}

/** LMOVE's core: pop from src's `from` end and push to dst's `to` end. */
function move(c: ClientContext, src: string, dst: string, from: 'left' | 'right', to: 'left' | 'right'): void {
  const se = c.db.lookupWrite(src);
  const sl = listFor(c, se);
  if (sl === undefined) return;
  if (sl === null) return c.reply.nullBulk();
  const de = c.db.lookupWrite(dst);
  let dl = listFor(c, de);
  if (dl === undefined) return;
  const v = (from === 'left' ? sl.popFront() : sl.popBack())!;
  if (dl === null) {
    dl = new Deque();
    c.db.add(dst, ValueType.LIST, dl);
  }
  if (to === 'left') dl.pushFront(v);
  else dl.pushBack(v);
  if (sl.size === 0 && se !== undefined && c.db.dict.get(src) === se) c.db.remove(se);
  c.server.keyspace.signalModified(c.db, src);
  c.server.keyspace.signalModified(c.db, dst);
  c.server.dirty++;
  c.reply.bulk(v);
}

function lpos(c: ClientContext, argv: string[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let i = 3; i < argv.length; i++) {
    const o = argv[i]!.toLowerCase();
    if (i + 1 >= argv.length) return c.reply.error(R.SYNTAX);
    const n = parseInteger(argv[++i]!);
    if (n === null) return c.reply.error(R.NOT_INTEGER);
    if (o === 'rank') {
      if (n === 0) {
        return c.reply.error('ERR RANK can\'t be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list');
      }
      rank = n;
    } else if (o === 'count') {
      if (n < 0) return c.reply.error('ERR COUNT can\'t be negative');
      count = n;
    } else if (o === 'maxlen') {
      if (n < 0) return c.reply.error('ERR MAXLEN can\'t be negative');
      maxlen = n;
    } else return c.reply.error(R.SYNTAX);
  }
  const list = listFor(c, c.db.lookupRead(argv[1]!));
  if (list === undefined) return;
  const want = argv[2]!;
  const found: number[] = [];
  if (list !== null) {
    const len = list.size;
    const limit = count === -1 ? 1 : count === 0 ? Infinity : count;
    let skip = Math.abs(rank) - 1;
    for (let k = 0; k < len && (maxlen === 0 || k < maxlen) && found.length < limit; k++) {
      const i = rank > 0 ? k : len - 1 - k;
      if (list.at(i) !== want) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      found.push(i);
    }
  }
  if (count === -1) return found.length === 0 ? c.reply.nullBulk() : c.reply.integer(found[0]!);
  c.reply.array(found.length);
  for (const i of found) c.reply.integer(i);
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
    const i = n[0]! < 0 ? list.size + n[0]! : n[0]!;
    c.reply.bulkOrNull(list.at(i));
  },

  lrange(c, argv) {
    const n = ints(c, argv[2]!, argv[3]!);
    if (n === null) return;
    const list = listFor(c, c.db.lookupRead(argv[1]!));
    if (list === undefined) return;
    const r = list === null ? null : clampRange(n[0]!, n[1]!, list.size);
    c.reply.bulkArray(r === null || list === null ? [] : list.range(r[0], r[1]));
  },

  lset(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const list = listFor(c, e);
    if (list === undefined) return;
    if (list === null) return c.reply.error(R.NO_SUCH_KEY);
    const n = ints(c, argv[2]!);
    if (n === null) return;
    const i = n[0]! < 0 ? list.size + n[0]! : n[0]!;
    if (i < 0 || i >= list.size) return c.reply.error(R.INDEX_OUT_OF_RANGE);
    list.set(i, argv[3]!);
    changed(c, key, list, e);
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
    const want = argv[3]!;
    const items = list.toArray();
    let limit = n[0] === 0 ? Infinity : Math.abs(n[0]!);
    let removed = 0;
    const keep = new Array<boolean>(items.length).fill(true);
    for (let k = 0; k < items.length && limit > 0; k++) {
      const i = n[0]! < 0 ? items.length - 1 - k : k;
      if (items[i] === want) {
        keep[i] = false;
        removed++;
        limit--;
      }
    }
    if (removed > 0) {
      list.replaceAll(items.filter((_, i) => keep[i]));
      changed(c, key, list, e);
    }
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
    const r = clampRange(n[0]!, n[1]!, list.size);
    list.replaceAll(r === null ? [] : list.range(r[0], r[1]));
    changed(c, key, list, e);
    c.reply.ok();
  },

  linsert(c, argv) {
    const where = argv[2]!.toLowerCase();
    if (where !== 'before' && where !== 'after') return c.reply.error(R.SYNTAX);
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const list = listFor(c, e);
    if (list === undefined) return;
    if (list === null) return c.reply.integer(0);
    const items = list.toArray();
    const at = items.indexOf(argv[3]!);
    if (at === -1) return c.reply.integer(-1);
    items.splice(where === 'before' ? at : at + 1, 0, argv[4]!);
    list.replaceAll(items);
    changed(c, key, list, e);
    c.reply.integer(list.size);
  },

  lpos,

  lmove(c, argv) {
    const from = whereArg(argv[3]!);
    const to = whereArg(argv[4]!);
    if (from === null || to === null) return c.reply.error(R.SYNTAX);
    move(c, argv[1]!, argv[2]!, from, to);
  },

  rpoplpush(c, argv) {
    move(c, argv[1]!, argv[2]!, 'right', 'left');
  },

  lmpop(c, argv) {
    const numkeys = parseInteger(argv[1]!);
    if (numkeys === null || numkeys <= 0) return c.reply.error('ERR numkeys should be greater than 0');
    const whereAt = 2 + numkeys;
    if (whereAt >= argv.length) return c.reply.error(R.SYNTAX);
    const where = whereArg(argv[whereAt]!);
    if (where === null) return c.reply.error(R.SYNTAX);
    let count = 1;
    const rest = argv.slice(whereAt + 1);
    if (rest.length > 0) {
      if (rest.length !== 2 || rest[0]!.toLowerCase() !== 'count') return c.reply.error(R.SYNTAX);
      const n = parseInteger(rest[1]!);
      if (n === null || n <= 0) return c.reply.error('ERR count should be greater than 0');
      count = n;
    }
    for (let i = 2; i < whereAt; i++) {
      const key = argv[i]!;
      const e = c.db.lookupWrite(key);
      const list = listFor(c, e);
      if (list === undefined) return;
      if (list === null || list.size === 0) continue;
      const n = Math.min(count, list.size);
      c.reply.array(2);
      c.reply.bulk(key);
      c.reply.array(n);
      for (let k = 0; k < n; k++) c.reply.bulk((where === 'left' ? list.popFront() : list.popBack())!);
      changed(c, key, list, e);
      return;
    }
    c.reply.nullArray();
  },
};
