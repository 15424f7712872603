/**
 * Typed sorted-set commands. Scores are numbers (RESP2 strings and RESP3 doubles alike); scored
 * replies are `{ member, score }` objects. ZRANGE covers ranks, scores and lex ranges via options.
 */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { scanArgs, type ScanOptions } from '../args/keys.js';
import type { CountOption } from '../args/lists.js';
import { boundsArgs, combineArgs, scoreArg, zaddArgs, zmpopArgs, zpopped, zrangeArgs, type Bound, type MinMax, type PoppedMembers, type ZAddMembers, type ZAddOptions, type ZCombineOptions, type ZRangeOptions } from '../args/zsets.js';
import { SetCommands } from './sets.js';

/** Options asking for scores (results are { member, score }). */
export type WithScores = { withScores: true };

export abstract class SortedSetReads extends SetCommands {
  zcard(key: Arg): Promise<number> {
    return this.run(['ZCARD', key], D.int);
  }

  zscore(key: Arg, member: Arg): Promise<number | null> {
    return this.run(['ZSCORE', key, member], D.doubleOrNull);
  }

  zmscore(key: Arg, members: readonly Arg[]): Promise<(number | null)[]> {
    return this.build(() => ['ZMSCORE', key, ...members], D.doubleOrNullList);
  }

  zrank(key: Arg, member: Arg): Promise<number | null> {
    return this.run(['ZRANK', key, member], D.intOrNull);
  }

  zrevrank(key: Arg, member: Arg): Promise<number | null> {
    return this.run(['ZREVRANK', key, member], D.intOrNull);
  }

  zcount(key: Arg, min: Bound, max: Bound): Promise<number> {
    return this.build(() => boundsArgs('ZCOUNT', key, min, max), D.int);
  }

  zlexcount(key: Arg, min: Bound, max: Bound): Promise<number> {
    return this.build(() => boundsArgs('ZLEXCOUNT', key, min, max), D.int);
  }

  /** Members by rank (default), score or lex range; `withScores` gives `{ member, score }`. */
  zrange(key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions & { withScores?: false }): Promise<string[]>;
  zrange(key: Arg, start: Bound, stop: Bound, options: ZRangeOptions & WithScores): Promise<D.ScoredMember[]>;
  zrange(key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions & { withScores?: boolean }): Promise<string[] | D.ScoredMember[]> {
    if (options?.withScores === true) return this.build(() => zrangeArgs(null, key, start, stop, options, true), D.scoredList);
    return this.build(() => zrangeArgs(null, key, start, stop, options, false), D.strList);
  }

  zrangeBuffer(key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions): Promise<Buffer[]> {
    return this.build(() => zrangeArgs(null, key, start, stop, options, false), D.bufList, true);
  }

  zrangeBufferWithScores(key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions): Promise<D.ScoredMember<Buffer>[]> {
    return this.build(() => zrangeArgs(null, key, start, stop, options, true), D.scoredBufList, true);
  }

  /** A random member; with a count, distinct members (negative: may repeat); optionally scored. */
  zrandmember(key: Arg): Promise<string | null>;
  zrandmember(key: Arg, count: number): Promise<string[]>;
  zrandmember(key: Arg, count: number, options: WithScores): Promise<D.ScoredMember[]>;
  zrandmember(key: Arg, count?: number, options?: WithScores): Promise<string | null | string[] | D.ScoredMember[]> {
    if (count === undefined) return this.run(['ZRANDMEMBER', key], D.strOrNull);
    return options?.withScores === true ? this.run(['ZRANDMEMBER', key, count, 'WITHSCORES'], D.scoredList) : this.run(['ZRANDMEMBER', key, count], D.strList);
  }

  /** Union of sorted sets on one shard. */
  zunion(keys: readonly Arg[], options?: ZCombineOptions & { withScores?: false }): Promise<string[]>;
  zunion(keys: readonly Arg[], options: ZCombineOptions & WithScores): Promise<D.ScoredMember[]>;
  zunion(keys: readonly Arg[], options?: ZCombineOptions & { withScores?: boolean }): Promise<string[] | D.ScoredMember[]> {
    return options?.withScores === true ? this.build(() => combineArgs('ZUNION', null, keys, options, true), D.scoredList) : this.build(() => combineArgs('ZUNION', null, keys, options, false), D.strList);
  }

  zinter(keys: readonly Arg[], options?: ZCombineOptions & { withScores?: false }): Promise<string[]>;
  zinter(keys: readonly Arg[], options: ZCombineOptions & WithScores): Promise<D.ScoredMember[]>;
  zinter(keys: readonly Arg[], options?: ZCombineOptions & { withScores?: boolean }): Promise<string[] | D.ScoredMember[]> {
    return options?.withScores === true ? this.build(() => combineArgs('ZINTER', null, keys, options, true), D.scoredList) : this.build(() => combineArgs('ZINTER', null, keys, options, false), D.strList);
  }

  zdiff(keys: readonly Arg[], options?: { withScores?: false }): Promise<string[]>;
  zdiff(keys: readonly Arg[], options: WithScores): Promise<D.ScoredMember[]>;
  zdiff(keys: readonly Arg[], options?: { withScores?: boolean }): Promise<string[] | D.ScoredMember[]> {
    return options?.withScores === true ? this.build(() => combineArgs('ZDIFF', null, keys, undefined, true), D.scoredList) : this.build(() => combineArgs('ZDIFF', null, keys, undefined, false), D.strList);
  }

