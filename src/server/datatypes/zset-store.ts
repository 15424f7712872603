/**
 * Sorted-set commands that combine or move whole sets (Redis zunionInterDiffGenericCommand and
 * friends): ZUNION/ZINTER/ZDIFF and their STORE forms (WEIGHTS, AGGREGATE SUM|MIN|MAX; plain sets
 * count as score 1), ZINTERCARD, ZRANGESTORE, ZMPOP, ZRANDMEMBER and ZSCAN.
 * As in Redis, a weighted score or a SUM that comes out NaN (inf − inf, inf × 0) counts as 0.
 */

import { formatDouble } from '../../protocol/double-format.js';
import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { INT64_MAX, isWord, keyword, parseDouble, parseInt64, parseInteger, rangeOrReply } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { globMatch } from '../util/glob.js';
import { SetValue } from './structures/set-value.js';
import { SortedSet, type ScoredMember } from './structures/sorted-set.js';
import { INVALID_CURSOR, parseScanCursor, parseScanOptions, replyEmptyScan, valueAs, writeRandomPicks } from './typed-value.js';
import { fitListpack } from './zset.js';
import { writeScored } from './zset-reply.js';
import { writeSelection } from './zset-range.js';

type Op = 'union' | 'inter' | 'diff';
/** LONG_MAX / 2: ZRANDMEMBER … WITHSCORES doubles the reply length. */
const HALF_LONG_MAX = INT64_MAX / 2n;
type Aggregate = 'sum' | 'min' | 'max';

/** An input of ZUNION/ZINTER/ZDIFF: a sorted set, or a plain set whose members score 1. */
interface ScoredInput {
  readonly size: number;
  score(member: string): number | undefined;
  /** Every member with its score, without collecting them. */
  forEach(fn: (member: string, score: number) => void): void;
}

function setInput(s: SetValue): ScoredInput {
  return {
    size: s.size,
    score: (m) => (s.has(m) ? 1 : undefined),
    forEach(fn) {
      for (let i = 0, end = s.slotCount; i < end; i++) {
        const m = s.memberAt(i);
        if (m !== undefined) fn(m, 1);
      }
    },
  };
}

/** Reads a key as a scored input; null = missing; undefined = WRONGTYPE replied. */
function readScored(c: ClientContext, e: Entry | undefined): ScoredInput | null | undefined {
  if (e === undefined) return null;
  if (e.type === ValueType.ZSET) return e.value as SortedSet;
  if (e.type === ValueType.SET) return setInput(e.value as SetValue);
  c.reply.error(R.WRONGTYPE);
  return undefined;
}

function aggregate(a: number, b: number, how: Aggregate): number {
  if (how === 'sum') {
    const s = a + b;
    return Number.isNaN(s) ? 0 : s;
  }
  return how === 'min' ? Math.min(a, b) : Math.max(a, b);
}

function computeOp(op: Op, inputs: (ScoredInput | null)[], weights: number[], how: Aggregate): SortedSet {
  const out = new SortedSet();
  const weighted = (i: number, s: number): number => {
    const v = weights[i]! * s;
    return Number.isNaN(v) ? 0 : v;
  };
  if (op === 'union') {
    const acc = new Map<string, number>();
    inputs.forEach((m, i) => {
      m?.forEach((k, s) => {
        const v = weighted(i, s);
        const cur = acc.get(k);
        acc.set(k, cur === undefined ? v : aggregate(cur, v, how));
      });
    });
    for (const [k, s] of acc) out.set(k, s);
  } else if (op === 'inter') {
    if (inputs.some((m) => m === null || m.size === 0)) return out;
    const maps = inputs as ScoredInput[];
    maps[0]!.forEach((k, s0) => {
      let v = weighted(0, s0);
      for (let i = 1; i < maps.length; i++) {
        const s = maps[i]!.score(k);
        if (s === undefined) return;
        v = aggregate(v, weighted(i, s), how);
      }
      out.set(k, v);
    });
  } else {
    const first = inputs[0];
    if (first === null || first === undefined) return out;
    first.forEach((k, s) => {
      for (let i = 1; i < inputs.length; i++) if (inputs[i]?.score(k) !== undefined) return;
      out.set(k, s);
    });
  }
  return out;
}

