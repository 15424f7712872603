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
export type WithScores = {
  /** Ask for scores (WITHSCORES). */
  withScores: true;
};

export abstract class SortedSetReads extends SetCommands {
  /** ZCARD: the number of members; 0 when the key does not exist. */
  zcard(key: Arg): Promise<number> {
    return this.run(['ZCARD', key], D.int);
  }

  /** ZSCORE: the member's score; null when the member or the key does not exist. */
  zscore(key: Arg, member: Arg): Promise<number | null> {
    return this.run(['ZSCORE', key, member], D.doubleOrNull);
  }

  /** ZMSCORE: the scores of the members in order, null for missing ones. */
  zmscore(key: Arg, members: readonly Arg[]): Promise<(number | null)[]> {
    return this.build(() => ['ZMSCORE', key, ...members], D.doubleOrNullList);
  }

  /** ZRANK: the member's rank by ascending score (0-based); null when it is not there. */
  zrank(key: Arg, member: Arg): Promise<number | null> {
    return this.run(['ZRANK', key, member], D.intOrNull);
  }

  /** ZREVRANK: the member's rank by descending score (0-based); null when it is not there. */
  zrevrank(key: Arg, member: Arg): Promise<number | null> {
    return this.run(['ZREVRANK', key, member], D.intOrNull);
  }

  /** ZCOUNT: how many members have a score between `min` and `max` (inclusive unless exclusive bounds are given). */
  zcount(key: Arg, min: Bound, max: Bound): Promise<number> {
    return this.build(() => boundsArgs('ZCOUNT', key, min, max), D.int);
  }

  /** ZLEXCOUNT: how many members lie between two lex bounds (members of equal score), e.g. '[a' and '(c', or '-' and '+'. */
  zlexcount(key: Arg, min: Bound, max: Bound): Promise<number> {
    return this.build(() => boundsArgs('ZLEXCOUNT', key, min, max), D.int);
  }

  /** ZRANGE: the members by rank (default), score (`by: 'score'`) or lex range (`by: 'lex'`), optionally reversed (`rev`) and paged (`limit`). */
  zrange(key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions & { withScores?: false }): Promise<string[]>;
  /** ZRANGE … WITHSCORES: the same range as `{ member, score }` objects. */
  zrange(key: Arg, start: Bound, stop: Bound, options: ZRangeOptions & WithScores): Promise<D.ScoredMember[]>;
  zrange(key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions & { withScores?: boolean }): Promise<string[] | D.ScoredMember[]> {
    if (options?.withScores === true) return this.build(() => zrangeArgs(null, key, start, stop, options, true), D.scoredList);
    return this.build(() => zrangeArgs(null, key, start, stop, options, false), D.strList);
  }

  /** ZRANGE as Buffers: the members of the range (same options as zrange, without scores). */
  zrangeBuffer(key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions): Promise<Buffer[]> {
    return this.build(() => zrangeArgs(null, key, start, stop, options, false), D.bufList, true);
  }

  /** ZRANGE … WITHSCORES with members as Buffers: `{ member, score }` objects. */
  zrangeBufferWithScores(key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions): Promise<D.ScoredMember<Buffer>[]> {
    return this.build(() => zrangeArgs(null, key, start, stop, options, true), D.scoredBufList, true);
  }

  /** ZRANDMEMBER: a random member; null when the key does not exist. */
  zrandmember(key: Arg): Promise<string | null>;
  /** ZRANDMEMBER … count: distinct random members (negative count: may repeat); [] when the key does not exist. */
  zrandmember(key: Arg, count: number): Promise<string[]>;
  /** ZRANDMEMBER … count WITHSCORES: random members as `{ member, score }` objects. */
  zrandmember(key: Arg, count: number, options: WithScores): Promise<D.ScoredMember[]>;
  zrandmember(key: Arg, count?: number, options?: WithScores): Promise<string | null | string[] | D.ScoredMember[]> {
    if (count === undefined) return this.run(['ZRANDMEMBER', key], D.strOrNull);
    return options?.withScores === true ? this.run(['ZRANDMEMBER', key, count, 'WITHSCORES'], D.scoredList) : this.run(['ZRANDMEMBER', key, count], D.strList);
  }

  /** ZUNION: the members of any of the sorted sets (one shard), with `weights` and `aggregate`. */
  zunion(keys: readonly Arg[], options?: ZCombineOptions & { withScores?: false }): Promise<string[]>;
  /** ZUNION … WITHSCORES: the union as `{ member, score }` objects, scores combined by `aggregate` (sum by default) and `weights`. */
  zunion(keys: readonly Arg[], options: ZCombineOptions & WithScores): Promise<D.ScoredMember[]>;
  zunion(keys: readonly Arg[], options?: ZCombineOptions & { withScores?: boolean }): Promise<string[] | D.ScoredMember[]> {
    return options?.withScores === true ? this.build(() => combineArgs('ZUNION', null, keys, options, true), D.scoredList) : this.build(() => combineArgs('ZUNION', null, keys, options, false), D.strList);
  }

