/**
 * Sorted-set commands (Redis t_zset.c), core set: ZADD (NX XX GT LT CH INCR), ZINCRBY, ZREM,
 * ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES),
 * ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX, ZRANK, ZREVRANK, ZREMRANGEBY{RANK,SCORE,LEX},
 * ZPOPMIN, ZPOPMAX. Scores print as Redis 7.0 prints doubles (%.17g; RESP3 doubles).
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { keyword, parseDouble, parseInteger, parseScoreBound, positiveOrReply } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { NIL, type LexRange, type ScoreRange } from './structures/skiplist.js';
import { SortedSet } from './structures/sorted-set.js';
import { valueAs } from './typed-value.js';
import { writeScored } from './zset-reply.js';
import { forEachSelected, selectRange, writeSelection, type RangeSpec } from './zset-range.js';

const MINMAX_FLOAT = 'ERR min or max is not a float';
const MINMAX_LEX = 'ERR min or max not valid string range item';

function zsetFor(c: ClientContext, e: Entry | undefined): SortedSet | null | undefined {
  return valueAs<SortedSet>(c, e, ValueType.ZSET);
}

function scoreRange(minText: string, maxText: string): ScoreRange | null {
  const a = parseScoreBound(minText);
  const b = parseScoreBound(maxText);
  if (a === null || b === null) return null;
  return { min: a.value, max: b.value, minex: a.exclusive, maxex: b.exclusive };
}

/** zslParseLexRangeItem: `-`/`+` (read as C strings), or `(`/`[` and a binary-safe member. */
function lexBound(text: string): { v: string | null; ex: boolean; kind: '-' | '+' | 'v' } | null {
  const first = text.charCodeAt(0);
  if ((first === 45 || first === 43) && (text.length === 1 || text.charCodeAt(1) === 0)) {
    return { v: null, ex: false, kind: first === 45 ? '-' : '+' };
  }
  if (first === 40 || first === 91) return { v: text.slice(1), ex: first === 40, kind: 'v' };
  return null;
}

function lexRange(minText: string, maxText: string): LexRange | null {
  const a = lexBound(minText);
  const b = lexBound(maxText);
  if (a === null || b === null) return null;
  let empty = a.kind === '+' || b.kind === '-';
  if (!empty && a.v !== null && b.v !== null && (a.v > b.v || (a.v === b.v && (a.ex || b.ex)))) empty = true;
  return { min: a.v, max: b.v, minex: a.ex, maxex: b.ex, empty };
}

/** Converts a set that outgrew zset-max-listpack-entries/-value to the skiplist encoding. */
export function fitListpack(c: ClientContext, z: SortedSet): void {
  z.fit(c.server.config.int('zset-max-listpack-entries'), c.server.config.int('zset-max-listpack-value'));
}

function removeIfEmpty(c: ClientContext, key: string, z: SortedSet, e: Entry | undefined, n: number): void {
  if (n === 0) return;
  if (z.size === 0 && e !== undefined) c.db.remove(e);
  c.server.keyspace.signalModified(c.db, key);
  // Callers: ZREM, ZREMRANGEBY*, ZPOPMIN/ZPOPMAX, whose event names are their command names.
  notify(c, Notify.ZSET, c.spec?.name ?? 'zrem', key);
  if (!c.db.dict.has(key)) notify(c, Notify.GENERIC, 'del', key);
  c.server.dirty += n;
}

