/**
 * Typed list commands. Blocking pops (BLPOP, BRPOP, BLMOVE, BLMPOP, BRPOPLPUSH) run on an
 * exclusive pooled connection of the owning shard, never on the shared multiplexed one; the
 * client waits `timeoutSeconds` plus the command timeout, and 0 means "block until served".
 * Multi-key forms need every key on one shard.
 */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { end, lmpopArgs, lposArgs, mpopped, mpoppedBuf, popped, type CountOption, type ListEnd, type LPosOptions, type PoppedElement, type PoppedElements } from '../args/lists.js';
import { KeyCommands } from './keys.js';

export abstract class ListCommands extends KeyCommands {
  /** LPUSH: inserts the elements at the head of the list (creating it), in argument order; resolves the new length. */
  lpush(key: Arg, ...elements: Arg[]): Promise<number> {
    return this.run(['LPUSH', key, ...elements], D.int);
  }

  /** RPUSH: appends the elements at the tail of the list (creating it); resolves the new length. */
  rpush(key: Arg, ...elements: Arg[]): Promise<number> {
    return this.run(['RPUSH', key, ...elements], D.int);
  }

  /** LPUSHX: LPUSH only if the list exists; resolves the new length (0: no list). */
  lpushx(key: Arg, ...elements: Arg[]): Promise<number> {
    return this.run(['LPUSHX', key, ...elements], D.int);
  }

  /** RPUSHX: RPUSH only if the list exists; resolves the new length (0: no list). */
  rpushx(key: Arg, ...elements: Arg[]): Promise<number> {
    return this.run(['RPUSHX', key, ...elements], D.int);
  }

  /** LPOP: removes and returns the first element; null when the list does not exist. */
  lpop(key: Arg): Promise<string | null>;
  /** LPOP … count: removes and returns up to `count` elements from the head; null when the list does not exist. */
  lpop(key: Arg, count: number): Promise<string[] | null>;
  lpop(key: Arg, count?: number): Promise<string | null | string[]> {
    return count === undefined ? this.run(['LPOP', key], D.strOrNull) : this.run(['LPOP', key, count], D.strListOrNull);
  }