  /** ZINTER: the members in every one of the sorted sets (one shard), with `weights` and `aggregate`. */
  zinter(keys: readonly Arg[], options?: ZCombineOptions & { withScores?: false }): Promise<string[]>;
  /** ZINTER … WITHSCORES: the intersection as `{ member, score }` objects, scores combined by `aggregate` (sum by default) and `weights`. */
  zinter(keys: readonly Arg[], options: ZCombineOptions & WithScores): Promise<D.ScoredMember[]>;
  zinter(keys: readonly Arg[], options?: ZCombineOptions & { withScores?: boolean }): Promise<string[] | D.ScoredMember[]> {
    return options?.withScores === true ? this.build(() => combineArgs('ZINTER', null, keys, options, true), D.scoredList) : this.build(() => combineArgs('ZINTER', null, keys, options, false), D.strList);
  }

  /** ZDIFF: the members of the first sorted set that are in none of the others (one shard). */
  zdiff(keys: readonly Arg[], options?: { withScores?: false }): Promise<string[]>;
  /** ZDIFF … WITHSCORES: that difference as `{ member, score }` objects. */
  zdiff(keys: readonly Arg[], options: WithScores): Promise<D.ScoredMember[]>;
  zdiff(keys: readonly Arg[], options?: { withScores?: boolean }): Promise<string[] | D.ScoredMember[]> {
    return options?.withScores === true ? this.build(() => combineArgs('ZDIFF', null, keys, undefined, true), D.scoredList) : this.build(() => combineArgs('ZDIFF', null, keys, undefined, false), D.strList);
  }

  /** ZINTERCARD: the size of the intersection of the sorted sets (one shard), counting at most `limit`. */
  zintercard(keys: readonly Arg[], options?: { limit?: number }): Promise<number> {
    return this.build(() => {
      const argv: Arg[] = ['ZINTERCARD', keys.length, ...keys];
      if (options?.limit !== undefined) argv.push('LIMIT', options.limit);
      return argv;
    }, D.int);
  }

  /** ZSCAN: one cursor step over the sorted set; resolves the next cursor ('0' when done) and `{ member, score }` objects. */
  zscan(key: Arg, cursor: string | number, options?: ScanOptions): Promise<D.ScanPage<D.ScoredMember>> {
    return this.build(() => scanArgs('ZSCAN', key, cursor, options), D.scoredPage);
  }

  /** Every `{ member, score }` of a sorted set, walking ZSCAN's cursor to the end (a member may come twice, as with ZSCAN). */
  zscanIterator(key: Arg, options?: ScanOptions): AsyncGenerator<D.ScoredMember, void, undefined> {
    return this.cursorWalk((c) => scanArgs('ZSCAN', key, c, options), D.scoredPage);
  }
}

export abstract class SortedSetCommands extends SortedSetReads {
  /** ZADD: adds or updates members with scores; resolves how many were added (with `ch`: changed). */
  zadd(key: Arg, members: ZAddMembers, options?: ZAddOptions & { incr?: false }): Promise<number>;
  /** ZADD … INCR: increments one member's score by the score given; resolves its new score, or null when a condition (nx/xx/gt/lt) blocked it. */
  zadd(key: Arg, members: ZAddMembers, options: ZAddOptions & { incr: true }): Promise<number | null>;
  zadd(key: Arg, members: ZAddMembers, options?: ZAddOptions & { incr?: boolean }): Promise<number | null> {
    return options?.incr === true ? this.build(() => zaddArgs(key, members, options, true), D.doubleOrNull) : this.build(() => zaddArgs(key, members, options, false), D.int);
  }

  /** ZINCRBY: adds `by` to the member's score (adding the member with score `by` if absent); resolves the new score. */
  zincrby(key: Arg, by: number, member: Arg): Promise<number> {
    return this.build(() => ['ZINCRBY', key, scoreArg(by), member], D.double);
  }

  /** ZREM: removes the members; resolves how many were there. */
  zrem(key: Arg, ...members: Arg[]): Promise<number> {
    return this.run(['ZREM', key, ...members], D.int);
  }

  /** ZREMRANGEBYRANK: removes the members with rank between `start` and `stop`, both inclusive; resolves how many. */
  zremrangebyrank(key: Arg, start: number, stop: number): Promise<number> {
    return this.run(['ZREMRANGEBYRANK', key, start, stop], D.int);
  }

