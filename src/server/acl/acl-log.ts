/**
 * The ACL security log (Redis ACLLog): denied commands, keys, channels and failed AUTHs, newest
 * first, at most `acllog-max-len` entries. A denial like one of the 10 newest entries (same reason,
 * context, object and user, within 60 s) bumps that entry's count and moves it to the front
 * instead of adding one (Redis addACLLogEntry).
 */

import type { ReplyWriter } from '../../protocol/reply-writer.js';
import { Acl } from './check.js';

export type AclLogContext = 'toplevel' | 'multi' | 'lua';

const GROUPING_MS = 60_000;
/** How many recent entries a new denial is compared with. */
const SCAN = 10;

const REASON: Readonly<Record<number, string>> = {
  [Acl.DENIED_CMD]: 'command',
  [Acl.DENIED_KEY]: 'key',
  [Acl.DENIED_CHANNEL]: 'channel',
  [Acl.DENIED_AUTH]: 'auth',
};

interface Entry {
  count: number;
  readonly reason: number;
  readonly context: AclLogContext;
  readonly object: string;
  readonly username: string;
  /** When it last happened (ms since the epoch). */
  ctime: number;
  /** CLIENT LIST line of the client it last happened to. */
  clientInfo: string;
}

export class AclLog {
  private entries: Entry[] = [];
  maxLen = 128;

  get length(): number {
    return this.entries.length;
  }

  add(reason: number, context: AclLogContext, object: string, username: string, clientInfo: string, now = Date.now()): void {
    const scan = Math.min(SCAN, this.entries.length);
    for (let i = 0; i < scan; i++) {
      const e = this.entries[i]!;
      if (e.reason !== reason || e.context !== context || e.object !== object || e.username !== username) continue;
      if (Math.abs(e.ctime - now) > GROUPING_MS) continue;
      e.count++;
      e.ctime = now;
      e.clientInfo = clientInfo;
      this.entries.splice(i, 1);
      this.entries.unshift(e);
      return;
    }
    this.entries.unshift({ count: 1, reason, context, object, username, ctime: now, clientInfo });
    this.trim();
  }

  /** Drops the oldest entries past `maxLen` (also when the limit is lowered). */
  trim(): void {
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }

  reset(): void {
    this.entries = [];
  }

  /** ACL LOG [count]: the newest `count` entries, each a map of Redis 7.0's seven fields. */
  reply(r: ReplyWriter, count: number, now = Date.now()): void {
    const n = Math.min(Math.max(count, 0), this.entries.length);
    r.array(n);
    for (let i = 0; i < n; i++) {
      const e = this.entries[i]!;
      r.map(7);
      r.bulk('count');
      r.integer(e.count);
      r.bulk('reason');
      r.bulk(REASON[e.reason] ?? 'unknown');
      r.bulk('context');
      r.bulk(e.context);
      r.bulk('object');
      r.bulk(e.object);
      r.bulk('username');
      r.bulk(e.username);
      r.bulk('age-seconds');
      r.double((now - e.ctime) / 1000);
      r.bulk('client-info');
      r.bulk(e.clientInfo);
    }
  }
}