/** ZADD, and ZINCRBY (`incrOnly`: INCR preset, options still read as Redis's zaddGenericCommand does). */
function zadd(c: ClientContext, argv: string[], incrOnly: boolean): void {
  let nx = false, xx = false, gt = false, lt = false, ch = false, incr = incrOnly;
  let i = 2;
  for (; i < argv.length; i++) {
    const o = keyword(argv[i]!);
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') incr = true;
    else if (o === 'gt') gt = true;
    else if (o === 'lt') lt = true;
    else break;
  }
  const rest = argv.length - i;
  if (rest === 0 || rest % 2 !== 0) return c.reply.error(R.SYNTAX);
  if (nx && xx) return c.reply.error('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) return c.reply.error('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (incr && rest > 2) return c.reply.error('ERR INCR option supports a single increment-element pair');
  const pairs: [number, string][] = [];
  for (let j = i; j < argv.length; j += 2) {
    const s = parseDouble(argv[j]!);
    if (s === null) return c.reply.error(R.NOT_FLOAT);
    pairs.push([s, argv[j + 1]!]);
  }
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  let z = zsetFor(c, e);
  if (z === undefined) return;
  if (z === null) {
    if (xx) return incr ? c.reply.nullBulk() : c.reply.integer(0);
    z = new SortedSet();
    c.db.add(key, ValueType.ZSET, z);
  }
  let added = 0;
  let changed = 0;
  let result: number | null = null;
  for (const [score, member] of pairs) {
    const cur = z.score(member);
    if (cur !== undefined) {
      if (nx) continue;
      let next = score;
      if (incr) {
        next = cur + score;
        if (Number.isNaN(next)) {
          if (z.size === 0) c.db.remove(c.db.dict.get(key)!);
          return c.reply.error('ERR resulting score is not a number (NaN)');
        }
      }
      if ((gt && next <= cur) || (lt && next >= cur)) continue;
      result = next;
      if (next !== cur) {
        z.set(member, next);
        changed++;
      }
    } else {
      if (xx) continue;
      z.set(member, score);
      added++;
      result = score;
    }
  }
  if (z.size === 0) c.db.remove(c.db.dict.get(key)!);
  else if (added > 0) fitListpack(c, z);
  if (added + changed > 0) {
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.ZSET, incr ? 'zincr' : 'zadd', key);
    c.server.dirty += added + changed;
  }
  if (incr) return result === null ? c.reply.nullBulk() : c.reply.double(result);
  c.reply.integer(ch ? added + changed : added);
}

/** ZRANGE and the legacy range commands; `legacy` fixes by/rev and allows only their options. */
function range(c: ClientContext, argv: string[], legacy: { by: RangeSpec['by']; rev: boolean } | null, dst: string | null = null): void {
  const spec: RangeSpec = { by: legacy?.by ?? 'rank', rev: legacy?.rev ?? false, withScores: false, offset: 0, count: -1 };
  // Redis reads REV and BYSCORE/BYLEX once each (a second one is a syntax error).
  let revGiven = false;
  let byGiven = false;
  for (let i = 4; i < argv.length; i++) {
    const o = keyword(argv[i]!);
    if (o === 'withscores' && dst === null) spec.withScores = true;
    else if (o === 'limit' && i + 2 < argv.length) {
      const off = parseInteger(argv[i + 1]!);
      const cnt = parseInteger(argv[i + 2]!);
      if (off === null || cnt === null) return c.reply.error(R.NOT_INTEGER);
      spec.offset = off;
      spec.count = cnt;
      i += 2;
    } else if (legacy === null && !revGiven && o === 'rev') {
      spec.rev = true;
      revGiven = true;
    } else if (legacy === null && !byGiven && (o === 'byscore' || o === 'bylex')) {
      spec.by = o === 'byscore' ? 'score' : 'lex';
      byGiven = true;
    } else return c.reply.error(R.SYNTAX);
  }
  // Redis tests the count against -1 ("no LIMIT"): LIMIT 0 -1 is accepted with a rank range.
  if (spec.count !== -1 && spec.by === 'rank') return c.reply.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (spec.withScores && spec.by === 'lex') return c.reply.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  let min = argv[2]!;
  let max = argv[3]!;
  if (spec.rev && spec.by !== 'rank') [min, max] = [max, min];
  let score: ScoreRange | null = null;
  let lex: LexRange | null = null;
  if (spec.by === 'rank') {
    if (parseInteger(min) === null || parseInteger(max) === null) return c.reply.error(R.NOT_INTEGER);
  } else if (spec.by === 'score') {
    score = scoreRange(min, max);
    if (score === null) return c.reply.error(MINMAX_FLOAT);
  } else {
    lex = lexRange(min, max);
    if (lex === null) return c.reply.error(MINMAX_LEX);
  }
  const z = zsetFor(c, c.db.lookupRead(argv[1]!));
  if (z === undefined) return;
  if (z === null) return dst === null ? c.reply.array(0) : storeRange(c, dst, new SortedSet());
  const sel = selectRange(z, min, max, spec, score, lex);
  if (dst === null) return writeSelection(c, z.list, sel, spec.withScores);
  const out = new SortedSet();
  forEachSelected(z.list, sel, (member, s) => out.set(member, s));
  storeRange(c, dst, out);
}