  /** ZREMRANGEBYSCORE: removes the members with score between `min` and `max`; resolves how many. */
  zremrangebyscore(key: Arg, min: Bound, max: Bound): Promise<number> {
    return this.build(() => boundsArgs('ZREMRANGEBYSCORE', key, min, max), D.int);
  }

  /** ZREMRANGEBYLEX: removes the members between two lex bounds; resolves how many. */
  zremrangebylex(key: Arg, min: Bound, max: Bound): Promise<number> {
    return this.build(() => boundsArgs('ZREMRANGEBYLEX', key, min, max), D.int);
  }

  /** ZRANGESTORE: stores a ZRANGE result in `destination` (same shard); resolves its size. */
  zrangestore(destination: Arg, key: Arg, start: Bound, stop: Bound, options?: ZRangeOptions): Promise<number> {
    return this.build(() => zrangeArgs(destination, key, start, stop, options, false), D.int);
  }

  /** ZUNIONSTORE: stores ZUNION of `keys` at `destination` (one shard); resolves the result's size. */
  zunionstore(destination: Arg, keys: readonly Arg[], options?: ZCombineOptions): Promise<number> {
    return this.build(() => combineArgs('ZUNIONSTORE', destination, keys, options, false), D.int);
  }

  /** ZINTERSTORE: stores ZINTER of `keys` at `destination` (one shard); resolves the result's size. */
  zinterstore(destination: Arg, keys: readonly Arg[], options?: ZCombineOptions): Promise<number> {
    return this.build(() => combineArgs('ZINTERSTORE', destination, keys, options, false), D.int);
  }

  /** ZDIFFSTORE: stores ZDIFF of `keys` at `destination` (one shard); resolves the result's size. */
  zdiffstore(destination: Arg, keys: readonly Arg[]): Promise<number> {
    return this.build(() => combineArgs('ZDIFFSTORE', destination, keys, undefined, false), D.int);
  }

  /** ZPOPMIN: removes and returns the member with the lowest score; null when the key does not exist. */
  zpopmin(key: Arg): Promise<D.ScoredMember | null>;
  /** ZPOPMIN … count: removes and returns up to `count` members, lowest scores first. */
  zpopmin(key: Arg, count: number): Promise<D.ScoredMember[]>;
  zpopmin(key: Arg, count?: number): Promise<D.ScoredMember | null | D.ScoredMember[]> {
    return count === undefined ? this.run(['ZPOPMIN', key], D.scoredOne) : this.run(['ZPOPMIN', key, count], D.scoredList);
  }

  /** ZPOPMAX: removes and returns the member with the highest score; null when the key does not exist. */
  zpopmax(key: Arg): Promise<D.ScoredMember | null>;
  /** ZPOPMAX … count: removes and returns up to `count` members, highest scores first. */
  zpopmax(key: Arg, count: number): Promise<D.ScoredMember[]>;
  zpopmax(key: Arg, count?: number): Promise<D.ScoredMember | null | D.ScoredMember[]> {
    return count === undefined ? this.run(['ZPOPMAX', key], D.scoredOne) : this.run(['ZPOPMAX', key, count], D.scoredList);
  }

  /** BZPOPMIN: blocking ZPOPMIN over `keys` (one shard); `{ key, member, score }`, or null after `timeoutSeconds` (0: wait forever). */
  bzpopmin(keys: readonly Arg[], timeoutSeconds: number): Promise<D.KeyedScoredMember | null> {
    return this.build(() => ['BZPOPMIN', ...keys, timeoutSeconds], D.keyedScored);
  }

  /** BZPOPMAX: blocking ZPOPMAX over `keys` (one shard); `{ key, member, score }`, or null after `timeoutSeconds` (0: wait forever). */
  bzpopmax(keys: readonly Arg[], timeoutSeconds: number): Promise<D.KeyedScoredMember | null> {
    return this.build(() => ['BZPOPMAX', ...keys, timeoutSeconds], D.keyedScored);
  }

  /** ZMPOP: pops up to `count` (default 1) lowest or highest members from the first non-empty sorted set among `keys` (one shard); `{ key, members }` or null. */
  zmpop(keys: readonly Arg[], where: MinMax, options?: CountOption): Promise<PoppedMembers | null> {
    return this.build(() => zmpopArgs(null, keys, where, options), zpopped);
  }

  /** BZMPOP: blocking ZMPOP over `keys` (one shard); `{ key, members }`, or null after `timeoutSeconds` (0: wait forever). */
  bzmpop(timeoutSeconds: number, keys: readonly Arg[], where: MinMax, options?: CountOption): Promise<PoppedMembers | null> {
    return this.build(() => zmpopArgs(timeoutSeconds, keys, where, options), zpopped);
  }
}
