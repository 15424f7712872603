/**
 * Blocking commands' machinery (Redis 7.0 blocked.c): clients parked on keys, served first-come
 * first-served per key after the command that gave the key data, timed out by a per-client timer,
 * forgotten without trace when they disconnect.
 *
 * API contract (data types: lists, sorted sets):
 * - `blockForKeys(c, keys, timeoutMs, serve, type)` parks `c` (sets ClientFlag.BLOCKED, so its
 *   session reads no further commands). `timeoutMs` 0 waits forever. `type` is the ValueType that
 *   can serve it (Redis btype): a ready key of another type is skipped for this waiter, which
 *   keeps waiting, exactly as 7.0 leaves a BLPOP parked when its key becomes a set or a string.
 * - `serve(c, key)` runs with `c.db` set to the waiter's database when `key` holds a value of
 *   `type`. It returns true once it has written the client's complete reply (data or error) and
 *   made its change, false when the key cannot serve it (then no later waiter is tried either).
 *   If it changed the dataset (`c.server.dirty += n`) it sets `c.propagateAs` to the commands to
 *   propagate (BLPOP served → LPOP key; BLMOVE → LMOVE …), as a handler would.
 * - Keys become ready through the keyspace's modification hook, so every way a key can gain
 *   elements (pushes, ZADD, stores, RENAME/MOVE/COPY targets, SWAPDB) wakes its waiters;
 *   `signalKeyAsReady(server, db, key)` exists for changes made outside that hook. Ready keys
 *   are served after the current command completes, never between the commands of MULTI/EXEC.
 * - Streams (BlockOptions): a waiter that cannot be served yet does not stop the ones behind it
 *   (`independent`), and `onGone` answers when its key is deleted, emptied by a flush or
 *   replaced by another type (XREADGROUP's -UNBLOCKED), where other waiters keep waiting.
 * - A timeout replies a null array (RESP2 `*-1`, RESP3 `_`) for every blocking command, as 7.0's
 *   replyToBlockedClientTimedOut does. `unblockClient(c, error)` serves CLIENT UNBLOCK.
 * - A served or timed-out client gets its reply flushed (`requestFlush`) and then processes its
 *   pipelined commands (`resume`).
 * - Counts for INFO: server ext keys `blocking.count` (blocked clients) and `blocking.timeouts`
 *   (those with a timeout: clients_in_timeout_table), each a `() => number`.
 */

import { ClientFlag, ExtKey, getExt, setExt, type ClientContext, type ServerContext } from './dispatch/context.js';
import type { FeatureHost, ServerFeature } from './feature-contract.js';
import type { Db } from './keyspace/db.js';
import type { ValueType } from './keyspace/entry.js';

export type ServeFn = (c: ClientContext, key: string) => boolean;

/** How a waiter reacts beyond `serve` (streams). */
export interface BlockOptions {
  /**
   * The key is gone or holds another type when it is signalled: return true after replying to
   * end the wait (XREADGROUP: -UNBLOCKED), false to keep waiting. Without it the waiter waits.
   */
  readonly onGone?: ServeFn;
  /** A waiter that cannot be served does not stop the ones behind it (each stream reader waits for its own ID). */
  readonly independent?: boolean;
}

interface Waiter extends BlockOptions {
  readonly c: ClientContext;
  readonly db: Db;
  readonly keys: readonly string[];
  readonly serve: ServeFn;
  readonly type: ValueType;
  /** The blocking command as sent: propagated if a serve changes data without saying how. */
  readonly argv: readonly string[];
  /** Its full name, for INFO commandstats when a serve answers with an error. */
  readonly name: string;
  /** Absolute deadline in ms (Date.now clock), 0 when waiting forever. */
  readonly deadline: number;
  timer: NodeJS.Timeout | null;
}

