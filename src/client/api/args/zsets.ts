/**
 * Sorted-set commands: option types and argument builders (ZADD flags, ZRANGE by rank/score/lex,
 * ZUNION/ZINTER/ZDIFF with weights and aggregate, ZMPOP) and the keyed-pop decoder.
 *
 * Range bounds pass through as Redis reads them: numbers for ranks and scores (±Infinity become
 * `+inf`/`-inf`), strings for exclusive score bounds (`'(1.5'`) and lex bounds (`'[a'`, `'-'`, `'+'`).
 * With `rev`, `start` is the higher bound, as in Redis.
 */

import { InvalidArgumentError } from '../../../errors.js';
import type { Arg } from '../../transport/command.js';
import { scoredList, text, type Decoder, type ScoredMember } from '../decode.js';
import type { CountOption } from './lists.js';

/** A member and its score, as given to ZADD. */
export interface ScoredInput {
  /** The member. */
  member: Arg;
  /** Its score (±Infinity allowed, NaN refused). */
  score: number;
}

/** ZADD's members: one `{ member, score }`, a list of them, or an object of member → score. */
export type ZAddMembers = ScoredInput | readonly ScoredInput[] | Readonly<Record<string, number>>;

/** ZADD's flags (NX, XX, GT, LT, CH); `incr` is chosen by the zadd overload. */
export interface ZAddOptions {
  /** Only add new members. */
  nx?: boolean;
  /** Only update existing members. */
  xx?: boolean;
  /** Only update when the new score is greater. */
  gt?: boolean;
  /** Only update when the new score is less. */
  lt?: boolean;
  /** Count changed members, not only added ones. */
  ch?: boolean;
}

/**
 * A range bound as Redis reads it: a number (rank or score; ±Infinity as `+inf`/`-inf`), or a string such as
 * `'(1.5'` (exclusive score), `'[a'`, `'-'`, `'+'` (lex).
 */
export type Bound = number | string | Buffer;

/** ZRANGE's options (BYSCORE / BYLEX, REV, LIMIT); scores are asked for through the zrange overload. */
export interface ZRangeOptions {
  /** What start/stop mean: ranks (default), scores or lexicographic bounds. */
  by?: 'rank' | 'score' | 'lex';
  /** Highest first (start is then the higher bound). */
  rev?: boolean;
  /** Paging, with `by: 'score' | 'lex'` only. */
  limit?: {
    /** Matches to skip. */
    offset: number;
    /** Matches to return at most (negative: all the rest). */
    count: number;
  };
}

/** How ZUNION/ZINTER combine the scores of a member present in several sets (AGGREGATE). */
export type Aggregate = 'sum' | 'min' | 'max';

/** ZUNION/ZINTER (and their STORE forms) options: WEIGHTS and AGGREGATE. */
export interface ZCombineOptions {
  /** One multiplier per key. */
  weights?: readonly number[];
  /** How the scores of one member combine (AGGREGATE; Redis's default: 'sum'). */
  aggregate?: Aggregate;
}

/** Which end of a sorted set a pop takes: the lowest ('min') or highest ('max') scores. */
export type MinMax = 'min' | 'max';

/** A score as an argument: ±Infinity as Redis spells them, NaN refused. */
export function scoreArg(n: number): Arg {
  if (n === Infinity) return '+inf';
  if (n === -Infinity) return '-inf';
  if (Number.isNaN(n)) throw new InvalidArgumentError('score is NaN');
  return n;
}

function bound(b: Bound): Arg {
  return typeof b === 'number' ? scoreArg(b) : b;
}

function isScoredInput(m: ZAddMembers): m is ScoredInput {
  return !Array.isArray(m) && typeof m === 'object' && 'member' in m && 'score' in m && typeof m.score === 'number';
}

function isScoredList(m: ZAddMembers): m is readonly ScoredInput[] {
  return Array.isArray(m);
}

