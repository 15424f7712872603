/** Typed string commands (GET, SET and options, counters, ranges, MGET/MSET fan-out, LCS). */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { entryArgs, getexArgs, lcsIdxArgs, setArgs, type Entries, type GetExOptions, type LcsIdxOptions, type SetOptions } from '../args/strings.js';
import { CommandBase } from './base.js';

export abstract class StringCommands extends CommandBase {
  get(key: Arg): Promise<string | null> {
    return this.run(['GET', key], D.strOrNull);
  }

  getBuffer(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['GET', key], D.bufOrNull);
  }

  /** SET with options; resolves 'OK', null (nx/xx not met) or, with `get`, the previous value. */
  set(key: Arg, value: Arg, options?: SetOptions): Promise<string | null> {
    return options === undefined ? this.run(['SET', key, value], D.strOrNull) : this.build(() => setArgs(key, value, options), D.strOrNull);
  }

  setnx(key: Arg, value: Arg): Promise<boolean> {
    return this.run(['SETNX', key, value], D.bool);
  }

  setex(key: Arg, seconds: number, value: Arg): Promise<'OK'> {
    return this.run(['SETEX', key, seconds, value], D.status);
  }

  psetex(key: Arg, milliseconds: number, value: Arg): Promise<'OK'> {
    return this.run(['PSETEX', key, milliseconds, value], D.status);
  }

  /** GET and change (or remove, with `persist`) the TTL. */
  getex(key: Arg, options?: GetExOptions): Promise<string | null> {
    return this.build(() => getexArgs(key, options), D.strOrNull);
  }

  getexBuffer(key: Arg, options?: GetExOptions): Promise<Buffer | null> {
    return this.build(() => getexArgs(key, options), D.bufOrNull, true);
  }

  getdel(key: Arg): Promise<string | null> {
    return this.run(['GETDEL', key], D.strOrNull);
  }

  getdelBuffer(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['GETDEL', key], D.bufOrNull);
  }

  getset(key: Arg, value: Arg): Promise<string | null> {
    return this.run(['GETSET', key, value], D.strOrNull);
  }

  /** Values in key order (split per shard, reassembled). */
  mget(keys: readonly Arg[]): Promise<(string | null)[]> {
    return this.build(() => ['MGET', ...keys], D.strOrNullList);
  }

  mgetBuffer(keys: readonly Arg[]): Promise<(Buffer | null)[]> {
    return this.build(() => ['MGET', ...keys], D.bufOrNullList, true);
  }

  /** Sets several keys (split per shard: each shard's part is atomic, the whole is not). */
  mset(entries: Entries): Promise<'OK'> {
    return this.build(() => entryArgs('MSET', entries), D.status);
  }

  /** All or nothing, so every key must live on one shard (else CrossShardError). */
  msetnx(entries: Entries): Promise<boolean> {
    return this.build(() => entryArgs('MSETNX', entries), D.bool);
  }

  append(key: Arg, value: Arg): Promise<number> {
    return this.run(['APPEND', key, value], D.int);
  }

  strlen(key: Arg): Promise<number> {
    return this.run(['STRLEN', key], D.int);
  }

  getrange(key: Arg, start: number, end: number): Promise<string> {
    return this.run(['GETRANGE', key, start, end], D.str);
  }

  getrangeBuffer(key: Arg, start: number, end: number): Promise<Buffer> {
    return this.runBuffers(['GETRANGE', key, start, end], D.buf);
  }

  setrange(key: Arg, offset: number, value: Arg): Promise<number> {
    return this.run(['SETRANGE', key, offset, value], D.int);
  }

  incr(key: Arg): Promise<number> {
    return this.run(['INCR', key], D.int);
  }

  decr(key: Arg): Promise<number> {
    return this.run(['DECR', key], D.int);
  }

  incrby(key: Arg, by: number): Promise<number> {
    return this.run(['INCRBY', key, by], D.int);
  }

  decrby(key: Arg, by: number): Promise<number> {
    return this.run(['DECRBY', key, by], D.int);
  }

  incrbyfloat(key: Arg, by: number): Promise<number> {
    return this.run(['INCRBYFLOAT', key, by], D.double);
  }

  /** Longest common subsequence of two strings (both keys on one shard). */
  lcs(key1: Arg, key2: Arg): Promise<string> {
    return this.run(['LCS', key1, key2], D.str);
  }

  lcsLen(key1: Arg, key2: Arg): Promise<number> {
    return this.run(['LCS', key1, key2, 'LEN'], D.int);
  }

  /** The matching ranges of the LCS (from the end backwards, as Redis lists them) and its length. */
  lcsIdx(key1: Arg, key2: Arg, options?: LcsIdxOptions): Promise<{ matches: D.LcsMatch[]; len: number }> {
    return this.build(() => lcsIdxArgs(key1, key2, options), D.lcsIdx);
  }
}