  /** LPOP as a Buffer: the first element removed, or null when the list does not exist. */
  lpopBuffer(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['LPOP', key], D.bufOrNull);
  }

  /** RPOP: removes and returns the last element; null when the list does not exist. */
  rpop(key: Arg): Promise<string | null>;
  /** RPOP … count: removes and returns up to `count` elements from the tail; null when the list does not exist. */
  rpop(key: Arg, count: number): Promise<string[] | null>;
  rpop(key: Arg, count?: number): Promise<string | null | string[]> {
    return count === undefined ? this.run(['RPOP', key], D.strOrNull) : this.run(['RPOP', key, count], D.strListOrNull);
  }

  /** RPOP as a Buffer: the last element removed, or null when the list does not exist. */
  rpopBuffer(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['RPOP', key], D.bufOrNull);
  }

  /** LLEN: the length of the list; 0 when the key does not exist. */
  llen(key: Arg): Promise<number> {
    return this.run(['LLEN', key], D.int);
  }

  /** LINDEX: the element at `index` (negative counts from the tail); null when out of range. */
  lindex(key: Arg, index: number): Promise<string | null> {
    return this.run(['LINDEX', key, index], D.strOrNull);
  }

  /** LINDEX as a Buffer: the element at `index`, or null when out of range. */
  lindexBuffer(key: Arg, index: number): Promise<Buffer | null> {
    return this.runBuffers(['LINDEX', key, index], D.bufOrNull);
  }

  /** LRANGE: the elements from `start` to `stop`, both inclusive (negative counts from the tail). */
  lrange(key: Arg, start: number, stop: number): Promise<string[]> {
    return this.run(['LRANGE', key, start, stop], D.strList);
  }

  /** LRANGE as Buffers: the elements from `start` to `stop`, both inclusive. */
  lrangeBuffer(key: Arg, start: number, stop: number): Promise<Buffer[]> {
    return this.runBuffers(['LRANGE', key, start, stop], D.bufList);
  }

  /** LSET: replaces the element at `index`; resolves 'OK' (an index out of range is a ReplyError). */
  lset(key: Arg, index: number, element: Arg): Promise<'OK'> {
    return this.run(['LSET', key, index, element], D.status);
  }

  /** LREM: removes `count` occurrences of `element` (0: all; negative: from the tail); resolves how many were removed. */
  lrem(key: Arg, count: number, element: Arg): Promise<number> {
    return this.run(['LREM', key, count, element], D.int);
  }

  /** LTRIM: keeps only the elements from `start` to `stop`, both inclusive; resolves 'OK'. */
  ltrim(key: Arg, start: number, stop: number): Promise<'OK'> {
    return this.run(['LTRIM', key, start, stop], D.status);
  }

  /** LINSERT: inserts `element` before or after `pivot`; the new length, -1 when the pivot is missing, 0 when the key is. */
  linsert(key: Arg, where: 'before' | 'after', pivot: Arg, element: Arg): Promise<number> {
    return this.run(['LINSERT', key, where === 'before' ? 'BEFORE' : 'AFTER', pivot, element], D.int);
  }

  /** LPOS: the index of the first match of `element` (the `rank`-th with `rank`, searching from the tail when negative; within `maxlen`); null when none. */
  lpos(key: Arg, element: Arg, options?: LPosOptions): Promise<number | null>;
  /** LPOS … COUNT: the indexes of up to `count` matches of `element` (0: all). */
  lpos(key: Arg, element: Arg, options: LPosOptions | undefined, count: number): Promise<number[]>;
  lpos(key: Arg, element: Arg, options?: LPosOptions, count?: number): Promise<number | null | number[]> {
    return count === undefined ? this.build(() => lposArgs(key, element, options, undefined), D.intOrNull) : this.build(() => lposArgs(key, element, options, count), D.intList);
  }

  /** LMOVE: pops from one end of `source` and pushes to one end of `destination` (same shard); the element, or null when `source` is empty. */
  lmove(source: Arg, destination: Arg, from: ListEnd, to: ListEnd): Promise<string | null> {
    return this.run(['LMOVE', source, destination, end(from), end(to)], D.strOrNull);
  }

  /**
   * RPOPLPUSH: pops the last element of `source` and pushes it at the head of `destination` (same shard); the
   * element, or null when `source` is empty.
   */
  rpoplpush(source: Arg, destination: Arg): Promise<string | null> {
    return this.run(['RPOPLPUSH', source, destination], D.strOrNull);
  }

  /** LMPOP: pops up to `count` (default 1) elements from the first non-empty list among `keys` (all on one shard); `{ key, elements }` or null. */
  lmpop(keys: readonly Arg[], from: ListEnd, options?: CountOption): Promise<PoppedElements | null> {
    return this.build(() => lmpopArgs(null, keys, from, options), mpopped);
  }

  /** LMPOP as Buffers: pops up to `count` elements from the first non-empty list among `keys` (one shard); `{ key, elements }` or null. */
  lmpopBuffer(keys: readonly Arg[], from: ListEnd, options?: CountOption): Promise<PoppedElements<Buffer> | null> {
    return this.build(() => lmpopArgs(null, keys, from, options), mpoppedBuf, true);
  }

  /** BLPOP: blocking LPOP over `keys` (one shard); `{ key, element }`, or null when `timeoutSeconds` passes (0: wait forever). */
  blpop(keys: readonly Arg[], timeoutSeconds: number): Promise<PoppedElement | null> {
    return this.build(() => ['BLPOP', ...keys, timeoutSeconds], popped);
  }

  /** BRPOP: blocking RPOP over `keys` (one shard); `{ key, element }`, or null when `timeoutSeconds` passes (0: wait forever). */
  brpop(keys: readonly Arg[], timeoutSeconds: number): Promise<PoppedElement | null> {
    return this.build(() => ['BRPOP', ...keys, timeoutSeconds], popped);
  }

  /** BLMOVE: blocking LMOVE (same shard); the element moved, or null when `timeoutSeconds` passes (0: wait forever). */
  blmove(source: Arg, destination: Arg, from: ListEnd, to: ListEnd, timeoutSeconds: number): Promise<string | null> {
    return this.run(['BLMOVE', source, destination, end(from), end(to), timeoutSeconds], D.strOrNull);
  }

  /** BLMPOP: blocking LMPOP over `keys` (one shard); `{ key, elements }`, or null when `timeoutSeconds` passes (0: wait forever). */
  blmpop(timeoutSeconds: number, keys: readonly Arg[], from: ListEnd, options?: CountOption): Promise<PoppedElements | null> {
    return this.build(() => lmpopArgs(timeoutSeconds, keys, from, options), mpopped);
  }

  /** BRPOPLPUSH: blocking RPOPLPUSH (same shard); the element moved, or null when `timeoutSeconds` passes (0: wait forever). */
  brpoplpush(source: Arg, destination: Arg, timeoutSeconds: number): Promise<string | null> {
    return this.run(['BRPOPLPUSH', source, destination, timeoutSeconds], D.strOrNull);
  }
}
