/**
 * SORT and SORT_RO (Redis sort.c) over lists, sets and sorted sets.
 *
 * - Options are read left to right as Redis reads them (LIMIT's numbers checked as they come, the
 *   last BY and STORE win, a BY without `*` means "don't sort" for good); the key's type is
 *   checked after the options.
 * - `BY`/`GET` patterns replace the first `*` with the element; `->field` after it reads a hash
 *   field; `GET #` is the element itself; a pattern without `*` reads nothing. Lookups go through
 *   the read chokepoint like Redis's lookupKeyRead.
 * - Numeric sorting reads each weight with strtod (strtod.ts); ties compare the elements as
 *   bytes. ALPHA compares with strcoll in the C locale, i.e. bytes up to the first NUL (binary
 *   compare when storing); a missing BY weight sorts first. With BY and a LIMIT that does not
 *   cover everything, Redis's partial quicksort orders the window; otherwise a stable sort (glibc's
 *   qsort is a merge sort).
 * - `BY nosort` keeps a list's or sorted set's own order (LIMIT applied while reading); a set
 *   is still sorted (ALPHA) when storing or when a script runs the command, so what is stored or
 *   replicated does not depend on hash order.
 * - STORE writes a list (or deletes the destination when empty), event `sortstore`; the command
 *   propagates as it is. Sorting a sorted set converts it to the skiplist encoding, as in Redis.
 */

import { aclUsers } from '../acl/users-view.js';
import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type CollectionValue, type Entry } from '../keyspace/entry.js';
import { strText, stringOf } from '../keyspace/string-value.js';
import { Notify } from '../pubsub/keyspace-events.js';
import { pqsort } from '../util/pqsort.js';
import { strtodStrict } from '../util/strtod.js';
import { storeResult } from './store-result.js';
import { Deque } from './structures/deque.js';
import type { HashDict } from './structures/hash-dict.js';
import type { SetValue } from './structures/set-value.js';
import { NIL } from './structures/skiplist.js';
import type { SortedSet } from './structures/sorted-set.js';

const CONVERSION_ERROR = "ERR One or more scores can't be converted into double";

/**
 * The elements being sorted, column-wise (a string per element, its weight in a parallel array)
 * and sorted through an index array: no object per element, so a big SORT allocates about what
 * Redis's redisSortObject array takes.
 */
interface Weights {
  /** Numeric weights (a missing BY weight is 0), or null under ALPHA. */
  scores: Float64Array | null;
  /** ALPHA weights (null: missing BY weight); the elements themselves when each is its own weight. */
  cmps: readonly (string | null)[] | null;
}

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  dontSort: boolean;
  by: string | null;
  store: string | null;
  gets: string[];
}

/** The text before the first NUL: what C string functions see. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** Redis lookupKeyByPattern: the value a BY/GET pattern names for `subst`, or null. */
function lookupByPattern(c: ClientContext, pattern: string, subst: string): string | null {
  const visible = cString(pattern);
  if (visible === '#') return subst;
  const star = visible.indexOf('*');
  if (star === -1) return null;
  const arrow = visible.indexOf('->', star + 1);
  const field = arrow !== -1 && arrow + 2 < visible.length ? pattern.slice(arrow + 2) : null;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, field === null ? pattern.length : arrow);
  const e = c.db.lookupRead(key);
  if (e === undefined) return null;
  if (field === null) return e.type === ValueType.STRING ? strText(stringOf(e)) : null;
  return e.type === ValueType.HASH ? ((e.value as HashDict).get(field) ?? null) : null;
}

/** Reads the options; false after replying with an error. */
function parseOptions(c: ClientContext, argv: readonly string[], readonly: boolean, o: SortOptions): boolean {
  // BY with a pattern and GET read keys no key spec names: the user needs read access to all keys.
  let full: boolean | null = null;
  const denied = (option: string): boolean => {
    full ??= c.spec === null || (aclUsers(c.server)?.fullKeyAccess(c, c.spec, argv, false) ?? true);
    if (!full) c.reply.error(`ERR ${option} option of SORT denied due to insufficient ACL permissions.`);
    return !full;
  };
  for (let j = 2; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (isWord(a, 'asc')) o.desc = false;
    else if (isWord(a, 'desc')) o.desc = true;
    else if (isWord(a, 'alpha')) o.alpha = true;
    else if (isWord(a, 'limit') && left >= 2) {
      const start = parseInteger(argv[j + 1]!);
      const count = start === null ? null : parseInteger(argv[j + 2]!);
      if (start === null || count === null) {
        c.reply.error(R.NOT_INTEGER);
        return false;
      }
      o.limitStart = start;
      o.limitCount = count;
      j += 2;
    } else if (!readonly && isWord(a, 'store') && left >= 1) {
      o.store = argv[++j]!;
    } else if (isWord(a, 'by') && left >= 1) {
      o.by = argv[++j]!;
      if (cString(o.by).indexOf('*') === -1) o.dontSort = true;
      else if (denied('BY')) return false;
    } else if (isWord(a, 'get') && left >= 1) {
      if (denied('GET')) return false;
      o.gets.push(argv[++j]!);
    } else {
      c.reply.error(R.SYNTAX);
      return false;
    }
  }
  return true;
}

