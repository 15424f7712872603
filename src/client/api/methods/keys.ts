/**
 * Typed generic key commands: DEL/UNLINK/EXISTS/TOUCH (fan out per shard, counts summed), TTLs
 * with Redis 7 conditions, RENAME/COPY (both keys on one shard), and whole-ring walks: SCAN as an
 * async iterator over every shard, KEYS and DBSIZE over every shard, RANDOMKEY from a random one.
 */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { expireArgs, scanArgs, type CopyOptions, type ExpireOptions, type KeyScanOptions } from '../args/keys.js';
import { StringCommands } from './strings.js';

export abstract class KeyCommands extends StringCommands {
  del(...keys: Arg[]): Promise<number> {
    return this.run(['DEL', ...keys], D.int);
  }

  /** DEL with the memory reclaimed in the background. */
  unlink(...keys: Arg[]): Promise<number> {
    return this.run(['UNLINK', ...keys], D.int);
  }

  /** How many of the keys exist (a key given twice counts twice). */
  exists(...keys: Arg[]): Promise<number> {
    return this.run(['EXISTS', ...keys], D.int);
  }

  touch(...keys: Arg[]): Promise<number> {
    return this.run(['TOUCH', ...keys], D.int);
  }

  /** 'string', 'list', 'hash', 'set', 'zset' or 'none'. */
  type(key: Arg): Promise<string> {
    return this.run(['TYPE', key], D.str);
  }

  /** True when the TTL was set (false: no such key, or the condition was not met). */
  expire(key: Arg, seconds: number, options?: ExpireOptions): Promise<boolean> {
    return this.build(() => expireArgs('EXPIRE', key, seconds, options), D.bool);
  }

  pexpire(key: Arg, milliseconds: number, options?: ExpireOptions): Promise<boolean> {
    return this.build(() => expireArgs('PEXPIRE', key, milliseconds, options), D.bool);
  }

  expireat(key: Arg, unixSeconds: number, options?: ExpireOptions): Promise<boolean> {
    return this.build(() => expireArgs('EXPIREAT', key, unixSeconds, options), D.bool);
  }

  pexpireat(key: Arg, unixMilliseconds: number, options?: ExpireOptions): Promise<boolean> {
    return this.build(() => expireArgs('PEXPIREAT', key, unixMilliseconds, options), D.bool);
  }

  /** Seconds to live; -1 without TTL, -2 without key. */
  ttl(key: Arg): Promise<number> {
    return this.run(['TTL', key], D.int);
  }

  pttl(key: Arg): Promise<number> {
    return this.run(['PTTL', key], D.int);
  }

  /** Absolute Unix expiry in seconds; -1 without TTL, -2 without key. */
  expiretime(key: Arg): Promise<number> {
    return this.run(['EXPIRETIME', key], D.int);
  }

  pexpiretime(key: Arg): Promise<number> {
    return this.run(['PEXPIRETIME', key], D.int);
  }

  persist(key: Arg): Promise<boolean> {
    return this.run(['PERSIST', key], D.bool);
  }

  /** Both keys must live on one shard (use {hash tags}), else CrossShardError. */
  rename(key: Arg, newKey: Arg): Promise<'OK'> {
    return this.run(['RENAME', key, newKey], D.status);
  }

  renamenx(key: Arg, newKey: Arg): Promise<boolean> {
    return this.run(['RENAMENX', key, newKey], D.bool);
  }

  /** Both keys on one shard. True when copied. */
  copy(source: Arg, destination: Arg, options?: CopyOptions): Promise<boolean> {
    return this.run(options?.replace === true ? ['COPY', source, destination, 'REPLACE'] : ['COPY', source, destination], D.bool);
  }

  /** Keys matching a pattern on every shard (O(N) per shard: prefer scanIterator). */
  keys(pattern: string): Promise<string[]> {
    return this.run(['KEYS', pattern], D.strList);
  }

  /** Keys across every shard (DBSIZE summed). */
  dbsize(): Promise<number> {
    return this.run(['DBSIZE'], D.int);
  }

  /** A random key from a random non-empty shard, or null when every shard is empty. */
  async randomkey(): Promise<string | null> {
    const names = [...this.shardNames()];
    for (let i = names.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [names[i], names[j]] = [names[j]!, names[i]!];
    }
    for (const shard of names) {
      const k = D.strOrNull(await this.send(['RANDOMKEY'], { shard }));
      if (k !== null) return k;
    }
    return null;
  }

  /** One SCAN call on one shard (by name). */
  scan(shard: string, cursor: string | number, options?: KeyScanOptions): Promise<D.ScanPage<string>> {
    return this.build(() => scanArgs('SCAN', null, cursor, options), D.keyPage, false, { shard });
  }

  /** Every key (matching the options) on every shard, shard after shard, with SCAN's guarantees. */
  async *scanIterator(options?: KeyScanOptions): AsyncGenerator<string, void, undefined> {
    for (const shard of this.shardNames()) yield* this.cursorWalk((c) => scanArgs('SCAN', null, c, options), D.keyPage, shard);
  }

  /** PING every shard. */
  ping(): Promise<string> {
    return this.run(['PING'], D.str);
  }
}
