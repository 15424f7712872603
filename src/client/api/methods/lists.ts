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
  lpush(key: Arg, ...elements: Arg[]): Promise<number> {
    return this.run(['LPUSH', key, ...elements], D.int);
  }

  rpush(key: Arg, ...elements: Arg[]): Promise<number> {
    return this.run(['RPUSH', key, ...elements], D.int);
  }

  /** LPUSH only if the list exists. */
  lpushx(key: Arg, ...elements: Arg[]): Promise<number> {
    return this.run(['LPUSHX', key, ...elements], D.int);
  }

  rpushx(key: Arg, ...elements: Arg[]): Promise<number> {
    return this.run(['RPUSHX', key, ...elements], D.int);
  }

  lpop(key: Arg): Promise<string | null>;
  lpop(key: Arg, count: number): Promise<string[] | null>;
  lpop(key: Arg, count?: number): Promise<string | null | string[]> {
    return count === undefined ? this.run(['LPOP', key], D.strOrNull) : this.run(['LPOP', key, count], D.strListOrNull);
  }

  lpopBuffer(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['LPOP', key], D.bufOrNull);
  }

  rpop(key: Arg): Promise<string | null>;
  rpop(key: Arg, count: number): Promise<string[] | null>;
  rpop(key: Arg, count?: number): Promise<string | null | string[]> {
    return count === undefined ? this.run(['RPOP', key], D.strOrNull) : this.run(['RPOP', key, count], D.strListOrNull);
  }

  rpopBuffer(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['RPOP', key], D.bufOrNull);
  }

  llen(key: Arg): Promise<number> {
    return this.run(['LLEN', key], D.int);
  }

  lindex(key: Arg, index: number): Promise<string | null> {
    return this.run(['LINDEX', key, index], D.strOrNull);
  }

  lindexBuffer(key: Arg, index: number): Promise<Buffer | null> {
    return this.runBuffers(['LINDEX', key, index], D.bufOrNull);
  }

  lrange(key: Arg, start: number, stop: number): Promise<string[]> {
    return this.run(['LRANGE', key, start, stop], D.strList);
  }

  lrangeBuffer(key: Arg, start: number, stop: number): Promise<Buffer[]> {
    return this.runBuffers(['LRANGE', key, start, stop], D.bufList);
  }

  lset(key: Arg, index: number, element: Arg): Promise<'OK'> {
    return this.run(['LSET', key, index, element], D.status);
  }

  /** Removes `count` occurrences (0: all; negative: from the tail). */
  lrem(key: Arg, count: number, element: Arg): Promise<number> {
    return this.run(['LREM', key, count, element], D.int);
  }

  ltrim(key: Arg, start: number, stop: number): Promise<'OK'> {
    return this.run(['LTRIM', key, start, stop], D.status);
  }

  /** New length, -1 when the pivot is missing, 0 when the key is. */
  linsert(key: Arg, where: 'before' | 'after', pivot: Arg, element: Arg): Promise<number> {
    return this.run(['LINSERT', key, where === 'before' ? 'BEFORE' : 'AFTER', pivot, element], D.int);
  }

  lpos(key: Arg, element: Arg, options?: LPosOptions): Promise<number | null>;
  lpos(key: Arg, element: Arg, options: LPosOptions | undefined, count: number): Promise<number[]>;
  lpos(key: Arg, element: Arg, options?: LPosOptions, count?: number): Promise<number | null | number[]> {
    return count === undefined ? this.build(() => lposArgs(key, element, options, undefined), D.intOrNull) : this.build(() => lposArgs(key, element, options, count), D.intList);
  }

  /** Pops from one end of `source`, pushes to one end of `destination` (same shard). */
  lmove(source: Arg, destination: Arg, from: ListEnd, to: ListEnd): Promise<string | null> {
    return this.run(['LMOVE', source, destination, end(from), end(to)], D.strOrNull);
  }

  rpoplpush(source: Arg, destination: Arg): Promise<string | null> {
    return this.run(['RPOPLPUSH', source, destination], D.strOrNull);
  }

  /** Pops from the first non-empty list among `keys` (all on one shard). */
  lmpop(keys: readonly Arg[], from: ListEnd, options?: CountOption): Promise<PoppedElements | null> {
    return this.build(() => lmpopArgs(null, keys, from, options), mpopped);
  }

  lmpopBuffer(keys: readonly Arg[], from: ListEnd, options?: CountOption): Promise<PoppedElements<Buffer> | null> {
    return this.build(() => lmpopArgs(null, keys, from, options), mpoppedBuf, true);
  }

  /** Blocking LPOP over `keys` (one shard); null when `timeoutSeconds` passes (0: wait forever). */
  blpop(keys: readonly Arg[], timeoutSeconds: number): Promise<PoppedElement | null> {
    return this.build(() => ['BLPOP', ...keys, timeoutSeconds], popped);
  }

  brpop(keys: readonly Arg[], timeoutSeconds: number): Promise<PoppedElement | null> {
    return this.build(() => ['BRPOP', ...keys, timeoutSeconds], popped);
  }

  blmove(source: Arg, destination: Arg, from: ListEnd, to: ListEnd, timeoutSeconds: number): Promise<string | null> {
    return this.run(['BLMOVE', source, destination, end(from), end(to), timeoutSeconds], D.strOrNull);
  }

  blmpop(timeoutSeconds: number, keys: readonly Arg[], from: ListEnd, options?: CountOption): Promise<PoppedElements | null> {
    return this.build(() => lmpopArgs(timeoutSeconds, keys, from, options), mpopped);
  }

  brpoplpush(source: Arg, destination: Arg, timeoutSeconds: number): Promise<string | null> {
    return this.run(['BRPOPLPUSH', source, destination, timeoutSeconds], D.strOrNull);
  }
}
