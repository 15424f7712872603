/**
 * Range queries over a sorted set's skiplist (ZRANGE, ZRANGEBYSCORE, ZRANGEBYLEX, their REV forms,
 * ZRANGESTORE, ZREMRANGEBY*): where the selection starts and how many members it holds, found
 * without collecting them, so a reply is written while the skiplist is walked and a huge range
 * costs no allocation per member (Redis writes as it walks too).
 *
 * Rank and score ranges are counted through ranks (O(log N) with the skiplist's spans); a LIMIT
 * offset is skipped by rank as well. Lex ranges are counted by walking, because with unequal
 * scores (undefined in Redis) the members in range need not be contiguous: the walk stops at the
 * first member out of range, as Redis's does.
 */

import type { ClientContext } from '../dispatch/context.js';
import { NIL, SkipList, type LexRange, type ScoreRange } from './structures/skiplist.js';
import type { SortedSet } from './structures/sorted-set.js';

export interface RangeSpec {
  by: 'rank' | 'score' | 'lex';
  rev: boolean;
  withScores: boolean;
  /** LIMIT offset (score and lex ranges); a negative offset selects nothing, as in Redis. */
  offset: number;
  /** LIMIT count; negative: no limit. */
  count: number;
}

/** The selected members: `n` nodes from `first`, walking backwards when `rev`. */
export interface Selection {
  readonly first: number;
  readonly n: number;
  readonly rev: boolean;
}

const EMPTY: Selection = { first: NIL, n: 0, rev: false };

function rankSelection(z: SortedSet, startIndex: number, endIndex: number, rev: boolean): Selection {
  const len = z.size;
  let start = startIndex < 0 ? len + startIndex : startIndex;
  let end = endIndex < 0 ? len + endIndex : endIndex;
  if (start < 0) start = 0;
  if (start > end || start >= len) return EMPTY;
  if (end >= len) end = len - 1;
  return { first: z.list.byRank(rev ? len - start : start + 1), n: end - start + 1, rev };
}

function rankOf(list: SkipList, node: number): number {
  return list.rank(list.score(node), list.member(node));
}

/** Where a range query starts and how many members it selects (ranges already validated). */
export function selectRange(z: SortedSet, min: string, max: string, spec: RangeSpec, score: ScoreRange | null, lex: LexRange | null): Selection {
  if (spec.by === 'rank') return rankSelection(z, Number(min), Number(max), spec.rev);
  if (spec.offset < 0) return EMPTY;
  const list = z.list;
  const limit = spec.count < 0 ? Infinity : spec.count;
  if (spec.by === 'score') {
    const first = spec.rev ? list.lastInRange(score!) : list.firstInRange(score!);
    if (first === NIL) return EMPTY;
    const last = spec.rev ? list.firstInRange(score!) : list.lastInRange(score!);
    const a = rankOf(list, first);
    const total = Math.abs(rankOf(list, last) - a) + 1;
    if (spec.offset >= total) return EMPTY;
    return { first: list.byRank(spec.rev ? a - spec.offset : a + spec.offset), n: Math.min(total - spec.offset, limit), rev: spec.rev };
  }
  const step = (n: number): number => (spec.rev ? list.prev(n) : list.next(n));
  let first = spec.rev ? list.lastInLex(lex!) : list.firstInLex(lex!);
  for (let skip = spec.offset; first !== NIL && skip > 0; skip--) first = step(first);
  let n = 0;
  for (let node = first; node !== NIL && n < limit && SkipList.inLex(list.member(node), lex!); node = step(node)) n++;
  return { first, n, rev: spec.rev };
}

/** Calls `fn` for each selected member, in order. */
export function forEachSelected(list: SkipList, sel: Selection, fn: (member: string, score: number) => void): void {
  let node = sel.first;
  for (let i = 0; i < sel.n && node !== NIL; i++) {
    fn(list.member(node), list.score(node));
    node = sel.rev ? list.prev(node) : list.next(node);
  }
}

/** Replies with the selection: RESP2 flat (member [score] …), RESP3 [member, score] pairs with scores. */
export function writeSelection(c: ClientContext, list: SkipList, sel: Selection, withScores: boolean): void {
  const r = c.reply;
  const nested = withScores && r.proto === 3;
  r.array(withScores && !nested ? sel.n * 2 : sel.n);
  let node = sel.first;
  for (let i = 0; i < sel.n && node !== NIL; i++) {
    if (nested) r.array(2);
    r.bulk(list.member(node));
    if (withScores) r.double(list.score(node));
    node = sel.rev ? list.prev(node) : list.next(node);
  }
}