  zintercard(keys: readonly Arg[], options?: { limit?: number }): Promise<number> {
    return this.build(() => {
      const argv: Arg[] = ['ZINTERCARD', keys.length, ...keys];
      if (options?.limit !== undefined) argv.push('LIMIT', options.limit);
      return argv;
    }, D.int);
  }

  zscan(key: Arg, cursor: string | number, options?: ScanOptions): Promise<D.ScanPage<D.ScoredMember>> {
    return this.build(() => scanArgs('ZSCAN', key, cursor, options), D.scoredPage);
  }

  /** Every `{ member, score }` of a sorted set, by ZSCAN. */
  zscanIterator(key: Arg, options?: ScanOptions): AsyncGenerator<D.ScoredMember, void, undefined> {
    return this.cursorWalk((c) => scanArgs('ZSCAN', key, c, options), D.scoredPage);
  }
}

export abstract class SortedSetCommands extends SortedSetReads {
  /** Adds or updates members; resolves how many were added (changed, with `ch`). */
  zadd(key: Arg, members: ZAddMembers, options?: ZAddOptions & { incr?: false }): Promise<number>;
  /** ZADD … INCR: one member; resolves its new score, or null when a condition blocked it. */
  zadd(key: Arg, members: ZAddMembers, options: ZAddOptions & { incr: true }): Promise<number | null>;
  zadd(key: Arg, members: ZAddMembers, options?: ZAddOptions & { incr?: boolean }): Promise<number | null> {
    return options?.incr === true ? this.build(() => zaddArgs(key, members, options, true), D.doubleOrNull) : this.build(() => zaddArgs(key, members, options, false), D.int);
  }

  zincrby(key: Arg, by: number, member: Arg): Promise<number> {
    return this.build(() => ['ZINCRBY', key, scoreArg(by), member], D.double);
  }

  zrem(key: Arg, ...members: Arg[]): Promise<number> {
    return this.run(['ZREM', key, ...members], D.int);
  }

  zremrangebyrank(key: Arg, start: number, stop: number): Promise<number> {
    return this.run(['ZREMRANGEBYRANK', key, start, stop], D.int);
  }

  zremrangebyscore(key: Arg, min: Bound, max: Bound): Promise<number> {
    return this.build(() => boundsArgs('ZREMRANGEBYSCORE', key, min, max), D.int);
  }

  zremrangebylex(key: Arg, min: Bound, max: Bound): Promise<number> {
    return this.build(() => boundsArgs('ZREMRANGEBYLEX', key, min, max), D.int);
  }

  /** Stores a ZRANGE result in `destination` (same shard); resolves its size. */
  zrangestore(destination: Arg, key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions): Promise<number> {
    return this.build(() => zrangeArgs(destination, key, start, stop, options, false), D.int);
  }

  zunionstore(destination: Arg, keys: readonly Arg[], options?: ZCombineOptions): Promise<number> {
    return this.build(() => combineArgs('ZUNIONSTORE', destination, keys, options, false), D.int);
  }

  zinterstore(destination: Arg, keys: readonly Arg[], options?: ZCombineOptions): Promise<number> {
    return this.build(() => combineArgs('ZINTERSTORE', destination, keys, options, false), D.int);
  }

  zdiffstore(destination: Arg, keys: readonly Arg[]): Promise<number> {
    return this.build(() => combineArgs('ZDIFFSTORE', destination, keys, undefined, false), D.int);
  }

  zpopmin(key: Arg): Promise<D.ScoredMember | null>;
  zpopmin(key: Arg, count: number): Promise<D.ScoredMember[]>;
  zpopmin(key: Arg, count?: number): Promise<D.ScoredMember | null | D.ScoredMember[]> {
    return count === undefined ? this.run(['ZPOPMIN', key], D.scoredOne) : this.run(['ZPOPMIN', key, count], D.scoredList);
  }

  zpopmax(key: Arg): Promise<D.ScoredMember | null>;
  zpopmax(key: Arg, count: number): Promise<D.ScoredMember[]>;
  zpopmax(key: Arg, count?: number): Promise<D.ScoredMember | null | D.ScoredMember[]> {
    return count === undefined ? this.run(['ZPOPMAX', key], D.scoredOne) : this.run(['ZPOPMAX', key, count], D.scoredList);
  }

  /** Blocking ZPOPMIN over `keys` (one shard); null after `timeoutSeconds` (0: wait forever). */
  bzpopmin(keys: readonly Arg[], timeoutSeconds: number): Promise<{ key: string; member: string; score: number } | null> {
    return this.build(() => ['BZPOPMIN', ...keys, timeoutSeconds], D.keyedScored);
  }

  bzpopmax(keys: readonly Arg[], timeoutSeconds: number): Promise<{ key: string; member: string; score: number } | null> {
    return this.build(() => ['BZPOPMAX', ...keys, timeoutSeconds], D.keyedScored);
  }

  /** Pops from the first non-empty sorted set among `keys` (one shard). */
  zmpop(keys: readonly Arg[], where: MinMax, options?: CountOption): Promise<PoppedMembers | null> {
    return this.build(() => zmpopArgs(null, keys, where, options), zpopped);
  }

  bzmpop(timeoutSeconds: number, keys: readonly Arg[], where: MinMax, options?: CountOption): Promise<PoppedMembers | null> {
    return this.build(() => zmpopArgs(timeoutSeconds, keys, where, options), zpopped);
  }
}
