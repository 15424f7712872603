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
import type { FeatureHost, ServerFeature } from '../features.js';
import type { Db } from '../keyspace/db.js';

interface MultiState {
  queue: { spec: CommandSpec; argv: string[] }[];
}

interface WatchState {
  /** Watched keys by database. */
  keys: Map<Db, Set<string>>;
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
    for (const k of keys) {
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

/** True when a watched key is logically expired now (Redis 7.0 counts that as a change). */
function watchedKeyExpired(c: ClientContext): boolean {
  const w = getExt(c.ext, WATCH);
  if (w === undefined) return false;
  const now = c.server.keyspace.now;
  for (const [db, keys] of w.keys) {
    for (const k of keys) {
      const e = db.dict.get(k);
      if (e !== undefined && e.expireAt !== -1 && e.expireAt <= now) return true;
    }
  }
  return false;
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
      for (const q of queue) c.server.dispatcher.callSpec(c, q.spec, q.argv);
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
    if (mine === undefined) w.keys.set(c.db, (mine = new Set()));
    let byKey = idx.get(c.db);
    if (byKey === undefined) idx.set(c.db, (byKey = new Map()));
    for (let i = 1; i < argv.length; i++) {
      const k = argv[i]!;
      mine.add(k);
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

function touchDb(host: FeatureHost, db: Db): void {
  const byKey = getExt(host.ext, WATCHERS)?.get(db);
  if (byKey === undefined) return;
  for (const set of byKey.values()) for (const c of set) c.flags |= ClientFlag.DIRTY_CAS;
}

export const TRANSACTIONS_FEATURE: ServerFeature = {
  name: 'transactions',
  install(host) {
    host.dispatcher.hooks.queueInMulti = (c, spec, argv) => {
      const m = getExt(c.ext, MULTI);
      if (m === undefined) return false;
      m.queue.push({ spec, argv });
      c.ext.set('multi.queued', m.queue.length);
      c.reply.simple('QUEUED');
      return true;
    };
    host.keyspace.addHooks({
      keyModified(db, key) {
        const set = getExt(host.ext, WATCHERS)?.get(db)?.get(key);
        if (set !== undefined) for (const c of set) c.flags |= ClientFlag.DIRTY_CAS;
      },
      flushed(db) {
        for (const d of db === null ? host.keyspace.dbs : [db]) touchDb(host, d);
      },
      swapped(a, b) {
        touchDb(host, a);
        touchDb(host, b);
      },
    });
    host.onClientClose(discard);
    host.onClientReset(discard);
  },
};
