/**
 * Redis's zskiplist (Pugh 1990, with Redis's spans): elements ordered by (score, member), members
 * compared as bytes (latin1 strings compare by char code, i.e. byte order). Every forward link
 * records how many elements it skips, so rank lookups and rank-based access are O(log N).
 * Levels are drawn with p = 1/4, at most 32, as in Redis.
 *
 * Layout (struct of arrays in one arena, as Redis keeps a node and its levels in one allocation):
 * a node is a record in an ArrayBuffer seen both as Float64Array and Int32Array; the node id is the
 * record's index in float64 units, and its int32 fields start at 2 × id:
 *
 *     f64[id]        score
 *     i32[2id + 2]   member slot (see SlotMembers; -1 while the record is free)
 *     i32[2id + 3]   backward node (NIL for the first)
 *     i32[2id + 4]   level count L
 *     i32[2id + 5]   next free record of the same L (while free)
 *     i32[2id + 6 + 2l], i32[2id + 7 + 2l]   forward node and span at level l < L
 *
 * A rank walk then touches one record (one or two cache lines) per step instead of a node object,
 * its level array and a level object. The header is the record at id 0, so NIL = 0 is never a
 * forward target. Freed records go to a free list per level count and are reused as they are; the
 * arena doubles when full and never moves a live record, so node ids are stable.
 */

import type { SlotMembers } from './slot-members.js';

const MAX_LEVEL = 32;
const P = 0.25;
/** "No node". The header's id, which no link ever points to. */
export const NIL = 0;
const HEADER = 0;
const INITIAL_DOUBLES = 64;

/** Scratch for insert/delete: the store is single-threaded, so one set is enough. */
const UPDATE = new Int32Array(MAX_LEVEL);
const RANK = new Float64Array(MAX_LEVEL);

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < P) level++;
  return level;
}

export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

export interface LexRange {
  /** null = unbounded ('-' or '+'). */
  min: string | null;
  max: string | null;
  minex: boolean;
  maxex: boolean;
  /** '-' as max or '+' as min: the range is empty. */
  empty: boolean;
}

function aboveMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}
function belowMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}
function lexAboveMin(m: string, r: LexRange): boolean {
  return r.min === null || (r.minex ? m > r.min : m >= r.min);
}
function lexBelowMax(m: string, r: LexRange): boolean {
  return r.max === null || (r.maxex ? m < r.max : m <= r.max);
}

export class SkipList {
  private f64: Float64Array;
  private i32: Int32Array;
  /** First unused float64 index of the arena. */
  private top = 0;
  /** Head of the free list per level count (NIL = empty). */
  private readonly freeHead = new Int32Array(MAX_LEVEL + 1);
  private levels = 1;
  length = 0;
  tail = NIL;

  /** `members` resolves a node's member slot to its string (ties on score compare members). */
  constructor(private readonly members: SlotMembers) {
    const buf = new ArrayBuffer(INITIAL_DOUBLES * 8);
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.alloc(MAX_LEVEL);
  }

  /** Heap bytes of the arena. */
  get arenaBytes(): number {
    return this.f64.byteLength;
  }

  score(n: number): number {
    return this.f64[n]!;
  }

  slot(n: number): number {
    return this.i32[2 * n + 2]!;
  }

  member(n: number): string {
    return this.members.at(this.i32[2 * n + 2]!)!;
  }

  /** First element, or NIL. */
  first(): number {
    return this.i32[2 * HEADER + 6]!;
  }

  next(n: number): number {
    return this.i32[2 * n + 6]!;
  }

  prev(n: number): number {
    return this.i32[2 * n + 3]!;
  }

  private alloc(level: number): number {
    const free = this.freeHead[level]!;
    if (free !== NIL) {
      this.freeHead[level] = this.i32[2 * free + 5]!;
      return free;
    }
    const size = 3 + level;
    if (this.top + size > this.f64.length) this.grow(this.top + size);
    const n = this.top;
    this.top += size;
    this.i32[2 * n + 4] = level;
    return n;
  }