/** ZUNION/ZINTER/ZDIFF[STORE]: argv[numkeysAt] is numkeys; `dst` is the STORE destination. */
function combine(c: ClientContext, argv: string[], op: Op, dst: string | null, cardOnly = false): void {
  const numkeysAt = dst === null ? 1 : 2;
  const n = parseInteger(argv[numkeysAt]!);
  if (n === null) return c.reply.error(R.NOT_INTEGER);
  if (n < 1) return c.reply.error(`ERR at least 1 input key is needed for '${c.spec?.fullName ?? argv[0]!.toLowerCase()}' command`);
  if (n > argv.length - numkeysAt - 1) return c.reply.error(R.SYNTAX);
  const keys = argv.slice(numkeysAt + 1, numkeysAt + 1 + n);
  const inputs: (ScoredInput | null)[] = [];
  for (const k of keys) {
    const m = readScored(c, dst === null ? c.db.lookupRead(k) : c.db.lookupWrite(k));
    if (m === undefined) return;
    inputs.push(m);
  }
  const weights = new Array<number>(n).fill(1);
  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  for (let i = numkeysAt + 1 + n; i < argv.length; i++) {
    const o = keyword(argv[i]!);
    const left = argv.length - i - 1;
    if (cardOnly) {
      if (o !== 'limit' || left < 1) return c.reply.error(R.SYNTAX);
      const l = parseInteger(argv[++i]!);
      if (l === null || l < 0) return c.reply.error("ERR LIMIT can't be negative");
      limit = l;
    } else if (op !== 'diff' && o === 'weights' && left >= n) {
      for (let j = 0; j < n; j++) {
        const w = parseDouble(argv[i + 1 + j]!);
        if (w === null) return c.reply.error('ERR weight value is not a float');
        weights[j] = w;
      }
      i += n;
    } else if (op !== 'diff' && o === 'aggregate' && left >= 1) {
      const a = keyword(argv[++i]!);
      if (a !== 'sum' && a !== 'min' && a !== 'max') return c.reply.error(R.SYNTAX);
      how = a;
    } else if (dst === null && o === 'withscores') {
      withScores = true;
    } else return c.reply.error(R.SYNTAX);
  }
  const result = computeOp(op, inputs, weights, how);
  if (cardOnly) return c.reply.integer(limit > 0 ? Math.min(limit, result.size) : result.size);
  if (dst === null) return writeSelection(c, result.list, { first: result.list.first(), n: result.size, rev: false }, withScores);
  fitListpack(c, result);
  const existing = c.db.lookupWrite(dst);
  if (existing !== undefined) c.db.remove(existing);
  if (result.size > 0) c.db.add(dst, ValueType.ZSET, result);
  if (existing !== undefined || result.size > 0) {
    c.server.keyspace.signalModified(c.db, dst);
    // ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: the event is the command's name.
    notify(c, result.size > 0 ? Notify.ZSET : Notify.GENERIC, result.size > 0 ? (c.spec?.name ?? 'zunionstore') : 'del', dst);
    c.server.dirty++;
  }
  c.reply.integer(result.size);
}

function zmpop(c: ClientContext, argv: string[]): void {
  const n = rangeOrReply(c, argv[1]!, 1n, INT64_MAX, 'numkeys should be greater than 0');
  if (n === null) return;
  const whereAt = 2 + n;
  if (whereAt >= argv.length) return c.reply.error(R.SYNTAX);
  const where = keyword(argv[whereAt]!);
  if (where !== 'min' && where !== 'max') return c.reply.error(R.SYNTAX);
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count !== -1 || !isWord(argv[j]!, 'count') || j + 1 >= argv.length) return c.reply.error(R.SYNTAX);
    count = rangeOrReply(c, argv[++j]!, 1n, INT64_MAX, 'count should be greater than 0') ?? -2;
    if (count === -2) return;
  }
  if (count === -1) count = 1;
  for (let i = 2; i < whereAt; i++) {
    const key = argv[i]!;
    const e = c.db.lookupWrite(key);
    const z = valueAs<SortedSet>(c, e, ValueType.ZSET);
    if (z === undefined) return;
    if (z === null || z.size === 0) continue;
    const popped = z.pop(where === 'max', count);
    if (z.size === 0) c.db.remove(e!);
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.ZSET, where === 'max' ? 'zpopmax' : 'zpopmin', key);
    if (z.size === 0) notify(c, Notify.GENERIC, 'del', key);
    c.server.dirty += popped.length;
    c.reply.array(2);
    c.reply.bulk(key);
    writeScored(c, popped, true, true);
    return;
  }
  c.reply.nullArray();
}

/** Redis ZRANDMEMBER_SUB_STRATEGY_MUL: below size/3 picks, draw at random until enough are distinct. */
const ZRANDMEMBER_SUB_STRATEGY_MUL = 3;

