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
  /** DEL: removes the keys (fan-out per shard); resolves how many existed and were removed. */
  del(...keys: Arg[]): Promise<number> {
    return this.run(['DEL', ...keys], D.int);
  }

  /** UNLINK: DEL with the memory reclaimed in the background; resolves how many keys were removed. */
  unlink(...keys: Arg[]): Promise<number> {
    return this.run(['UNLINK', ...keys], D.int);
  }

  /** EXISTS: how many of the keys exist (a key given twice counts twice; fan-out per shard, summed). */
  exists(...keys: Arg[]): Promise<number> {
    return this.run(['EXISTS', ...keys], D.int);
  }

  /** TOUCH: updates the keys' last access time (fan-out per shard); resolves how many exist. */
  touch(...keys: Arg[]): Promise<number> {
    return this.run(['TOUCH', ...keys], D.int);
  }

  /** TYPE: the value's type: 'string', 'list', 'hash', 'set', 'zset', 'stream' or 'none'. */
  type(key: Arg): Promise<string> {
    return this.run(['TYPE', key], D.str);
  }

  /** EXPIRE: sets a TTL in seconds; true when it was set (false: no such key, or the condition was not met). */
  expire(key: Arg, seconds: number, options?: ExpireOptions): Promise<boolean> {
    return this.build(() => expireArgs('EXPIRE', key, seconds, options), D.bool);
  }

  /** PEXPIRE: sets a TTL in milliseconds; true when it was set (false: no such key, or the condition was not met). */
  pexpire(key: Arg, milliseconds: number, options?: ExpireOptions): Promise<boolean> {
    return this.build(() => expireArgs('PEXPIRE', key, milliseconds, options), D.bool);
  }

  /** EXPIREAT: sets the expiry as a Unix time in seconds; true when it was set (false: no such key, or the condition was not met). */
  expireat(key: Arg, unixSeconds: number, options?: ExpireOptions): Promise<boolean> {
    return this.build(() => expireArgs('EXPIREAT', key, unixSeconds, options), D.bool);
  }

  /** PEXPIREAT: sets the expiry as a Unix time in milliseconds; true when it was set (false: no such key, or the condition was not met). */
  pexpireat(key: Arg, unixMilliseconds: number, options?: ExpireOptions): Promise<boolean> {
    return this.build(() => expireArgs('PEXPIREAT', key, unixMilliseconds, options), D.bool);
  }

  /** TTL: seconds to live; -1 without TTL, -2 without key. */
  ttl(key: Arg): Promise<number> {
    return this.run(['TTL', key], D.int);
  }

  /** PTTL: milliseconds to live; -1 without TTL, -2 without key. */
  pttl(key: Arg): Promise<number> {
    return this.run(['PTTL', key], D.int);
  }

  /** EXPIRETIME: absolute Unix expiry in seconds; -1 without TTL, -2 without key. */
  expiretime(key: Arg): Promise<number> {
    return this.run(['EXPIRETIME', key], D.int);
  }

  /** PEXPIRETIME: absolute Unix expiry in milliseconds; -1 without TTL, -2 without key. */
  pexpiretime(key: Arg): Promise<number> {
    return this.run(['PEXPIRETIME', key], D.int);
  }

  /** PERSIST: removes the key's TTL; true when a TTL was removed (false: no key, or no TTL). */
  persist(key: Arg): Promise<boolean> {
    return this.run(['PERSIST', key], D.bool);
  }

  /** RENAME: renames the key, overwriting the new name; resolves 'OK'. Both keys must live on one shard (use {hash tags}), else CrossShardError. */
  rename(key: Arg, newKey: Arg): Promise<'OK'> {
    return this.run(['RENAME', key, newKey], D.status);
  }

  /** RENAMENX: renames the key only if the new name does not exist; true when renamed (both keys on one shard). */
  renamenx(key: Arg, newKey: Arg): Promise<boolean> {
    return this.run(['RENAMENX', key, newKey], D.bool);
  }

  /** COPY: copies the value to the destination (both keys on one shard); true when copied (false: no source key, or the destination exists without `replace`). */
  copy(source: Arg, destination: Arg, options?: CopyOptions): Promise<boolean> {
    return this.run(options?.replace === true ? ['COPY', source, destination, 'REPLACE'] : ['COPY', source, destination], D.bool);
  }

  /** KEYS: the keys matching a glob pattern on every shard, concatenated (O(N) per shard: prefer scanIterator). */
  keys(pattern: string): Promise<string[]> {
    return this.run(['KEYS', pattern], D.strList);
  }

  /** DBSIZE: the number of keys across every shard (summed). */
  dbsize(): Promise<number> {
    return this.run(['DBSIZE'], D.int);
  }

  /**
   * RANDOMKEY (shard after shard): a random key from a random non-empty shard, or null when every
   * shard is empty. With `keyPrefix`, only keys with the prefix: when the server's pick is another
   * client's key, a random key of the first SCAN page (MATCH prefix*) that has any.
   */
  async randomkey(): Promise<string | null> {
    const names = [...this.shardNames()];
    for (let i = names.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [names[i], names[j]] = [names[j]!, names[i]!];
    }
    for (const shard of names) {
      const k = D.strOrNull(await this.send(['RANDOMKEY'], { shard }));
      if (k !== null) return k;
      // nil: the shard is empty (SCAN ends at once) or, with keyPrefix, the pick was not ours
      // (pages of 1000 slots, so a shard full of other clients' keys costs few round trips).
      let cursor = '0';
      do {
        const page = D.keyPage(await this.send(['SCAN', cursor, 'COUNT', '1000'], { shard }));
        if (page.items.length > 0) return page.items[Math.floor(Math.random() * page.items.length)]!;
        cursor = page.cursor;
      } while (cursor !== '0');
    }
    return null;
  }

  /** SCAN: one cursor step on one shard (by name); resolves the next cursor ('0' when done) and the keys. */
  scan(shard: string, cursor: string | number, options?: KeyScanOptions): Promise<D.ScanPage<string>> {
    return this.build(() => scanArgs('SCAN', null, cursor, options), D.keyPage, false, { shard });
  }

  /** Every key (matching the options) on every shard, shard after shard, with SCAN's guarantees. */
  async *scanIterator(options?: KeyScanOptions): AsyncGenerator<string, void, undefined> {
    for (const shard of this.shardNames()) yield* this.cursorWalk((c) => scanArgs('SCAN', null, c, options), D.keyPage, shard);
  }

  /** PING: every shard; resolves 'PONG'. */
  ping(): Promise<string> {
    return this.run(['PING'], D.str);
  }
}
