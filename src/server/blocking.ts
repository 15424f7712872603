/**
 * Blocking commands' machinery (Redis blocked.c): clients waiting for keys, served first-come
 * first-served per key.
 *
 * Contract for data types:
 * - `blockForKeys(c, keys, timeoutMs, serve)` parks a client (ClientFlag.BLOCKED: its session stops
 *   reading further commands). `serve(c, key)` is called when `key` may have data; it returns true
 *   once it has written the client's reply (and made its change), false to keep waiting.
 * - Keys become ready through the keyspace's modification hook, so every way a key can gain
 *   elements (pushes, ZADD, stores, RENAME/MOVE/COPY targets) wakes its waiters; `signalKeyAsReady`
 *   exists for changes made outside the hook. Waiters are served after the current command
 *   completes, never between the commands of a MULTI/EXEC, as in Redis.
 * - A timeout replies a null array; a disconnect leaves no trace.
 */

import { ClientFlag, ExtKey, getExt, setExt, type ClientContext, type ServerContext } from './dispatch/context.js';
import type { FeatureHost, ServerFeature } from './features.js';
import type { Db } from './keyspace/db.js';

export type ServeFn = (c: ClientContext, key: string) => boolean;

interface Waiter {
  c: ClientContext;
  db: Db;
  keys: readonly string[];
  serve: ServeFn;
  timer: NodeJS.Timeout | null;
}

interface BlockingState {
  /** db → key → waiters in arrival order. */
  queues: Map<Db, Map<string, Waiter[]>>;
  /** Keys signalled since the last serve pass. */
  ready: { db: Db; key: string }[];
  byClient: Map<ClientContext, Waiter>;
}

const STATE = new ExtKey<BlockingState>('blocking.state');

function state(s: ServerContext): BlockingState {
  let st = getExt(s.ext, STATE);
  if (st === undefined) {
    st = { queues: new Map(), ready: [], byClient: new Map() };
    setExt(s.ext, STATE, st);
  }
  return st;
}

/** Parks `c` until one of `keys` can serve it or `timeoutMs` passes (0 = forever). */
export function blockForKeys(c: ClientContext, keys: readonly string[], timeoutMs: number, serve: ServeFn): void {
  const st = state(c.server);
  const w: Waiter = { c, db: c.db, keys, serve, timer: null };
  let byKey = st.queues.get(c.db);
  if (byKey === undefined) st.queues.set(c.db, (byKey = new Map()));
  for (const k of new Set(keys)) {
    let q = byKey.get(k);
    if (q === undefined) byKey.set(k, (q = []));
    q.push(w);
  }
  st.byClient.set(c, w);
  c.flags |= ClientFlag.BLOCKED;
  if (timeoutMs > 0) {
    w.timer = setTimeout(() => {
      if (!release(st, w)) return;
      c.reply.nullArray();
      wake(c);
    }, timeoutMs);
  }
}

/** Removes a waiter from every queue; false when it was already gone. */
function release(st: BlockingState, w: Waiter): boolean {
  if (st.byClient.get(w.c) !== w) return false;
  st.byClient.delete(w.c);
  if (w.timer !== null) clearTimeout(w.timer);
  const byKey = st.queues.get(w.db);
  for (const k of w.keys) {
    const q = byKey?.get(k);
    if (q === undefined) continue;
    const i = q.indexOf(w);
    if (i !== -1) q.splice(i, 1);
    if (q.length === 0) byKey!.delete(k);
  }
  w.c.flags &= ~ClientFlag.BLOCKED;
  return true;
}

function wake(c: ClientContext): void {
  c.requestFlush();
  c.resume();
}

/** Records that `key` in the client's database may now serve waiters. */
export function signalKeyAsReady(c: ClientContext, key: string, db: Db = c.db): void {
  const st = getExt(c.server.ext, STATE);
  if (st === undefined || st.byClient.size === 0) return;
  if (st.queues.get(db)?.has(key) === true) st.ready.push({ db, key });
}

/** Serves waiters of every ready key, oldest first, while the key can serve them. */
function serveReady(server: ServerContext): void {
  const st = getExt(server.ext, STATE);
  if (st === undefined) return;
  for (let guard = 0; st.ready.length > 0 && guard < 100_000; guard++) {
    const { db, key } = st.ready.shift()!;
    const q = st.queues.get(db)?.get(key);
    while (q !== undefined && q.length > 0) {
      const w = q[0]!;
      const prevDb = w.c.db;
      w.c.db = db;
      const served = w.serve(w.c, key);
      w.c.db = prevDb;
      if (!served) break;
      release(st, w);
      wake(w.c);
    }
  }
}

export const BLOCKING_FEATURE: ServerFeature = {
  name: 'blocking',
  install(host: FeatureHost) {
    const previous = host.dispatcher.hooks.afterCommand;
    host.dispatcher.hooks.afterCommand = (c, spec, argv) => {
      previous?.(c, spec, argv);
      if (!(c.flags & ClientFlag.IN_EXEC)) serveReady(host);
    };
    // Any change to a key someone waits on may have given it elements (push, ZADD, stores,
    // RENAME/MOVE/COPY targets, MULTI/EXEC): mark it ready; serving re-checks the data.
    host.keyspace.addHooks({
      keyModified(db, key) {
        const st = getExt(host.ext, STATE);
        if (st !== undefined && st.byClient.size > 0 && st.queues.get(db)?.has(key) === true) st.ready.push({ db, key });
      },
    });
    host.onClientClose((c) => {
      const st = getExt(host.ext, STATE);
      const w = st?.byClient.get(c);
      if (st !== undefined && w !== undefined) release(st, w);
    });
    host.ext.set('blocking.count', () => getExt(host.ext, STATE)?.byClient.size ?? 0);
  },
};
