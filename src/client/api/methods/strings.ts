/** Typed string commands (GET, SET and options, counters, ranges, MGET/MSET fan-out, LCS). */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { entryArgs, getexArgs, lcsIdxArgs, setArgs, type Entries, type GetExOptions, type LcsIdxOptions, type SetOptions } from '../args/strings.js';
import { CommandBase } from './base.js';

export abstract class StringCommands extends CommandBase {
  /** GET: the string value of a key; resolves null when the key does not exist. */
  get(key: Arg): Promise<string | null> {
    return this.run(['GET', key], D.strOrNull);
  }

  /** GET as a Buffer (binary-safe); null when the key does not exist. */
  getBuffer(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['GET', key], D.bufOrNull);
  }

  /** SET: sets the string value, with options (TTL, nx/xx, keepttl, get); resolves 'OK', null (nx/xx not met) or, with `get`, the previous value. */
  set(key: Arg, value: Arg, options?: SetOptions): Promise<string | null> {
    return options === undefined ? this.run(['SET', key, value], D.strOrNull) : this.build(() => setArgs(key, value, options), D.strOrNull);
  }

  /** SETNX: sets the key only if it does not exist; resolves true when it was set. */
  setnx(key: Arg, value: Arg): Promise<boolean> {
    return this.run(['SETNX', key, value], D.bool);
  }

  /** SETEX: sets the value with a TTL in seconds; resolves 'OK'. */
  setex(key: Arg, seconds: number, value: Arg): Promise<'OK'> {
    return this.run(['SETEX', key, seconds, value], D.status);
  }

  /** PSETEX: sets the value with a TTL in milliseconds; resolves 'OK'. */
  psetex(key: Arg, milliseconds: number, value: Arg): Promise<'OK'> {
    return this.run(['PSETEX', key, milliseconds, value], D.status);
  }

  /** GETEX: the value (null if missing), changing its TTL (or removing it, with `persist`). */
  getex(key: Arg, options?: GetExOptions): Promise<string | null> {
    return this.build(() => getexArgs(key, options), D.strOrNull);
  }

  /** GETEX as a Buffer: the value (null if missing), changing or removing its TTL per `options`. */
  getexBuffer(key: Arg, options?: GetExOptions): Promise<Buffer | null> {
    return this.build(() => getexArgs(key, options), D.bufOrNull, true);
  }

  /** GETDEL: the value, then deletes the key; null when the key did not exist. */
  getdel(key: Arg): Promise<string | null> {
    return this.run(['GETDEL', key], D.strOrNull);
  }

  /** GETDEL as a Buffer: the value (null if missing), then deletes the key. */
  getdelBuffer(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['GETDEL', key], D.bufOrNull);
  }

  /** GETSET: sets a new value and resolves the old one (null when the key did not exist). */
  getset(key: Arg, value: Arg): Promise<string | null> {
    return this.run(['GETSET', key, value], D.strOrNull);
  }

  /** MGET: values in key order, null for missing keys (split per shard, reassembled). */
  mget(keys: readonly Arg[]): Promise<(string | null)[]> {
    return this.build(() => ['MGET', ...keys], D.strOrNullList);
  }

  /** MGET as Buffers: values in key order, null for missing keys (split per shard, reassembled). */
  mgetBuffer(keys: readonly Arg[]): Promise<(Buffer | null)[]> {
    return this.build(() => ['MGET', ...keys], D.bufOrNullList, true);
  }

  /** MSET: sets several keys; resolves 'OK' (split per shard: each shard's part is atomic, the whole is not). */
  mset(entries: Entries): Promise<'OK'> {
    return this.build(() => entryArgs('MSET', entries), D.status);
  }

  /** MSETNX: sets every key only if none exists; resolves true when they were set. All or nothing, so every key must live on one shard (else CrossShardError). */
  msetnx(entries: Entries): Promise<boolean> {
    return this.build(() => entryArgs('MSETNX', entries), D.bool);
  }

  /** APPEND: appends to the string (creating it); resolves the string's new length. */
  append(key: Arg, value: Arg): Promise<number> {
    return this.run(['APPEND', key, value], D.int);
  }

  /** STRLEN: the length in bytes of the string value; 0 when the key does not exist. */
  strlen(key: Arg): Promise<number> {
    return this.run(['STRLEN', key], D.int);
  }

  /** GETRANGE: the substring between two byte offsets, both inclusive (negative counts from the end). */
  getrange(key: Arg, start: number, end: number): Promise<string> {
    return this.run(['GETRANGE', key, start, end], D.str);
  }

  /** GETRANGE as a Buffer: the bytes between two offsets, both inclusive. */
  getrangeBuffer(key: Arg, start: number, end: number): Promise<Buffer> {
    return this.runBuffers(['GETRANGE', key, start, end], D.buf);
  }

  /** SETRANGE: overwrites bytes at `offset` (zero-padding as needed); resolves the string's new length. */
  setrange(key: Arg, offset: number, value: Arg): Promise<number> {
    return this.run(['SETRANGE', key, offset, value], D.int);
  }

  /** INCR: increments the integer value by one (missing key counts as 0); resolves the new value. */
  incr(key: Arg): Promise<number> {
    return this.run(['INCR', key], D.int);
  }

  /** DECR: decrements the integer value by one (missing key counts as 0); resolves the new value. */
  decr(key: Arg): Promise<number> {
    return this.run(['DECR', key], D.int);
  }

  /** INCRBY: adds `by` to the integer value; resolves the new value. */
  incrby(key: Arg, by: number): Promise<number> {
    return this.run(['INCRBY', key, by], D.int);
  }

  /** DECRBY: subtracts `by` from the integer value; resolves the new value. */
  decrby(key: Arg, by: number): Promise<number> {
    return this.run(['DECRBY', key, by], D.int);
  }

  /** INCRBYFLOAT: adds the floating-point `by` to the value; resolves the new value as a number. */
  incrbyfloat(key: Arg, by: number): Promise<number> {
    return this.run(['INCRBYFLOAT', key, by], D.double);
  }

  /** LCS: the longest common subsequence of two strings (both keys on one shard). */
  lcs(key1: Arg, key2: Arg): Promise<string> {
    return this.run(['LCS', key1, key2], D.str);
  }

  /** LCS … LEN: the length of the longest common subsequence of two strings (both keys on one shard). */
  lcsLen(key1: Arg, key2: Arg): Promise<number> {
    return this.run(['LCS', key1, key2, 'LEN'], D.int);
  }

  /** LCS … IDX: the matching ranges of the LCS (from the end backwards, as Redis lists them) and its length. */
  lcsIdx(key1: Arg, key2: Arg, options?: LcsIdxOptions): Promise<D.LcsIdxResult> {
    return this.build(() => lcsIdxArgs(key1, key2, options), D.lcsIdx);
  }
}
