/** Typed hash commands; maps come back as plain objects on RESP2 and RESP3 alike. */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { hsetArgs, type Entries } from '../args/hashes.js';
import { scanArgs, type ScanOptions } from '../args/keys.js';
import { ListCommands } from './lists.js';

export abstract class HashCommands extends ListCommands {
  /** HSET: sets fields (object, Map or pairs), creating the hash; resolves how many fields were new. */
  hset(key: Arg, fields: Entries): Promise<number> {
    return this.build(() => hsetArgs('HSET', key, fields), D.int);
  }

  /** HSETNX: sets the field only if it does not exist; true when it was set. */
  hsetnx(key: Arg, field: Arg, value: Arg): Promise<boolean> {
    return this.run(['HSETNX', key, field, value], D.bool);
  }

  /** HGET: the field's value; null when the field or the key does not exist. */
  hget(key: Arg, field: Arg): Promise<string | null> {
    return this.run(['HGET', key, field], D.strOrNull);
  }

  /** HGET as a Buffer: the field's value, or null. */
  hgetBuffer(key: Arg, field: Arg): Promise<Buffer | null> {
    return this.runBuffers(['HGET', key, field], D.bufOrNull);
  }

  /** HMGET: the fields' values in order, null for missing ones. */
  hmget(key: Arg, fields: readonly Arg[]): Promise<(string | null)[]> {
    return this.build(() => ['HMGET', key, ...fields], D.strOrNullList);
  }

  /** HMGET as Buffers: the fields' values in order, null for missing ones. */
  hmgetBuffer(key: Arg, fields: readonly Arg[]): Promise<(Buffer | null)[]> {
    return this.build(() => ['HMGET', key, ...fields], D.bufOrNullList, true);
  }

  /** HGETALL: every field and value as a plain object; {} when the key does not exist. */
  hgetall(key: Arg): Promise<Record<string, string>> {
    return this.run(['HGETALL', key], D.strRecord);
  }

  /** HGETALL with values as Buffers (field names as UTF-8 strings); {} when the key does not exist. */
  hgetallBuffer(key: Arg): Promise<Record<string, Buffer>> {
    return this.runBuffers(['HGETALL', key], D.bufRecord);
  }

  /** HDEL: removes the fields; resolves how many existed. */
  hdel(key: Arg, ...fields: Arg[]): Promise<number> {
    return this.run(['HDEL', key, ...fields], D.int);
  }

  /** HEXISTS: true when the field exists. */
  hexists(key: Arg, field: Arg): Promise<boolean> {
    return this.run(['HEXISTS', key, field], D.bool);
  }

  /** HLEN: the number of fields; 0 when the key does not exist. */
  hlen(key: Arg): Promise<number> {
    return this.run(['HLEN', key], D.int);
  }

  /** HSTRLEN: the length in bytes of the field's value; 0 when it does not exist. */
  hstrlen(key: Arg, field: Arg): Promise<number> {
    return this.run(['HSTRLEN', key, field], D.int);
  }

  /** HKEYS: every field name. */
  hkeys(key: Arg): Promise<string[]> {
    return this.run(['HKEYS', key], D.strList);
  }

  /** HVALS: every value. */
  hvals(key: Arg): Promise<string[]> {
    return this.run(['HVALS', key], D.strList);
  }

  /** HVALS as Buffers: every value. */
  hvalsBuffer(key: Arg): Promise<Buffer[]> {
    return this.runBuffers(['HVALS', key], D.bufList);
  }

  /** HINCRBY: adds `by` to the field's integer value (missing counts as 0); resolves the new value. */
  hincrby(key: Arg, field: Arg, by: number): Promise<number> {
    return this.run(['HINCRBY', key, field, by], D.int);
  }

  /** HINCRBYFLOAT: adds the floating-point `by` to the field's value; resolves the new value as a number. */
  hincrbyfloat(key: Arg, field: Arg, by: number): Promise<number> {
    return this.run(['HINCRBYFLOAT', key, field, by], D.double);
  }

  /** HRANDFIELD: a random field; null when the key does not exist. */
  hrandfield(key: Arg): Promise<string | null>;
  /** HRANDFIELD … count: distinct random fields (negative count: may repeat); [] when the key does not exist. */
  hrandfield(key: Arg, count: number): Promise<string[]>;
  /** HRANDFIELD … count WITHVALUES: random fields with their values, as [field, value] pairs. */
  hrandfield(key: Arg, count: number, options: { withValues: true }): Promise<[string, string][]>;
  hrandfield(key: Arg, count?: number, options?: { withValues: true }): Promise<string | null | string[] | [string, string][]> {
    if (count === undefined) return this.run(['HRANDFIELD', key], D.strOrNull);
    return options?.withValues === true ? this.run(['HRANDFIELD', key, count, 'WITHVALUES'], D.strPairs) : this.run(['HRANDFIELD', key, count], D.strList);
  }

  /** HSCAN: one cursor step over the hash; resolves the next cursor ('0' when done) and [field, value] pairs. */
  hscan(key: Arg, cursor: string | number, options?: ScanOptions): Promise<D.ScanPage<[string, string]>> {
    return this.build(() => scanArgs('HSCAN', key, cursor, options), D.hashPage);
  }

  /** Every [field, value] of a hash, walking HSCAN's cursor to the end (a field may come twice, as with HSCAN). */
  hscanIterator(key: Arg, options?: ScanOptions): AsyncGenerator<[string, string], void, undefined> {
    return this.cursorWalk((c) => scanArgs('HSCAN', key, c, options), D.hashPage);
  }
}