export function zaddArgs(key: Arg, members: ZAddMembers, o: ZAddOptions | undefined, incr: boolean): Arg[] {
  const argv: Arg[] = ['ZADD', key];
  if (o?.nx === true) argv.push('NX');
  if (o?.xx === true) argv.push('XX');
  if (o?.gt === true) argv.push('GT');
  if (o?.lt === true) argv.push('LT');
  if (o?.ch === true) argv.push('CH');
  if (incr) argv.push('INCR');
  const start = argv.length;
  if (isScoredInput(members)) argv.push(scoreArg(members.score), members.member);
  else if (isScoredList(members)) for (const m of members) argv.push(scoreArg(m.score), m.member);
  else for (const m of Object.keys(members)) argv.push(scoreArg(members[m]!), m);
  if (argv.length === start) throw new InvalidArgumentError('zadd: give at least one member');
  if (incr && argv.length !== start + 2) throw new InvalidArgumentError('zadd with incr takes exactly one member');
  return argv;
}

/** `ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT o c] [WITHSCORES]`, or ZRANGESTORE with dst. */
export function zrangeArgs(dst: Arg | null, key: Arg, start: Bound, stop: Bound, o: ZRangeOptions | undefined, withScores: boolean): Arg[] {
  const argv: Arg[] = dst === null ? ['ZRANGE', key, bound(start), bound(stop)] : ['ZRANGESTORE', dst, key, bound(start), bound(stop)];
  if (o?.by === 'score') argv.push('BYSCORE');
  else if (o?.by === 'lex') argv.push('BYLEX');
  if (o?.rev === true) argv.push('REV');
  if (o?.limit !== undefined) argv.push('LIMIT', o.limit.offset, o.limit.count);
  if (withScores) argv.push('WITHSCORES');
  return argv;
}

/** `ZCOUNT key min max`, `ZLEXCOUNT`, `ZREMRANGEBY*`: a key and two bounds. */
export function boundsArgs(name: string, key: Arg, min: Bound, max: Bound): Arg[] {
  return [name, key, bound(min), bound(max)];
}

/** ZUNION/ZINTER/ZDIFF (dst null) or their STORE forms: `[dst] numkeys key… [WEIGHTS w…] [AGGREGATE a] [WITHSCORES]`. */
export function combineArgs(name: string, dst: Arg | null, keys: readonly Arg[], o: ZCombineOptions | undefined, withScores: boolean): Arg[] {
  const argv: Arg[] = dst === null ? [name, keys.length, ...keys] : [name, dst, keys.length, ...keys];
  if (o?.weights !== undefined) {
    if (o.weights.length !== keys.length) throw new InvalidArgumentError(`${name.toLowerCase()}: give one weight per key`);
    argv.push('WEIGHTS');
    for (const w of o.weights) argv.push(scoreArg(w));
  }
  if (o?.aggregate !== undefined) argv.push('AGGREGATE', o.aggregate.toUpperCase());
  if (withScores) argv.push('WITHSCORES');
  return argv;
}

/** `ZMPOP numkeys key… MIN|MAX [COUNT n]`, or BZMPOP with its timeout first. */
export function zmpopArgs(timeout: number | null, keys: readonly Arg[], where: MinMax, o: CountOption | undefined): Arg[] {
  const argv: Arg[] = timeout === null ? ['ZMPOP'] : ['BZMPOP', timeout];
  argv.push(keys.length, ...keys, where === 'min' ? 'MIN' : 'MAX');
  if (o?.count !== undefined) argv.push('COUNT', o.count);
  return argv;
}

/** What ZMPOP/BZMPOP popped: the key they came from and the members with their scores. */
export interface PoppedMembers {
  /** The key the members were popped from. */
  key: string;
  /** The members popped, in pop order, with their scores. */
  members: ScoredMember[];
}

/** ZMPOP/BZMPOP: [key, [[member, score]…]] or null. */
export const zpopped: Decoder<PoppedMembers | null> = (v) =>
  Array.isArray(v) && v.length >= 2 ? { key: text(v[0]!), members: scoredList(v[1]!) } : null;
