/** Typed set commands. Set algebra (SINTER, SMOVE, …) needs every key on one shard. */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { intercardArgs, type LimitOption } from '../args/hashes.js';
import { scanArgs, type ScanOptions } from '../args/keys.js';
import { HashCommands } from './hashes.js';

export abstract class SetCommands extends HashCommands {
  /** SADD: adds the members to the set (creating it); resolves how many were new. */
  sadd(key: Arg, ...members: Arg[]): Promise<number> {
    return this.run(['SADD', key, ...members], D.int);
  }

  /** SREM: removes the members; resolves how many were there. */
  srem(key: Arg, ...members: Arg[]): Promise<number> {
    return this.run(['SREM', key, ...members], D.int);
  }

  /** SMEMBERS: every member of the set ([] when the key does not exist). */
  smembers(key: Arg): Promise<string[]> {
    return this.run(['SMEMBERS', key], D.strList);
  }

  /** SMEMBERS as Buffers: every member of the set. */
  smembersBuffer(key: Arg): Promise<Buffer[]> {
    return this.runBuffers(['SMEMBERS', key], D.bufList);
  }

  /** SISMEMBER: true when `member` is in the set. */
  sismember(key: Arg, member: Arg): Promise<boolean> {
    return this.run(['SISMEMBER', key, member], D.bool);
  }

  /** SMISMEMBER: for each member in order, whether it is in the set. */
  smismember(key: Arg, members: readonly Arg[]): Promise<boolean[]> {
    return this.build(() => ['SMISMEMBER', key, ...members], D.boolList);
  }

  /** SCARD: the number of members; 0 when the key does not exist. */
  scard(key: Arg): Promise<number> {
    return this.run(['SCARD', key], D.int);
  }

  /** SPOP: removes and returns a random member; null when the key does not exist. */
  spop(key: Arg): Promise<string | null>;
  /** SPOP … count: removes and returns up to `count` random members; [] when the key does not exist. */
  spop(key: Arg, count: number): Promise<string[]>;
  spop(key: Arg, count?: number): Promise<string | null | string[]> {
    return count === undefined ? this.run(['SPOP', key], D.strOrNull) : this.run(['SPOP', key, count], D.strList);
  }

  /** SRANDMEMBER: a random member (not removed); null when the key does not exist. */
  srandmember(key: Arg): Promise<string | null>;
  /** SRANDMEMBER … count: distinct random members (negative count: may repeat), not removed. */
  srandmember(key: Arg, count: number): Promise<string[]>;
  srandmember(key: Arg, count?: number): Promise<string | null | string[]> {
    return count === undefined ? this.run(['SRANDMEMBER', key], D.strOrNull) : this.run(['SRANDMEMBER', key, count], D.strList);
  }

  /** SMOVE: moves `member` from `source` to `destination` (same shard); true when it was moved. */
  smove(source: Arg, destination: Arg, member: Arg): Promise<boolean> {
    return this.run(['SMOVE', source, destination, member], D.bool);
  }

  /** SINTER: the members in every one of the sets (all keys on one shard). */
  sinter(...keys: Arg[]): Promise<string[]> {
    return this.run(['SINTER', ...keys], D.strList);
  }

  /** SUNION: the members in any of the sets (all keys on one shard). */
  sunion(...keys: Arg[]): Promise<string[]> {
    return this.run(['SUNION', ...keys], D.strList);
  }

  /** SDIFF: the members of the first set that are in none of the others (all keys on one shard). */
  sdiff(...keys: Arg[]): Promise<string[]> {
    return this.run(['SDIFF', ...keys], D.strList);
  }

  /** SINTERSTORE: stores SINTER of `keys` at `destination` (one shard); resolves the result's size. */
  sinterstore(destination: Arg, keys: readonly Arg[]): Promise<number> {
    return this.build(() => ['SINTERSTORE', destination, ...keys], D.int);
  }

  /** SUNIONSTORE: stores SUNION of `keys` at `destination` (one shard); resolves the result's size. */
  sunionstore(destination: Arg, keys: readonly Arg[]): Promise<number> {
    return this.build(() => ['SUNIONSTORE', destination, ...keys], D.int);
  }

  /** SDIFFSTORE: stores SDIFF of `keys` at `destination` (one shard); resolves the result's size. */
  sdiffstore(destination: Arg, keys: readonly Arg[]): Promise<number> {
    return this.build(() => ['SDIFFSTORE', destination, ...keys], D.int);
  }

  /** SINTERCARD: the size of the intersection of the sets (one shard), counting at most `limit`. */
  sintercard(keys: readonly Arg[], options?: LimitOption): Promise<number> {
    return this.build(() => intercardArgs('SINTERCARD', keys, options), D.int);
  }

  /** SSCAN: one cursor step over the set; resolves the next cursor ('0' when done) and members. */
  sscan(key: Arg, cursor: string | number, options?: ScanOptions): Promise<D.ScanPage<string>> {
    return this.build(() => scanArgs('SSCAN', key, cursor, options), D.memberPage);
  }

  /** Every member of a set, walking SSCAN's cursor to the end (a member may come twice, as with SSCAN). */
  sscanIterator(key: Arg, options?: ScanOptions): AsyncGenerator<string, void, undefined> {
    return this.cursorWalk((c) => scanArgs('SSCAN', key, c, options), D.memberPage);
  }
}