interface BlockingState {
  /** db → key → waiters in arrival order (a Set keeps insertion order and deletes in O(1)). */
  readonly queues: Map<Db, Map<string, Set<Waiter>>>;
  /** Keys signalled since the last serve pass, once each (Redis server.ready_keys). */
  ready: { db: Db; key: string }[];
  readonly readySet: Map<Db, Set<string>>;
  readonly byClient: Map<ClientContext, Waiter>;
  withTimeout: number;
}

const STATE = new ExtKey<BlockingState>('blocking.state');
/** setTimeout's longest delay; longer timeouts re-arm until their deadline. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function state(s: ServerContext): BlockingState {
  let st = getExt(s.ext, STATE);
  if (st === undefined) {
    st = { queues: new Map(), ready: [], readySet: new Map(), byClient: new Map(), withTimeout: 0 };
    setExt(s.ext, STATE, st);
  }
  return st;
}

/** Parks `c` until one of `keys` can serve it or `timeoutMs` passes (0 = forever). */
export function blockForKeys(c: ClientContext, keys: readonly string[], timeoutMs: number, serve: ServeFn, type: ValueType, opts: BlockOptions = {}): void {
  const st = state(c.server);
  const unique = [...new Set(keys)];
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
  const w: Waiter = { ...opts, c, db: c.db, keys: unique, serve, type, argv: c.argv, name: c.spec?.fullName ?? '', deadline, timer: null };
  let byKey = st.queues.get(c.db);
  if (byKey === undefined) st.queues.set(c.db, (byKey = new Map()));
  for (const k of unique) {
    let q = byKey.get(k);
    if (q === undefined) byKey.set(k, (q = new Set()));
    q.add(w);
  }
  st.byClient.set(c, w);
  c.flags |= ClientFlag.BLOCKED;
  if (deadline !== 0) {
    st.withTimeout++;
    arm(st, w);
  }
}

function arm(st: BlockingState, w: Waiter): void {
  w.timer = setTimeout(onTimer, Math.min(Math.max(w.deadline - Date.now(), 0), MAX_TIMER_MS), st, w);
}

function onTimer(st: BlockingState, w: Waiter): void {
  if (st.byClient.get(w.c) !== w) return;
  if (Date.now() < w.deadline) return arm(st, w);
  release(st, w);
  w.c.reply.nullArray();
  wake(w.c);
}

/** Removes a waiter from every queue and clears BLOCKED; false when it was already gone. */
function release(st: BlockingState, w: Waiter): boolean {
  if (st.byClient.get(w.c) !== w) return false;
  st.byClient.delete(w.c);
  if (w.deadline !== 0) st.withTimeout--;
  if (w.timer !== null) clearTimeout(w.timer);
  w.timer = null;
  const byKey = st.queues.get(w.db);
  if (byKey !== undefined) {
    for (const k of w.keys) {
      const q = byKey.get(k);
      if (q === undefined) continue;
      q.delete(w);
      if (q.size === 0) byKey.delete(k);
    }
  }
  w.c.flags &= ~ClientFlag.BLOCKED;
  return true;
}

function wake(c: ClientContext): void {
  c.requestFlush();
  c.resume();
}

/** True while `c` is parked by a blocking command. */
export function isBlocked(c: ClientContext): boolean {
  return getExt(c.server.ext, STATE)?.byClient.has(c) === true;
}

/**
 * CLIENT UNBLOCK: ends a wait as a timeout would (null array) or with `-UNBLOCKED`.
 * Returns false when the client was not blocked.
 */
export function unblockClient(c: ClientContext, withError: boolean): boolean {
  const st = getExt(c.server.ext, STATE);
  const w = st?.byClient.get(c);
  if (st === undefined || w === undefined) return false;
  release(st, w);
  if (withError) c.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
  else c.reply.nullArray();
  wake(c);
  return true;
}

function markReady(st: BlockingState, db: Db, key: string): void {
  if (st.queues.get(db)?.has(key) !== true) return;
  let set = st.readySet.get(db);
  if (set === undefined) st.readySet.set(db, (set = new Set()));
  if (set.has(key)) return;
  set.add(key);
  st.ready.push({ db, key });
}

