/** Typed hash commands; maps come back as plain objects on RESP2 and RESP3 alike. */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { hsetArgs, type Entries } from '../args/hashes.js';
import { scanArgs, type ScanOptions } from '../args/keys.js';
import { ListCommands } from './lists.js';

export abstract class HashCommands extends ListCommands {
  /** Sets fields (object, Map or pairs); resolves how many were new. */
  hset(key: Arg, fields: Entries): Promise<number> {
    return this.build(() => hsetArgs('HSET', key, fields), D.int);
  }

  hsetnx(key: Arg, field: Arg, value: Arg): Promise<boolean> {
    return this.run(['HSETNX', key, field, value], D.bool);
  }

  hget(key: Arg, field: Arg): Promise<string | null> {
    return this.run(['HGET', key, field], D.strOrNull);
  }

  hgetBuffer(key: Arg, field: Arg): Promise<Buffer | null> {
    return this.runBuffers(['HGET', key, field], D.bufOrNull);
  }

  hmget(key: Arg, fields: readonly Arg[]): Promise<(string | null)[]> {
    return this.build(() => ['HMGET', key, ...fields], D.strOrNullList);
  }

  hmgetBuffer(key: Arg, fields: readonly Arg[]): Promise<(Buffer | null)[]> {
    return this.build(() => ['HMGET', key, ...fields], D.bufOrNullList, true);
  }

  hgetall(key: Arg): Promise<Record<string, string>> {
    return this.run(['HGETALL', key], D.strRecord);
  }

  /** Field names as UTF-8 strings, values as Buffers. */
  hgetallBuffer(key: Arg): Promise<Record<string, Buffer>> {
    return this.runBuffers(['HGETALL', key], D.bufRecord);
  }

  hdel(key: Arg, ...fields: Arg[]): Promise<number> {
    return this.run(['HDEL', key, ...fields], D.int);
  }

  hexists(key: Arg, field: Arg): Promise<boolean> {
    return this.run(['HEXISTS', key, field], D.bool);
  }

  hlen(key: Arg): Promise<number> {
    return this.run(['HLEN', key], D.int);
  }

  hstrlen(key: Arg, field: Arg): Promise<number> {
    return this.run(['HSTRLEN', key, field], D.int);
  }

  hkeys(key: Arg): Promise<string[]> {
    return this.run(['HKEYS', key], D.strList);
  }

  hvals(key: Arg): Promise<string[]> {
    return this.run(['HVALS', key], D.strList);
  }

  hvalsBuffer(key: Arg): Promise<Buffer[]> {
    return this.runBuffers(['HVALS', key], D.bufList);
  }

  hincrby(key: Arg, field: Arg, by: number): Promise<number> {
    return this.run(['HINCRBY', key, field, by], D.int);
  }

  hincrbyfloat(key: Arg, field: Arg, by: number): Promise<number> {
    return this.run(['HINCRBYFLOAT', key, field, by], D.double);
  }

  /** One random field; with a count, distinct fields (negative: may repeat); with values, pairs. */
  hrandfield(key: Arg): Promise<string | null>;
  hrandfield(key: Arg, count: number): Promise<string[]>;
  hrandfield(key: Arg, count: number, options: { withValues: true }): Promise<[string, string][]>;
  hrandfield(key: Arg, count?: number, options?: { withValues: true }): Promise<string | null | string[] | [string, string][]> {
    if (count === undefined) return this.run(['HRANDFIELD', key], D.strOrNull);
    return options?.withValues === true ? this.run(['HRANDFIELD', key, count, 'WITHVALUES'], D.strPairs) : this.run(['HRANDFIELD', key, count], D.strList);
  }

  hscan(key: Arg, cursor: string | number, options?: ScanOptions): Promise<D.ScanPage<[string, string]>> {
    return this.build(() => scanArgs('HSCAN', key, cursor, options), D.hashPage);
  }

  /** Every [field, value] of a hash, by HSCAN. */
  hscanIterator(key: Arg, options?: ScanOptions): AsyncGenerator<[string, string], void, undefined> {
    return this.cursorWalk((c) => scanArgs('HSCAN', key, c, options), D.hashPage);
  }
}
