/**
 * Blocking list and sorted-set commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
 * BZPOPMAX, BZMPOP. Each first tries to answer at once (with the non-blocking semantics); inside
 * MULTI/EXEC it answers a null array instead of blocking; otherwise it parks the client on its keys
 * (see ../blocking.ts) with a `serve` function that performs the pop when a key gains elements.
 * Timeouts are seconds with decimals; 0 waits forever.
 */

import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { parseDouble, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { blockForKeys } from '../blocking.js';
import { Deque } from './structures/deque.js';
import type { SortedSet } from './structures/sorted-set.js';
import { writeScored } from './zset-reply.js';

/** Parses a blocking timeout (seconds) into ms; replies with the error and returns null. */
function timeoutMs(c: ClientContext, text: string): number | null {
  const t = parseDouble(text);
  if (t === null || !Number.isFinite(t)) {
    c.reply.error('ERR timeout is not a float or out of range');
    return null;
  }
  if (t < 0) {
    c.reply.error('ERR timeout is negative');
    return null;
  }
  return Math.round(t * 1000);
}

function cannotBlock(c: ClientContext): boolean {
  return (c.flags & ClientFlag.IN_EXEC) !== 0;
}

/** Pops up to `count` from a list key with elements; writes nothing. Removes an emptied key. */
function popList(c: ClientContext, e: Entry, key: string, left: boolean, count: number): string[] {
  const list = e.value as Deque;
  const out: string[] = [];
  for (let i = 0; i < count && list.size > 0; i++) out.push((left ? list.popFront() : list.popBack())!);
  if (list.size === 0) c.db.remove(e);
  c.server.keyspace.signalModified(c.db, key);
  c.server.dirty += out.length;
  return out;
}

/** The first key (in argument order) holding a non-empty list; 'wrongtype' after replying. */
function firstList(c: ClientContext, keys: readonly string[]): { key: string; e: Entry } | null | 'wrongtype' {
  for (const key of keys) {
    const e = c.db.lookupWrite(key);
    if (e === undefined) continue;
    if (e.type !== ValueType.LIST) {
      c.reply.error(R.WRONGTYPE);
      return 'wrongtype';
    }
    if ((e.value as Deque).size > 0) return { key, e };
  }
  return null;
}

function bpop(c: ClientContext, argv: string[], left: boolean): void {
  const ms = timeoutMs(c, argv[argv.length - 1]!);
  if (ms === null) return;
  const keys = argv.slice(1, -1);
  const serve = (cl: ClientContext, only: string | null): boolean => {
    const found = firstList(cl, only === null ? keys : [only]);
    if (found === null || found === 'wrongtype') return found === 'wrongtype';
    const [v] = popList(cl, found.e, found.key, left, 1);
    cl.reply.array(2);
    cl.reply.bulk(found.key);
    cl.reply.bulk(v!);
    return true;
  };
  if (serve(c, null)) return;
  if (cannotBlock(c)) return c.reply.nullArray();
  blockForKeys(c, keys, ms, (cl, key) => serve(cl, key));
}

/** LMOVE's effect from a non-empty source; 'wrongtype' when the destination is not a list. */
function moveOne(c: ClientContext, src: string, dst: string, fromLeft: boolean, toLeft: boolean): string | 'wrongtype' | null {
  const se = c.db.lookupWrite(src);
  if (se === undefined) return null;
  if (se.type !== ValueType.LIST) return 'wrongtype';
  const de = c.db.lookupWrite(dst);
  if (de !== undefined && de.type !== ValueType.LIST) return 'wrongtype';
  const sl = se.value as Deque;
  if (sl.size === 0) return null;
  const v = (fromLeft ? sl.popFront() : sl.popBack())!;
  let dl = de === undefined ? null : (de.value as Deque);
  if (dl === null) {
    dl = new Deque();
    c.db.add(dst, ValueType.LIST, dl);
  }
  if (toLeft) dl.pushFront(v);
  else dl.pushBack(v);
  if (sl.size === 0 && c.db.dict.get(src) === se) c.db.remove(se);
  c.server.keyspace.signalModified(c.db, src);
  c.server.keyspace.signalModified(c.db, dst);
  c.server.dirty++;
  return v;
}

function bmove(c: ClientContext, src: string, dst: string, from: string, to: string, timeoutText: string): void {
  const f = from.toLowerCase();
  const t = to.toLowerCase();
  if ((f !== 'left' && f !== 'right') || (t !== 'left' && t !== 'right')) return c.reply.error(R.SYNTAX);
  const ms = timeoutMs(c, timeoutText);
  if (ms === null) return;
  const serve = (cl: ClientContext): boolean => {
    const v = moveOne(cl, src, dst, f === 'left', t === 'left');
    if (v === null) return false;
    if (v === 'wrongtype') cl.reply.error(R.WRONGTYPE);
    else cl.reply.bulk(v);
    return true;
  };
  if (serve(c)) return;
  if (cannotBlock(c)) return c.reply.nullBulk();
  blockForKeys(c, [src], ms, (cl) => serve(cl));
}

/** BLMPOP/BZMPOP argument parsing: timeout numkeys key… where [COUNT n]. */
function parseMpop(c: ClientContext, argv: string[], wheres: readonly string[]): { ms: number; keys: string[]; where: string; count: number } | null {
  const ms = timeoutMs(c, argv[1]!);
  if (ms === null) return null;
  const n = parseInteger(argv[2]!);
  if (n === null || n <= 0) {
    c.reply.error('ERR numkeys should be greater than 0');
    return null;
  }
  const whereAt = 3 + n;
  const where = argv[whereAt]?.toLowerCase();
  if (where === undefined || !wheres.includes(where)) {
    c.reply.error(R.SYNTAX);
    return null;
  }
  let count = 1;
  const rest = argv.slice(whereAt + 1);
  if (rest.length > 0) {
    const k = rest.length === 2 && rest[0]!.toLowerCase() === 'count' ? parseInteger(rest[1]!) : null;
    if (rest.length !== 2 || rest[0]!.toLowerCase() !== 'count') {
      c.reply.error(R.SYNTAX);
      return null;
    }
    if (k === null || k <= 0) {
      c.reply.error('ERR count should be greater than 0');
      return null;
    }
    count = k;
  }
  return { ms, keys: argv.slice(3, whereAt), where, count };
}

function blmpop(c: ClientContext, argv: string[]): void {
  const p = parseMpop(c, argv, ['left', 'right']);
  if (p === null) return;
  const serve = (cl: ClientContext, only: string | null): boolean => {
    const found = firstList(cl, only === null ? p.keys : [only]);
    if (found === null || found === 'wrongtype') return found === 'wrongtype';
    const vals = popList(cl, found.e, found.key, p.where === 'left', p.count);
    cl.reply.array(2);
    cl.reply.bulk(found.key);
    cl.reply.bulkArray(vals);
    return true;
  };
  if (serve(c, null)) return;
  if (cannotBlock(c)) return c.reply.nullArray();
  blockForKeys(c, p.keys, p.ms, (cl, key) => serve(cl, key));
}

/** Pops up to `count` members of the first non-empty sorted set among keys. */
function zpopFirst(c: ClientContext, keys: readonly string[], max: boolean, count: number): { key: string; items: [string, number][] } | null | 'wrongtype' {
  for (const key of keys) {
    const e = c.db.lookupWrite(key);
    if (e === undefined) continue;
    if (e.type !== ValueType.ZSET) {
      c.reply.error(R.WRONGTYPE);
      return 'wrongtype';
    }
    const z = e.value as SortedSet;
    if (z.size === 0) continue;
    const items: [string, number][] = [];
    for (let n = max ? z.list.tail : z.list.header.level[0]!.forward; n !== null && items.length < count; n = max ? n.backward : n.level[0]!.forward) {
      items.push([n.member, n.score]);
    }
    for (const [m] of items) z.delete(m);
    if (z.size === 0) c.db.remove(e);
    c.server.keyspace.signalModified(c.db, key);
    c.server.dirty += items.length;
    return { key, items };
  }
  return null;
}

function bzpop(c: ClientContext, argv: string[], max: boolean): void {
  const ms = timeoutMs(c, argv[argv.length - 1]!);
  if (ms === null) return;
  const keys = argv.slice(1, -1);
  const serve = (cl: ClientContext, only: string | null): boolean => {
    const r = zpopFirst(cl, only === null ? keys : [only], max, 1);
    if (r === null || r === 'wrongtype') return r === 'wrongtype';
    cl.reply.array(3);
    cl.reply.bulk(r.key);
    cl.reply.bulk(r.items[0]![0]);
    cl.reply.double(r.items[0]![1]);
    return true;
  };
  if (serve(c, null)) return;
  if (cannotBlock(c)) return c.reply.nullArray();
  blockForKeys(c, keys, ms, (cl, key) => serve(cl, key));
}

function bzmpop(c: ClientContext, argv: string[]): void {
  const p = parseMpop(c, argv, ['min', 'max']);
  if (p === null) return;
  const serve = (cl: ClientContext, only: string | null): boolean => {
    const r = zpopFirst(cl, only === null ? p.keys : [only], p.where === 'max', p.count);
    if (r === null || r === 'wrongtype') return r === 'wrongtype';
    cl.reply.array(2);
    cl.reply.bulk(r.key);
    writeScored(cl, r.items.map(([member, score]) => ({ member, score })), true, true);
    return true;
  };
  if (serve(c, null)) return;
  if (cannotBlock(c)) return c.reply.nullArray();
  blockForKeys(c, p.keys, p.ms, (cl, key) => serve(cl, key));
}

export const BLOCKING_HANDLERS: HandlerTable = {
  blpop: (c, argv) => bpop(c, argv, true),
  brpop: (c, argv) => bpop(c, argv, false),
  blmove: (c, argv) => bmove(c, argv[1]!, argv[2]!, argv[3]!, argv[4]!, argv[5]!),
  brpoplpush: (c, argv) => bmove(c, argv[1]!, argv[2]!, 'right', 'left', argv[3]!),
  blmpop: blmpop,
  bzpopmin: (c, argv) => bzpop(c, argv, false),
  bzpopmax: (c, argv) => bzpop(c, argv, true),
  bzmpop: bzmpop,
};
