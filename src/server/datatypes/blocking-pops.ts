/**
 * Blocking list and sorted-set commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
 * BZPOPMAX, BZMPOP (Redis 7.0 t_list.c / t_zset.c). Each first tries to answer at once with the
 * non-blocking semantics; inside MULTI/EXEC it answers null instead of blocking; otherwise it parks
 * the client on its keys (../blocked-clients.ts) with a `serve` function that pops when a key of its type
 * becomes ready.
 *
 * Propagation follows Redis: a pop is propagated as LPOP/RPOP/ZPOPMIN/ZPOPMAX key [n], a move as
 * LMOVE (BLMOVE) or RPOPLPUSH (BRPOPLPUSH), whether served at once or after blocking.
 * Timeouts are parsed like getTimeoutFromObjectOrReply: a long double in seconds, rounded up to ms.
 */

import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { keyword, timeoutOrReply } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { blockForKeys } from '../blocked-clients.js';
import { firstList, moveElement, parseMpop, popRange } from './list.js';
import type { Deque } from './structures/deque.js';
import type { SortedSet } from './structures/sorted-set.js';
import { writeScored } from './zset-reply.js';

/** Parses a blocking timeout (seconds) into ms (0 = forever); replies with the error and returns null. */
function timeoutMs(c: ClientContext, text: string): number | null {
  return timeoutOrReply(c, text, true);
}

function cannotBlock(c: ClientContext): boolean {
  return (c.flags & ClientFlag.IN_EXEC) !== 0;
}

/** BLPOP/BRPOP: pops one element from the first non-empty list; replies `[key, element]`. */
function bpopServe(c: ClientContext, keys: readonly string[], left: boolean): boolean {
  const found = firstList(c, keys);
  if (found === undefined) return true;
  if (found === null) return false;
  const list = found.e.value as Deque;
  const v = (left ? list.popFront() : list.popBack())!;
  if (list.size === 0) c.db.remove(found.e);
  c.server.keyspace.signalModified(c.db, found.key);
  notify(c, Notify.LIST, left ? 'lpop' : 'rpop', found.key);
  if (list.size === 0) notify(c, Notify.GENERIC, 'del', found.key);
  c.server.dirty++;
  c.propagateAs = [[left ? 'LPOP' : 'RPOP', found.key]];
  c.reply.array(2);
  c.reply.bulk(found.key);
  c.reply.bulk(v);
  return true;
}

function bpop(c: ClientContext, argv: string[], left: boolean): void {
  const ms = timeoutMs(c, argv[argv.length - 1]!);
  if (ms === null) return;
  const keys = argv.slice(1, -1);
  if (bpopServe(c, keys, left)) return;
  if (cannotBlock(c)) return c.reply.nullArray();
  blockForKeys(c, keys, ms, (cl, key) => bpopServe(cl, [key], left), ValueType.LIST);
}

interface MoveArgs {
  src: string;
  dst: string;
  fromLeft: boolean;
  toLeft: boolean;
  /** Propagated when served at once (Redis keeps the client's LEFT/RIGHT spelling then). */
  now: string[];
  /** Propagated when served after blocking (Redis writes the sides in lower case). */
  later: string[];
}

/** BLMOVE/BRPOPLPUSH from a source already checked to be a list; false when it is empty. */
function bmoveServe(c: ClientContext, m: MoveArgs, propagate: string[]): boolean {
  const se = c.db.lookupWrite(m.src);
  if (se === undefined || se.type !== ValueType.LIST || (se.value as Deque).size === 0) return false;
  const v = moveElement(c, se, m.src, m.dst, m.fromLeft, m.toLeft);
  if (v === null) return true;
  c.propagateAs = [propagate];
  c.reply.bulk(v);
  return true;
}

function bmove(c: ClientContext, m: MoveArgs, timeoutText: string): void {
  const ms = timeoutMs(c, timeoutText);
  if (ms === null) return;
  const se = c.db.lookupWrite(m.src);
  if (se !== undefined && se.type !== ValueType.LIST) return c.reply.error(R.WRONGTYPE);
  if (se !== undefined) {
    bmoveServe(c, m, m.now);
    return;
  }
  if (cannotBlock(c)) return c.reply.nullBulk();
  blockForKeys(c, [m.src], ms, (cl) => bmoveServe(cl, m, m.later), ValueType.LIST);
}

