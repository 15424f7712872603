/**
 * Redis's zskiplist (Pugh 1990, with Redis's spans): elements ordered by (score, member), members
 * compared as bytes (latin1 strings compare by char code, i.e. byte order). Every forward link
 * records how many elements it skips, so rank lookups and rank-based access are O(log N).
 * Levels are drawn with p = 1/4, at most 32, as in Redis.
 */

const MAX_LEVEL = 32;
const P = 0.25;

interface Level {
  forward: SkipNode | null;
  span: number;
}

export class SkipNode {
  readonly level: Level[];
  backward: SkipNode | null = null;
  constructor(
    public score: number,
    public member: string,
    levels: number,
  ) {
    const level = new Array<Level>(levels);
    for (let i = 0; i < levels; i++) level[i] = { forward: null, span: 0 };
    this.level = level;
  }
}

/** Scratch arrays for insert/delete: the store is single-threaded, so one set is enough. */
const UPDATE: SkipNode[] = new Array<SkipNode>(MAX_LEVEL);
const RANK: number[] = new Array<number>(MAX_LEVEL).fill(0);

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < P) level++;
  return level;
}

/** True when (s1, m1) sorts before (s2, m2). */
function less(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
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
  readonly header = new SkipNode(0, '', MAX_LEVEL);
  tail: SkipNode | null = null;
  length = 0;
  private levels = 1;

  insert(score: number, member: string): SkipNode {
    const update = UPDATE;
    const rank = RANK;
    let x = this.header;
    for (let i = this.levels - 1; i >= 0; i--) {
      rank[i] = i === this.levels - 1 ? 0 : rank[i + 1]!;
      for (let f = x.level[i]!.forward; f !== null && less(f.score, f.member, score, member); f = x.level[i]!.forward) {
        rank[i]! += x.level[i]!.span;
        x = f;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.levels) {
      for (let i = this.levels; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.level[i]!.span = this.length;
      }
      this.levels = level;
    }
    const node = new SkipNode(score, member, level);
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      node.level[i]!.forward = u.level[i]!.forward;
      u.level[i]!.forward = node;
      node.level[i]!.span = u.level[i]!.span - (rank[0]! - rank[i]!);
      u.level[i]!.span = rank[0]! - rank[i]! + 1;
    }
    for (let i = level; i < this.levels; i++) update[i]!.level[i]!.span++;
    node.backward = update[0] === this.header ? null : update[0]!;
    if (node.level[0]!.forward !== null) node.level[0]!.forward.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Removes (score, member); false when absent. */
  delete(score: number, member: string): boolean {
    const update = UPDATE;
    let x = this.header;
    for (let i = this.levels - 1; i >= 0; i--) {
      for (let f = x.level[i]!.forward; f !== null && less(f.score, f.member, score, member); f = x.level[i]!.forward) x = f;
      update[i] = x;
    }
    const node = x.level[0]!.forward;
    if (node === null || node.score !== score || node.member !== member) return false;
    for (let i = 0; i < this.levels; i++) {
      const u = update[i]!;
      if (u.level[i]!.forward === node) {
        u.level[i]!.span += node.level[i]!.span - 1;
        u.level[i]!.forward = node.level[i]!.forward;
      } else {
        u.level[i]!.span--;
      }
    }
    if (node.level[0]!.forward !== null) node.level[0]!.forward.backward = node.backward;
    else this.tail = node.backward;
    while (this.levels > 1 && this.header.level[this.levels - 1]!.forward === null) this.levels--;
    this.length--;
    return true;
  }

  /** 1-based rank of (score, member), or 0 when absent. */
  rank(score: number, member: string): number {
    let r = 0;
    let x = this.header;
    for (let i = this.levels - 1; i >= 0; i--) {
      for (let f = x.level[i]!.forward; f !== null && (less(f.score, f.member, score, member) || (f.score === score && f.member === member)); f = x.level[i]!.forward) {
        r += x.level[i]!.span;
        x = f;
      }
      if (x !== this.header && x.member === member) return r;
    }
    return 0;
  }

  /** The element at 1-based rank, or null. */
  byRank(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.header;
    for (let i = this.levels - 1; i >= 0; i--) {
      while (x.level[i]!.forward !== null && traversed + x.level[i]!.span <= rank) {
        traversed += x.level[i]!.span;
        x = x.level[i]!.forward!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** First element within the score range, or null. */
  firstInRange(r: ScoreRange): SkipNode | null {
    let x = this.header;
    for (let i = this.levels - 1; i >= 0; i--) {
      while (x.level[i]!.forward !== null && !aboveMin(x.level[i]!.forward!.score, r)) x = x.level[i]!.forward!;
    }
    const n = x.level[0]!.forward;
    return n !== null && belowMax(n.score, r) ? n : null;
  }

  /** Last element within the score range, or null. */
  lastInRange(r: ScoreRange): SkipNode | null {
    let x = this.header;
    for (let i = this.levels - 1; i >= 0; i--) {
      while (x.level[i]!.forward !== null && belowMax(x.level[i]!.forward!.score, r)) x = x.level[i]!.forward!;
    }
    return x !== this.header && aboveMin(x.score, r) ? x : null;
  }

  firstInLex(r: LexRange): SkipNode | null {
    if (r.empty) return null;
    let x = this.header;
    for (let i = this.levels - 1; i >= 0; i--) {
      while (x.level[i]!.forward !== null && !lexAboveMin(x.level[i]!.forward!.member, r)) x = x.level[i]!.forward!;
    }
    const n = x.level[0]!.forward;
    return n !== null && lexBelowMax(n.member, r) ? n : null;
  }

  lastInLex(r: LexRange): SkipNode | null {
    if (r.empty) return null;
    let x = this.header;
    for (let i = this.levels - 1; i >= 0; i--) {
      while (x.level[i]!.forward !== null && lexBelowMax(x.level[i]!.forward!.member, r)) x = x.level[i]!.forward!;
    }
    return x !== this.header && lexAboveMin(x.member, r) ? x : null;
  }

  static inScore(score: number, r: ScoreRange): boolean {
    return aboveMin(score, r) && belowMax(score, r);
  }

  static inLex(m: string, r: LexRange): boolean {
    return !r.empty && lexAboveMin(m, r) && lexBelowMax(m, r);
  }
}