  private grow(need: number): void {
    let cap = this.f64.length * 2;
    while (cap < need) cap *= 2;
    const buf = new ArrayBuffer(cap * 8);
    const f64 = new Float64Array(buf);
    f64.set(this.f64.subarray(0, this.top));
    this.f64 = f64;
    this.i32 = new Int32Array(buf);
  }

  private release(n: number, level: number): void {
    this.i32[2 * n + 2] = -1;
    this.i32[2 * n + 5] = this.freeHead[level]!;
    this.freeHead[level] = n;
  }

  /** True when node f sorts before (score, member). */
  private before(f: number, score: number, member: string): boolean {
    const fs = this.f64[f]!;
    return fs < score || (fs === score && this.member(f) < member);
  }

  /** Inserts an element not yet present; returns its node. */
  insert(score: number, member: string, slot: number): number {
    const update = UPDATE;
    const rank = RANK;
    let I = this.i32;
    let x = HEADER;
    for (let l = this.levels - 1; l >= 0; l--) {
      rank[l] = l === this.levels - 1 ? 0 : rank[l + 1]!;
      for (let f = I[2 * x + 6 + 2 * l]!; f !== NIL && this.before(f, score, member); f = I[2 * x + 6 + 2 * l]!) {
        rank[l]! += I[2 * x + 7 + 2 * l]!;
        x = f;
      }
      update[l] = x;
    }
    const level = randomLevel();
    if (level > this.levels) {
      for (let l = this.levels; l < level; l++) {
        rank[l] = 0;
        update[l] = HEADER;
        I[2 * HEADER + 7 + 2 * l] = this.length;
      }
      this.levels = level;
    }
    const n = this.alloc(level);
    I = this.i32;
    this.f64[n] = score;
    const b = 2 * n;
    I[b + 2] = slot;
    for (let l = 0; l < level; l++) {
      const u = 2 * update[l]! + 6 + 2 * l;
      const covered = rank[0]! - rank[l]!;
      I[b + 6 + 2 * l] = I[u]!;
      I[u] = n;
      I[b + 7 + 2 * l] = I[u + 1]! - covered;
      I[u + 1] = covered + 1;
    }
    for (let l = level; l < this.levels; l++) I[2 * update[l]! + 7 + 2 * l]!++;
    I[b + 3] = update[0] === HEADER ? NIL : update[0]!;
    const next = I[b + 6]!;
    if (next !== NIL) I[2 * next + 3] = n;
    else this.tail = n;
    this.length++;
    return n;
  }

  /** Removes (score, member); false when absent. */
  delete(score: number, member: string): boolean {
    const update = UPDATE;
    const I = this.i32;
    let x = HEADER;
    for (let l = this.levels - 1; l >= 0; l--) {
      for (let f = I[2 * x + 6 + 2 * l]!; f !== NIL && this.before(f, score, member); f = I[2 * x + 6 + 2 * l]!) x = f;
      update[l] = x;
    }
    const n = I[2 * x + 6]!;
    if (n === NIL || this.f64[n] !== score || this.member(n) !== member) return false;
    const b = 2 * n;
    for (let l = 0; l < this.levels; l++) {
      const u = 2 * update[l]! + 6 + 2 * l;
      if (I[u] === n) {
        I[u + 1]! += I[b + 7 + 2 * l]! - 1;
        I[u] = I[b + 6 + 2 * l]!;
      } else {
        I[u + 1]!--;
      }
    }
    const next = I[b + 6]!;
    if (next !== NIL) I[2 * next + 3] = I[b + 3]!;
    else this.tail = I[b + 3]!;
    while (this.levels > 1 && I[2 * HEADER + 6 + 2 * (this.levels - 1)] === NIL) this.levels--;
    this.length--;
    this.release(n, I[b + 4]!);
    return true;
  }