/**
 * The slots of `count` distinct random members (0 < count < size), in random order: a partial
 * shuffle of all slots (4 bytes each) when that is a large share, else random draws.
 */
function distinctSlots(z: SortedSet, count: number): ArrayLike<number> {
  if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > z.size) {
    const all = new Uint32Array(z.size);
    let n = 0;
    for (let s = 0, end = z.slotCount; s < end; s++) if (z.memberAt(s) !== undefined) all[n++] = s;
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (n - i));
      const t = all[i]!;
      all[i] = all[j]!;
      all[j] = t;
    }
    return all.subarray(0, count);
  }
  const picked = new Set<number>();
  while (picked.size < count) picked.add(z.randomSlot());
  return [...picked];
}

/** Replies with the members in `slots` (and their scores), as ZRANDMEMBER's distinct cases do. */
function writeSlots(c: ClientContext, z: SortedSet, slots: ArrayLike<number>, withScores: boolean): void {
  const r = c.reply;
  const nested = withScores && r.proto === 3;
  r.array(withScores && !nested ? slots.length * 2 : slots.length);
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (nested) r.array(2);
    r.bulk(z.memberAt(s)!);
    if (withScores) r.double(z.scoreAt(s));
  }
}

function withinHalf(countText: string): boolean {
  const n = parseInt64(countText)!;
  return n >= -HALF_LONG_MAX && n <= HALF_LONG_MAX;
}

function zrandmember(c: ClientContext, argv: string[]): void {
  let count: number | null = null;
  if (argv.length >= 3) {
    count = rangeOrReply(c, argv[2]!, -INT64_MAX, INT64_MAX);
    if (count === null) return;
    if (argv.length > 4 || (argv.length === 4 && !isWord(argv[3]!, 'withscores'))) return c.reply.error(R.SYNTAX);
    if (argv.length === 4 && !withinHalf(argv[2]!)) return c.reply.error('ERR value is out of range');
  }
  const z = valueAs<SortedSet>(c, c.db.lookupRead(argv[1]!), ValueType.ZSET);
  if (z === undefined) return;
  if (count === null) return z === null ? c.reply.nullBulk() : c.reply.bulk(z.random()!.member);
  if (z === null || count === 0) return c.reply.array(0);
  const withScores = argv.length === 4;
  if (count < 0 || count === 1) {
    const r = c.reply;
    const nested = withScores && r.proto === 3;
    return writeRandomPicks(c, argv[2]!, withScores && !nested ? 2 : 1, () => {
      const p = z.random()!;
      if (nested) r.array(2);
      r.bulk(p.member);
      if (withScores) r.double(p.score);
    });
  }
  // The whole set answers in reverse rank order, as Redis 7.0 does.
  if (count >= z.size) return writeSelection(c, z.list, { first: z.list.tail, n: z.size, rev: true }, withScores);
  writeSlots(c, z, distinctSlots(z, count), withScores);
}

/** ZSCAN: a compact set answers whole in score order with cursor 0; a skiplist set pages by slot. */
function zscan(c: ClientContext, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) return c.reply.error(INVALID_CURSOR);
  const z = valueAs<SortedSet>(c, c.db.lookupRead(argv[1]!), ValueType.ZSET);
  if (z === undefined) return;
  if (z === null) return replyEmptyScan(c);
  const opts = parseScanOptions(c, argv, 3);
  if (opts === null) return;
  let items: ScoredMember[];
  let next = 0;
  if (z.compact) {
    items = z.entries();
  } else {
    items = [];
    next = z.scan(cursor, opts.count, items);
  }
  const pattern = opts.pattern;
  if (pattern !== null) items = items.filter((p) => globMatch(pattern, p.member));
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(items.length * 2);
  for (const p of items) {
    c.reply.bulk(p.member);
    c.reply.bulk(formatDouble(p.score));
  }
}

export const ZSET_STORE_HANDLERS: HandlerTable = {
  zunion: (c, argv) => combine(c, argv, 'union', null),
  zinter: (c, argv) => combine(c, argv, 'inter', null),
  zdiff: (c, argv) => combine(c, argv, 'diff', null),
  zunionstore: (c, argv) => combine(c, argv, 'union', argv[1]!),
  zinterstore: (c, argv) => combine(c, argv, 'inter', argv[1]!),
  zdiffstore: (c, argv) => combine(c, argv, 'diff', argv[1]!),
  zintercard: (c, argv) => combine(c, argv, 'inter', null, true),
  zmpop,
  zrandmember,
  zscan,
};