/** ZRANGESTORE's destination: replaced by `out` (deleted when empty). */
function storeRange(c: ClientContext, dst: string, out: SortedSet): void {
  fitListpack(c, out);
  const existing = c.db.lookupWrite(dst);
  if (existing !== undefined) c.db.remove(existing);
  if (out.size > 0) c.db.add(dst, ValueType.ZSET, out);
  if (existing !== undefined || out.size > 0) {
    c.server.keyspace.signalModified(c.db, dst);
    notify(c, out.size > 0 ? Notify.ZSET : Notify.GENERIC, out.size > 0 ? 'zrangestore' : 'del', dst);
    c.server.dirty++;
  }
  c.reply.integer(out.size);
}

function pop(c: ClientContext, argv: string[], max: boolean): void {
  if (argv.length > 3) return c.reply.error(R.SYNTAX);
  let count = 1;
  if (argv.length === 3) {
    const n = positiveOrReply(c, argv[2]!);
    if (n === null) return;
    count = n;
  }
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  const z = zsetFor(c, e);
  if (z === undefined) return;
  const popped = z === null ? [] : z.pop(max, count);
  if (z !== null) removeIfEmpty(c, key, z, e, popped.length);
  // With a count, RESP3 nests [member, score] pairs; without, both protocols answer flat.
  if (argv.length === 3 && c.reply.proto === 3) writeScored(c, popped, true, true);
  else {
    c.reply.array(popped.length * 2);
    for (const p of popped) {
      c.reply.bulk(p.member);
      c.reply.double(p.score);
    }
  }
}

function removeRange(c: ClientContext, argv: string[], by: RangeSpec['by']): void {
  let score: ScoreRange | null = null;
  let lex: LexRange | null = null;
  if (by === 'rank') {
    if (parseInteger(argv[2]!) === null || parseInteger(argv[3]!) === null) return c.reply.error(R.NOT_INTEGER);
  } else if (by === 'score') {
    score = scoreRange(argv[2]!, argv[3]!);
    if (score === null) return c.reply.error(MINMAX_FLOAT);
  } else {
    lex = lexRange(argv[2]!, argv[3]!);
    if (lex === null) return c.reply.error(MINMAX_LEX);
  }
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  const z = zsetFor(c, e);
  if (z === undefined) return;
  if (z === null) return c.reply.integer(0);
  const members: string[] = [];
  const sel = selectRange(z, argv[2]!, argv[3]!, { by, rev: false, withScores: false, offset: 0, count: -1 }, score, lex);
  forEachSelected(z.list, sel, (member) => members.push(member));
  for (const m of members) z.delete(m);
  removeIfEmpty(c, key, z, e, members.length);
  c.reply.integer(members.length);
}