/** Records that `key` in `db` may now serve waiters (served after the current command). */
export function signalKeyAsReady(server: ServerContext, db: Db, key: string): void {
  const st = getExt(server.ext, STATE);
  if (st !== undefined && st.byClient.size > 0) markReady(st, db, key);
}

/** Serves one waiter with `key` through `fn`; true when it was served (and released). */
function serveOne(server: ServerContext, st: BlockingState, w: Waiter, key: string, fn: ServeFn): boolean {
  const c = w.c;
  const dirty = server.dirty;
  const errors = c.reply.errorCount;
  c.propagateAs = null;
  const start = performance.now();
  const served = fn(c, key);
  if (!served) return false;
  if (c.reply.errorCount !== errors) countFailure(server, w.name);
  // SLOWLOG / LATENCY see the blocking command now, with the time serving it took.
  server.dispatcher.commandUnblocked(c, (performance.now() - start) * 1000);
  if (server.dirty !== dirty && server.sinks.length > 0) {
    // Read back past the narrowing of the reset above: serve may have set it.
    const out = (c.propagateAs as string[][] | null) ?? [w.argv as string[]];
    for (const sink of server.sinks) for (const argv of out) sink.propagate(w.db.id, argv);
  }
  c.propagateAs = null;
  release(st, w);
  wake(c);
  return true;
}

/** A blocked command answered with an error counts as failed (Redis updateStatsOnUnblock). */
function countFailure(server: ServerContext, name: string): void {
  for (const [n, stat] of server.dispatcher.commandStats()) {
    if (n !== name) continue;
    stat.failed++;
    return;
  }
}

/**
 * Redis handleClientsBlockedOnKeys: serves the waiters of every ready key in arrival order while
 * the key can serve them; keys made ready while serving (BLMOVE's destination) are served too.
 */
function serveReady(server: ServerContext): void {
  const st = getExt(server.ext, STATE);
  if (st === undefined) return;
  while (st.ready.length > 0) {
    const batch = st.ready;
    st.ready = [];
    for (const { db, key } of batch) {
      st.readySet.get(db)?.delete(key);
      const q = st.queues.get(db)?.get(key);
      if (q === undefined) continue;
      const e = db.peek(key);
      for (const w of q) {
        if (e === undefined || w.type !== e.type) {
          if (w.onGone !== undefined) serveOne(server, st, w, key, w.onGone);
          continue;
        }
        if (!serveOne(server, st, w, key, w.serve) && w.independent !== true) break;
      }
    }
  }
}

export const BLOCKING_FEATURE: ServerFeature = {
  name: 'blocking',
  install(host: FeatureHost) {
    const st = state(host);
    const previous = host.dispatcher.hooks.afterCommand;
    host.dispatcher.hooks.afterCommand = (c, spec, argv) => {
      previous?.(c, spec, argv);
      if (st.ready.length > 0 && !(c.flags & ClientFlag.IN_EXEC)) serveReady(host);
    };
    // Any change to a key someone waits on may have given it elements (push, ZADD, stores,
    // RENAME/MOVE/COPY targets, MULTI/EXEC): mark it ready; serving re-checks type and data.
    host.keyspace.addHooks({
      keyModified(db, key) {
        if (st.byClient.size > 0) markReady(st, db, key);
      },
      swapped(a, b) {
        for (const db of [a, b]) for (const key of st.queues.get(db)?.keys() ?? []) markReady(st, db, key);
      },
      // Emptied keys: stream group readers are told (Redis scanDatabaseForDeletedStreams).
      flushed(db) {
        for (const [d, byKey] of st.queues) if (db === null || d === db) for (const key of byKey.keys()) markReady(st, d, key);
      },
    });
    host.onClientClose((c) => {
      const w = st.byClient.get(c);
      if (w !== undefined) release(st, w);
    });
    host.ext.set('blocking.count', () => st.byClient.size);
    host.ext.set('blocking.timeouts', () => st.withTimeout);
  },
};