  /** 1-based rank of (score, member), or 0 when absent (Redis zslGetRank). */
  rank(score: number, member: string): number {
    const I = this.i32;
    const F = this.f64;
    let r = 0;
    let x = HEADER;
    for (let l = this.levels - 1; l >= 0; l--) {
      for (let f = I[2 * x + 6 + 2 * l]!; f !== NIL; f = I[2 * x + 6 + 2 * l]!) {
        const fs = F[f]!;
        if (fs > score || (fs === score && this.member(f) > member)) break;
        r += I[2 * x + 7 + 2 * l]!;
        x = f;
      }
      if (x !== HEADER && F[x] === score && this.member(x) === member) return r;
    }
    return 0;
  }

  /** The element at 1-based rank, or NIL. */
  byRank(rank: number): number {
    if (rank < 1 || rank > this.length) return NIL;
    const I = this.i32;
    let traversed = 0;
    let x = HEADER;
    for (let l = this.levels - 1; l >= 0; l--) {
      for (let f = I[2 * x + 6 + 2 * l]!; f !== NIL && traversed + I[2 * x + 7 + 2 * l]! <= rank; f = I[2 * x + 6 + 2 * l]!) {
        traversed += I[2 * x + 7 + 2 * l]!;
        x = f;
      }
      if (traversed === rank) return x;
    }
    return NIL;
  }

  /** How many elements are within the score range (two rank walks: O(log n)). */
  countInRange(r: ScoreRange): number {
    const first = this.firstInRange(r);
    if (first === NIL) return 0;
    const last = this.lastInRange(r);
    if (last === NIL) return 0;
    return Math.max(0, this.rank(this.f64[last]!, this.member(last)) - this.rank(this.f64[first]!, this.member(first)) + 1);
  }

  /** First element within the score range, or NIL. */
  firstInRange(r: ScoreRange): number {
    const I = this.i32;
    let x = HEADER;
    for (let l = this.levels - 1; l >= 0; l--) {
      for (let f = I[2 * x + 6 + 2 * l]!; f !== NIL && !aboveMin(this.f64[f]!, r); f = I[2 * x + 6 + 2 * l]!) x = f;
    }
    const n = I[2 * x + 6]!;
    return n !== NIL && belowMax(this.f64[n]!, r) ? n : NIL;
  }

  /** Last element within the score range, or NIL. */
  lastInRange(r: ScoreRange): number {
    const I = this.i32;
    let x = HEADER;
    for (let l = this.levels - 1; l >= 0; l--) {
      for (let f = I[2 * x + 6 + 2 * l]!; f !== NIL && belowMax(this.f64[f]!, r); f = I[2 * x + 6 + 2 * l]!) x = f;
    }
    return x !== HEADER && aboveMin(this.f64[x]!, r) ? x : NIL;
  }

  firstInLex(r: LexRange): number {
    if (r.empty) return NIL;
    const I = this.i32;
    let x = HEADER;
    for (let l = this.levels - 1; l >= 0; l--) {
      for (let f = I[2 * x + 6 + 2 * l]!; f !== NIL && !lexAboveMin(this.member(f), r); f = I[2 * x + 6 + 2 * l]!) x = f;
    }
    const n = I[2 * x + 6]!;
    return n !== NIL && lexBelowMax(this.member(n), r) ? n : NIL;
  }

  lastInLex(r: LexRange): number {
    if (r.empty) return NIL;
    const I = this.i32;
    let x = HEADER;
    for (let l = this.levels - 1; l >= 0; l--) {
      for (let f = I[2 * x + 6 + 2 * l]!; f !== NIL && lexBelowMax(this.member(f), r); f = I[2 * x + 6 + 2 * l]!) x = f;
    }
    return x !== HEADER && lexAboveMin(this.member(x), r) ? x : NIL;
  }

  static inScore(score: number, r: ScoreRange): boolean {
    return aboveMin(score, r) && belowMax(score, r);
  }

  static inLex(m: string, r: LexRange): boolean {
    return !r.empty && lexAboveMin(m, r) && lexBelowMax(m, r);
  }
}