function count(c: ClientContext, argv: string[], by: 'score' | 'lex'): void {
  const score = by === 'score' ? scoreRange(argv[2]!, argv[3]!) : null;
  const lex = by === 'lex' ? lexRange(argv[2]!, argv[3]!) : null;
  if (by === 'score' && score === null) return c.reply.error(MINMAX_FLOAT);
  if (by === 'lex' && lex === null) return c.reply.error(MINMAX_LEX);
  const z = zsetFor(c, c.db.lookupRead(argv[1]!));
  if (z === undefined) return;
  if (z === null) return c.reply.integer(0);
  const list = z.list;
  if (by === 'score') return c.reply.integer(list.countInRange(score!));
  const first = list.firstInLex(lex!);
  if (first === NIL) return c.reply.integer(0);
  const last = list.lastInLex(lex!);
  // Lex ranges are only meaningful when all scores are equal; with mixed scores (undefined in
  // Redis too) the two walks can disagree, and an empty count is the safe answer.
  if (last === NIL) return c.reply.integer(0);
  const rankOf = (n: number): number => list.rank(list.score(n), list.member(n));
  c.reply.integer(Math.max(0, rankOf(last) - rankOf(first) + 1));
}

export const ZSET_HANDLERS: HandlerTable = {
  zadd: (c, argv) => zadd(c, argv, false),
  zincrby: (c, argv) => zadd(c, argv, true),

  zrem(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const z = zsetFor(c, e);
    if (z === undefined) return;
    if (z === null) return c.reply.integer(0);
    let n = 0;
    for (let i = 2; i < argv.length; i++) if (z.delete(argv[i]!)) n++;
    removeIfEmpty(c, key, z, e, n);
    c.reply.integer(n);
  },

  zscore(c, argv) {
    const z = zsetFor(c, c.db.lookupRead(argv[1]!));
    if (z === undefined) return;
    const s = z?.score(argv[2]!);
    if (s === undefined) c.reply.nullBulk();
    else c.reply.double(s);
  },

  zmscore(c, argv) {
    const z = zsetFor(c, c.db.lookupRead(argv[1]!));
    if (z === undefined) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      const s = z?.score(argv[i]!);
      if (s === undefined) c.reply.nullBulk();
      else c.reply.double(s);
    }
  },

  zcard(c, argv) {
    const z = zsetFor(c, c.db.lookupRead(argv[1]!));
    if (z !== undefined) c.reply.integer(z === null ? 0 : z.size);
  },

  zcount: (c, argv) => count(c, argv, 'score'),
  zlexcount: (c, argv) => count(c, argv, 'lex'),
  zrange: (c, argv) => range(c, argv, null),
  zrangestore: (c, argv) => range(c, ['ZRANGE', ...argv.slice(2)], null, argv[1]!),
  zrevrange: (c, argv) => range(c, argv, { by: 'rank', rev: true }),
  zrangebyscore: (c, argv) => range(c, argv, { by: 'score', rev: false }),
  zrevrangebyscore: (c, argv) => range(c, argv, { by: 'score', rev: true }),
  zrangebylex: (c, argv) => range(c, argv, { by: 'lex', rev: false }),
  zrevrangebylex: (c, argv) => range(c, argv, { by: 'lex', rev: true }),

  zrank(c, argv) {
    const z = zsetFor(c, c.db.lookupRead(argv[1]!));
    if (z === undefined) return;
    const r = z === null ? -1 : z.rank(argv[2]!);
    if (r < 0) c.reply.nullBulk();
    else c.reply.integer(r);
  },

  zrevrank(c, argv) {
    const z = zsetFor(c, c.db.lookupRead(argv[1]!));
    if (z === undefined) return;
    const r = z === null ? -1 : z.rank(argv[2]!);
    if (r < 0) c.reply.nullBulk();
    else c.reply.integer(z!.size - 1 - r);
  },

  zremrangebyrank: (c, argv) => removeRange(c, argv, 'rank'),
  zremrangebyscore: (c, argv) => removeRange(c, argv, 'score'),
  zremrangebylex: (c, argv) => removeRange(c, argv, 'lex'),
  zpopmin: (c, argv) => pop(c, argv, false),
  zpopmax: (c, argv) => pop(c, argv, true),
};