/** The elements to sort: all of them, or (not sorting a list or sorted set) only the LIMIT window. */
function loadItems(e: Entry | undefined, o: SortOptions, start: number, end: number): string[] {
  const out: string[] = [];
  if (e === undefined) return out;
  if (e.type === ValueType.LIST) {
    const list = e.value as Deque;
    if (!o.dontSort) {
      for (let i = 0; i < list.size; i++) out.push(list.at(i)!);
    } else {
      for (let i = start; i <= end; i++) out.push(list.at(o.desc ? list.size - 1 - i : i)!);
    }
  } else if (e.type === ValueType.SET) {
    for (const m of (e.value as SetValue).list()) out.push(m);
  } else {
    const z = e.value as SortedSet;
    const list = z.list;
    if (!o.dontSort) {
      for (let n = list.first(); n !== NIL; n = list.next(n)) out.push(list.member(n));
    } else if (end >= start) {
      let n = o.desc ? list.byRank(z.size - start) : list.byRank(start + 1);
      for (let i = start; i <= end && n !== NIL; i++, n = o.desc ? list.prev(n) : list.next(n)) out.push(list.member(n));
    }
  }
  return out;
}

/** The weights (scores, or ALPHA keys); null when a weight is not a double. */
function loadWeights(c: ClientContext, objs: readonly string[], o: SortOptions): Weights | null {
  if (o.alpha) {
    // The collation key once per element, not per comparison: strcoll in the C locale compares
    // up to the first NUL; a stored sort compares the whole bytes. Without BY and NULs, each
    // element is its own key (no second array).
    if (o.by === null && (o.store !== null || !objs.some((s) => s.includes('\0')))) return { scores: null, cmps: objs };
    const cmps: (string | null)[] = [];
    for (const obj of objs) {
      const byval = o.by === null ? obj : lookupByPattern(c, o.by, obj);
      cmps.push(byval === null ? null : o.store !== null ? byval : cString(byval));
    }
    return { scores: null, cmps };
  }
  const scores = new Float64Array(objs.length);
  for (let i = 0; i < objs.length; i++) {
    const byval = o.by === null ? objs[i]! : lookupByPattern(c, o.by, objs[i]!);
    if (byval === null) continue;
    const v = strtodStrict(byval);
    if (v === null) return null;
    scores[i] = v;
  }
  return { scores, cmps: null };
}

function bytesCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Redis sortCompare over element indexes (ALPHA keys prepared by loadWeights; null: missing BY weight). */
function comparator(o: SortOptions, objs: readonly string[], w: Weights): (a: number, b: number) => number {
  const sign = o.desc ? -1 : 1;
  const scores = w.scores;
  if (scores !== null) return (a, b) => sign * (scores[a]! > scores[b]! ? 1 : scores[a]! < scores[b]! ? -1 : bytesCompare(objs[a]!, objs[b]!));
  const cmps = w.cmps!;
  return (a, b) => {
    const x = cmps[a]!;
    const y = cmps[b]!;
    if (x === null || y === null) return sign * (x === y ? 0 : x === null ? -1 : 1);
    return sign * bytesCompare(x, y);
  };
}

function reply(c: ClientContext, objs: readonly string[], order: readonly number[], start: number, end: number, gets: readonly string[]): void {
  const n = end - start + 1;
  c.reply.array(gets.length > 0 ? gets.length * n : n);
  for (let j = start; j <= end; j++) {
    const obj = objs[order[j]!]!;
    if (gets.length === 0) c.reply.bulk(obj);
    for (const g of gets) c.reply.bulkOrNull(lookupByPattern(c, g, obj));
  }
}

function store(c: ClientContext, key: string, objs: readonly string[], order: readonly number[], start: number, end: number, gets: readonly string[]): void {
  const out = new Deque();
  for (let j = start; j <= end; j++) {
    const obj = objs[order[j]!]!;
    if (gets.length === 0) out.pushBack(obj);
    for (const g of gets) out.pushBack(lookupByPattern(c, g, obj) ?? '');
  }
  storeResult(c, key, ValueType.LIST, out, out.size, { type: Notify.LIST, event: 'sortstore' });
  c.reply.integer(out.size);
}

/** Redis sortCommandGeneric. */
function sort(c: ClientContext, argv: string[], readonly: boolean): void {
  const o: SortOptions = { desc: false, alpha: false, limitStart: 0, limitCount: -1, dontSort: false, by: null, store: null, gets: [] };
  if (!parseOptions(c, argv, readonly, o)) return;
  const e = c.db.lookupRead(argv[1]!);
  if (e !== undefined && e.type !== ValueType.LIST && e.type !== ValueType.SET && e.type !== ValueType.ZSET) return c.reply.error(R.WRONGTYPE);
  // A set's order must not depend on the node: sorted anyway when storing or inside a script.
  if (o.dontSort && e?.type === ValueType.SET && (o.store !== null || c.flags & ClientFlag.SCRIPT)) {
    o.dontSort = false;
    o.alpha = true;
    o.by = null;
  }
  if (e?.type === ValueType.ZSET) (e.value as SortedSet).toSkiplist();
  const len = e === undefined ? 0 : (e.value as CollectionValue).size;
  let start = Math.min(Math.max(o.limitStart, 0), len);
  const count = Math.min(Math.max(o.limitCount, -1), len);
  let end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;
  const objs = loadItems(e, o, start, end);
  if (o.dontSort && e !== undefined && e.type !== ValueType.SET) {
    end -= start;
    start = 0;
  }
  const order: number[] = [];
  for (let i = 0; i < objs.length; i++) order.push(i);
  if (!o.dontSort) {
    const w = loadWeights(c, objs, o);
    if (w === null) return c.reply.error(CONVERSION_ERROR);
    const cmp = comparator(o, objs, w);
    if (o.by !== null && (start !== 0 || end !== order.length - 1)) pqsort(order, cmp, start, end);
    else order.sort(cmp);
  }
  if (o.store === null) reply(c, objs, order, start, end, o.gets);
  else store(c, o.store, objs, order, start, end, o.gets);
}

export const SORT_HANDLERS: HandlerTable = {
  sort: (c, argv) => sort(c, argv, false),
  sort_ro: (c, argv) => sort(c, argv, true),
};
