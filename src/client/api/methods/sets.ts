/** Typed set commands. Set algebra (SINTER, SMOVE, …) needs every key on one shard. */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { intercardArgs, type LimitOption } from '../args/hashes.js';
import { scanArgs, type ScanOptions } from '../args/keys.js';
import { HashCommands } from './hashes.js';

export abstract class SetCommands extends HashCommands {
  sadd(key: Arg, ...members: Arg[]): Promise<number> {
    return this.run(['SADD', key, ...members], D.int);
  }

  srem(key: Arg, ...members: Arg[]): Promise<number> {
    return this.run(['SREM', key, ...members], D.int);
  }

  smembers(key: Arg): Promise<string[]> {
    return this.run(['SMEMBERS', key], D.strList);
  }

  smembersBuffer(key: Arg): Promise<Buffer[]> {
    return this.runBuffers(['SMEMBERS', key], D.bufList);
  }

  sismember(key: Arg, member: Arg): Promise<boolean> {
    return this.run(['SISMEMBER', key, member], D.bool);
  }

  smismember(key: Arg, members: readonly Arg[]): Promise<boolean[]> {
    return this.build(() => ['SMISMEMBER', key, ...members], D.boolList);
  }

  scard(key: Arg): Promise<number> {
    return this.run(['SCARD', key], D.int);
  }

  /** Removes and returns a random member; with a count, up to that many. */
  spop(key: Arg): Promise<string | null>;
  spop(key: Arg, count: number): Promise<string[]>;
  spop(key: Arg, count?: number): Promise<string | null | string[]> {
    return count === undefined ? this.run(['SPOP', key], D.strOrNull) : this.run(['SPOP', key, count], D.strList);
  }

  /** A random member; with a count, distinct members (negative: may repeat). */
  srandmember(key: Arg): Promise<string | null>;
  srandmember(key: Arg, count: number): Promise<string[]>;
  srandmember(key: Arg, count?: number): Promise<string | null | string[]> {
    return count === undefined ? this.run(['SRANDMEMBER', key], D.strOrNull) : this.run(['SRANDMEMBER', key, count], D.strList);
  }

  smove(source: Arg, destination: Arg, member: Arg): Promise<boolean> {
    return this.run(['SMOVE', source, destination, member], D.bool);
  }

  sinter(...keys: Arg[]): Promise<string[]> {
    return this.run(['SINTER', ...keys], D.strList);
  }

  sunion(...keys: Arg[]): Promise<string[]> {
    return this.run(['SUNION', ...keys], D.strList);
  }

  sdiff(...keys: Arg[]): Promise<string[]> {
    return this.run(['SDIFF', ...keys], D.strList);
  }

  sinterstore(destination: Arg, keys: readonly Arg[]): Promise<number> {
    return this.build(() => ['SINTERSTORE', destination, ...keys], D.int);
  }

  sunionstore(destination: Arg, keys: readonly Arg[]): Promise<number> {
    return this.build(() => ['SUNIONSTORE', destination, ...keys], D.int);
  }

  sdiffstore(destination: Arg, keys: readonly Arg[]): Promise<number> {
    return this.build(() => ['SDIFFSTORE', destination, ...keys], D.int);
  }

  sintercard(keys: readonly Arg[], options?: LimitOption): Promise<number> {
    return this.build(() => intercardArgs('SINTERCARD', keys, options), D.int);
  }

  sscan(key: Arg, cursor: string | number, options?: ScanOptions): Promise<D.ScanPage<string>> {
    return this.build(() => scanArgs('SSCAN', key, cursor, options), D.memberPage);
  }

  /** Every member of a set, by SSCAN. */
  sscanIterator(key: Arg, options?: ScanOptions): AsyncGenerator<string, void, undefined> {
    return this.cursorWalk((c) => scanArgs('SSCAN', key, c, options), D.memberPage);
  }
}