function blmove(c: ClientContext, argv: string[]): void {
  const from = keyword(argv[3]!);
  const to = keyword(argv[4]!);
  if ((from !== 'left' && from !== 'right') || (to !== 'left' && to !== 'right')) return c.reply.error(R.SYNTAX);
  const [, src, dst] = argv as [string, string, string];
  bmove(c, { src, dst, fromLeft: from === 'left', toLeft: to === 'left', now: ['LMOVE', src, dst, argv[3]!, argv[4]!], later: ['LMOVE', src, dst, from, to] }, argv[5]!);
}

function brpoplpush(c: ClientContext, argv: string[]): void {
  const [, src, dst] = argv as [string, string, string];
  const prop = ['RPOPLPUSH', src, dst];
  bmove(c, { src, dst, fromLeft: false, toLeft: true, now: prop, later: prop }, argv[3]!);
}

function blmpop(c: ClientContext, argv: string[]): void {
  const p = parseMpop(c, argv, 2, ['left', 'right']);
  if (p === null) return;
  const ms = timeoutMs(c, argv[1]!);
  if (ms === null) return;
  const serve = (cl: ClientContext, keys: readonly string[]): boolean => {
    const found = firstList(cl, keys);
    if (found === undefined) return true;
    if (found === null) return false;
    popRange(cl, found.e, found.key, p.first, p.count);
    return true;
  };
  if (serve(c, p.keys)) return;
  if (cannotBlock(c)) return c.reply.nullArray();
  blockForKeys(c, p.keys, ms, (cl, key) => serve(cl, [key]), ValueType.LIST);
}

/** Pops up to `count` members of the first non-empty sorted set among keys (undefined: WRONGTYPE sent). */
function zpopFirst(c: ClientContext, keys: readonly string[], max: boolean, count: number): { key: string; items: [string, number][] } | null | undefined {
  for (const key of keys) {
    const e: Entry | undefined = c.db.lookupWrite(key);
    if (e === undefined) continue;
    if (e.type !== ValueType.ZSET) {
      c.reply.error(R.WRONGTYPE);
      return undefined;
    }
    const z = e.value as SortedSet;
    if (z.size === 0) continue;
    const items: [string, number][] = z.pop(max, count).map((p) => [p.member, p.score]);
    if (z.size === 0) c.db.remove(e);
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.ZSET, max ? 'zpopmax' : 'zpopmin', key);
    if (z.size === 0) notify(c, Notify.GENERIC, 'del', key);
    c.server.dirty += items.length;
    return { key, items };
  }
  return null;
}

function bzpop(c: ClientContext, argv: string[], max: boolean): void {
  const ms = timeoutMs(c, argv[argv.length - 1]!);
  if (ms === null) return;
  const keys = argv.slice(1, -1);
  const serve = (cl: ClientContext, ks: readonly string[]): boolean => {
    const r = zpopFirst(cl, ks, max, 1);
    if (r === undefined) return true;
    if (r === null) return false;
    cl.propagateAs = [[max ? 'ZPOPMAX' : 'ZPOPMIN', r.key]];
    cl.reply.array(3);
    cl.reply.bulk(r.key);
    cl.reply.bulk(r.items[0]![0]);
    cl.reply.double(r.items[0]![1]);
    return true;
  };
  if (serve(c, keys)) return;
  if (cannotBlock(c)) return c.reply.nullArray();
  blockForKeys(c, keys, ms, (cl, key) => serve(cl, [key]), ValueType.ZSET);
}

function bzmpop(c: ClientContext, argv: string[]): void {
  const p = parseMpop(c, argv, 2, ['min', 'max']);
  if (p === null) return;
  const ms = timeoutMs(c, argv[1]!);
  if (ms === null) return;
  const max = !p.first;
  const serve = (cl: ClientContext, ks: readonly string[]): boolean => {
    const r = zpopFirst(cl, ks, max, p.count);
    if (r === undefined) return true;
    if (r === null) return false;
    cl.propagateAs = [[max ? 'ZPOPMAX' : 'ZPOPMIN', r.key, String(r.items.length)]];
    cl.reply.array(2);
    cl.reply.bulk(r.key);
    writeScored(cl, r.items.map(([member, score]) => ({ member, score })), true, true);
    return true;
  };
  if (serve(c, p.keys)) return;
  if (cannotBlock(c)) return c.reply.nullArray();
  blockForKeys(c, p.keys, ms, (cl, key) => serve(cl, [key]), ValueType.ZSET);
}

export const BLOCKING_HANDLERS: HandlerTable = {
  blpop: (c, argv) => bpop(c, argv, true),
  brpop: (c, argv) => bpop(c, argv, false),
  blmove,
  brpoplpush,
  blmpop,
  bzpopmin: (c, argv) => bzpop(c, argv, false),
  bzpopmax: (c, argv) => bzpop(c, argv, true),
  bzmpop,
};
