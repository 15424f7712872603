/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis multi.c).
 *
 * Commands after MULTI are queued by the dispatcher's `queueInMulti` hook (+QUEUED); a command
 * rejected at queue time (unknown, wrong arity, NOAUTH, OOM…) marks the transaction so EXEC
 * answers EXECABORT. WATCH is broken by any change of a watched key: commands, expiry (also a key
 * that is logically expired at EXEC time), eviction, FLUSHDB/FLUSHALL and SWAPDB of its database.
 * Queued commands run inside ClientFlag.IN_EXEC, so blocking commands do not block.
 */

import type { CommandSpec } from '../../commands/spec.js';
import { ClientFlag, ExtKey, getExt, setExt, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import type { Db } from '../keyspace/db.js';

interface MultiState {
  queue: { spec: CommandSpec; argv: string[] }[];
}

interface WatchState {
  /**
   * Watched keys by database, each with Redis 7.0's `expired` flag: the key was already logically
   * expired when WATCHed, so its deletion (lazy, active or by a flush) is no change.
   */
  keys: Map<Db, Map<string, boolean>>;
}

const MULTI = new ExtKey<MultiState>('multi');
const WATCH = new ExtKey<WatchState>('watch');
/** Server-wide: database → key → watching clients. */
const WATCHERS = new ExtKey<Map<Db, Map<string, Set<ClientContext>>>>('watch.index');

function index(c: ClientContext): Map<Db, Map<string, Set<ClientContext>>> {
  let m = getExt(c.server.ext, WATCHERS);
  if (m === undefined) {
    m = new Map();
    setExt(c.server.ext, WATCHERS, m);
  }
  return m;
}

function unwatchAll(c: ClientContext): void {
  const w = getExt(c.ext, WATCH);
  if (w === undefined) return;
  const idx = index(c);
  for (const [db, keys] of w.keys) {
    const byKey = idx.get(db);
    for (const k of keys.keys()) {
      const set = byKey?.get(k);
      set?.delete(c);
      if (set !== undefined && set.size === 0) byKey!.delete(k);
    }
  }
  setExt(c.ext, WATCH, undefined);
  c.flags &= ~ClientFlag.DIRTY_CAS;
}

function discard(c: ClientContext): void {
  setExt(c.ext, MULTI, undefined);
  c.ext.delete('multi.queued');
  c.flags &= ~(ClientFlag.MULTI | ClientFlag.DIRTY_EXEC);
  unwatchAll(c);
}

function isLogicallyExpired(db: Db, key: string, now: number): boolean {
  const e = db.dict.get(key);
  return e !== undefined && e.expireAt !== -1 && e.expireAt <= now;
}

/**
 * True when a watched key that was live at WATCH time is logically expired now (Redis 7.0
 * isWatchedKeyExpired counts that as a change; a key already expired when watched does not).
 */
function watchedKeyExpired(c: ClientContext): boolean {
  const w = getExt(c.ext, WATCH);
  if (w === undefined) return false;
  const now = c.server.keyspace.now;
  for (const [db, keys] of w.keys) {
    for (const [k, expiredAtWatch] of keys) if (!expiredAtWatch && isLogicallyExpired(db, k, now)) return true;
  }
  return false;
}

/**
 * One client's watch of `key` in `db` meets a change (Redis touchWatchedKey): a key that was
 * already expired when watched and is now gone has not logically changed; anything else dirties.
 */
function touchClient(c: ClientContext, db: Db, key: string): void {
  const keys = getExt(c.ext, WATCH)?.keys.get(db);
  if (keys?.get(key) === true && !db.dict.has(key)) {
    keys.set(key, false);
    return;
  }
  c.flags |= ClientFlag.DIRTY_CAS;
}

export const TRANSACTION_HANDLERS: HandlerTable = {
  multi(c) {
    if (c.flags & ClientFlag.MULTI) return c.reply.error('ERR MULTI calls can not be nested');
    c.flags |= ClientFlag.MULTI;
    setExt(c.ext, MULTI, { queue: [] });
    c.ext.set('multi.queued', 0);
    c.reply.ok();
  },

  exec(c) {
    const m = getExt(c.ext, MULTI);
    if (!(c.flags & ClientFlag.MULTI) || m === undefined) return c.reply.error('ERR EXEC without MULTI');
    if (c.flags & ClientFlag.DIRTY_EXEC) {
      discard(c);
      return c.reply.error(R.EXECABORT);
    }
    if (c.flags & ClientFlag.DIRTY_CAS || watchedKeyExpired(c)) {
      discard(c);
      return c.reply.nullArray();
    }
    const queue = m.queue;
    discard(c);
    c.reply.array(queue.length);
    c.flags |= ClientFlag.IN_EXEC;
    try {
      for (const q of queue) {
        // ACL rules may have changed since the command was queued (Redis execCommand).
        const user = c.user;
        const denied = user !== null && user.open[q.spec.id] !== 1 ? (c.server.dispatcher.hooks.aclDenied?.(c, q.spec, q.argv, 'exec') ?? null) : null;
        if (denied !== null) c.reply.error(denied);
        else c.server.dispatcher.callSpec(c, q.spec, q.argv);
      }
    } finally {
      c.flags &= ~ClientFlag.IN_EXEC;
    }
  },

  discard(c) {
    if (!(c.flags & ClientFlag.MULTI)) return c.reply.error('ERR DISCARD without MULTI');
    discard(c);
    c.reply.ok();
  },

  watch(c, argv) {
    if (c.flags & ClientFlag.MULTI) return c.reply.error('ERR WATCH inside MULTI is not allowed');
    let w = getExt(c.ext, WATCH);
    if (w === undefined) {
      w = { keys: new Map() };
      setExt(c.ext, WATCH, w);
    }
    const idx = index(c);
    let mine = w.keys.get(c.db);
    if (mine === undefined) w.keys.set(c.db, (mine = new Map()));
    let byKey = idx.get(c.db);
    if (byKey === undefined) idx.set(c.db, (byKey = new Map()));
    const now = c.server.keyspace.now;
    for (let i = 1; i < argv.length; i++) {
      const k = argv[i]!;
      if (mine.has(k)) continue;
      mine.set(k, isLogicallyExpired(c.db, k, now));
      let set = byKey.get(k);
      if (set === undefined) byKey.set(k, (set = new Set()));
      set.add(c);
    }
    c.reply.ok();
  },

  unwatch(c) {
    unwatchAll(c);
    c.reply.ok();
  },
};

/**
 * The watched keys of database `db` meet a flush or a swap (Redis touchAllWatchedKeysInDb):
 * `emptiedHas` says whether a key was in the contents the database lost, `replaced` holds the
 * contents it has now (null after a flush). Only keys that existed on either side are touched, and
 * an expired key that stays expired, or vanishes, is no change.
 */
function touchDb(host: FeatureHost, db: Db, emptiedHas: (key: string) => boolean, replaced: Db | null): void {
  const byKey = getExt(host.ext, WATCHERS)?.get(db);
  if (byKey === undefined) return;
  const now = host.keyspace.now;
  for (const [key, set] of byKey) {
    const inEmptied = emptiedHas(key);
    const inReplaced = replaced !== null && replaced.dict.has(key);
    if (!inEmptied && !inReplaced) continue;
    for (const c of set) {
      const keys = getExt(c.ext, WATCH)?.keys.get(db);
      if (keys?.get(key) === true) {
        if (!inReplaced) {
          keys.set(key, false);
          continue;
        }
        if (isLogicallyExpired(replaced!, key, now)) continue;
      } else if (!inEmptied && isLogicallyExpired(replaced!, key, now)) {
        keys?.set(key, true);
        continue;
      }
      c.flags |= ClientFlag.DIRTY_CAS;
    }
  }
}

export const TRANSACTIONS_FEATURE: ServerFeature = {
  name: 'transactions',
  install(host) {
    host.dispatcher.hooks.queuedFlags = (c) => {
      let flags = 0;
      for (const q of getExt(c.ext, MULTI)?.queue ?? []) flags |= q.spec.flags;
      return flags;
    };
    host.dispatcher.hooks.discardTransaction = discard;
    host.dispatcher.hooks.queueInMulti = (c, spec, argv) => {
      const m = getExt(c.ext, MULTI);
      if (m === undefined) return false;
      m.queue.push({ spec, argv });
      c.ext.set('multi.queued', m.queue.length);
      c.reply.simple('QUEUED');
      return true;
    };
    host.dispatcher.hooks.discardMulti = discard;
    host.keyspace.addHooks({
      keyModified(db, key) {
        const set = getExt(host.ext, WATCHERS)?.get(db)?.get(key);
        if (set !== undefined) for (const c of set) touchClient(c, db, key);
      },
      beforeFlush(db) {
        for (const d of db === null ? host.keyspace.dbs : [db]) touchDb(host, d, (k) => d.dict.has(k), null);
      },
      swapped(a, b) {
        // Called after the swap: a holds what b had, and b what a had.
        touchDb(host, a, (k) => b.dict.has(k), a);
        touchDb(host, b, (k) => a.dict.has(k), b);
      },
    });
    host.onClientClose(discard);
    host.onClientReset(discard);
  },
};
