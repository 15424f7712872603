/**
 * Client tracking, server-assisted client-side caching (Redis 7.0 tracking.c): who is told when a
 * key changes, and how the message reaches them. The commands are in tracking-commands.ts, the
 * tables in tracking-table.ts.
 *
 * - Default mode: after a read-only command runs, its keys (from the command table's key specs,
 *   as Redis's trackingRememberKeys) are remembered for the client, subject to OPTIN/OPTOUT and
 *   CLIENT CACHING. The first change of a key (command, expiry, eviction) sends one invalidation
 *   to each client that read it and forgets the key. NOLOOP skips the client that made the change.
 * - BCAST: changed keys matching a prefix are collected and sent once per event-loop turn
 *   (setImmediate after the I/O phase, where Redis uses beforeSleep), keys in byte order.
 * - FLUSHDB/FLUSHALL send a null invalidation to every tracking client and empty the table.
 * - Delivery: RESP3 → push `>2 invalidate <keys|null>`; with REDIRECT to another client, to that
 *   client (push in RESP3; in RESP2 a `message` on `__redis__:invalidate` when it is subscribed,
 *   else nothing). A gone target marks the source broken and, in RESP3, pushes
 *   `tracking-redir-broken <id>` to it.
 * - Order: a message for the client whose command is running (as source or receiver) is held and
 *   written after that command's reply (after the whole EXEC), as Redis 7.0 does.
 * Cost when nobody tracks: one size check per key change, one flag test per command.
 */

import { Flag } from '../../commands/flags.js';
import { keyPositions } from '../../commands/key-positions.js';
import type { CommandSpec } from '../../commands/spec.js';
import { ClientFlag, ExtKey, getExt, setExt, type ClientContext, type ServerContext } from '../dispatch/context.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { KeyTable, PrefixTable } from './tracking-table.js';

/** Every tracking flag, cleared together when tracking is turned off. */
export const TRACKING_FLAGS =
  ClientFlag.TRACKING |
  ClientFlag.TRACKING_BCAST |
  ClientFlag.TRACKING_OPTIN |
  ClientFlag.TRACKING_OPTOUT |
  ClientFlag.TRACKING_CACHING |
  ClientFlag.TRACKING_NOLOOP |
  ClientFlag.TRACKING_BROKEN_REDIR;

/** One client's tracking settings beyond its flags. */
export interface ClientTracking {
  /** Client id invalidations go to; 0 = this connection. */
  redirect: number;
  /** BCAST prefixes (they accumulate across CLIENT TRACKING on calls until tracking is off). */
  readonly prefixes: Set<string>;
}

/** What an invalidation carries: one key, a batch of keys, or null (everything, after a flush). */
type Payload = string | readonly string[] | null;

export interface TrackingState {
  readonly table: KeyTable;
  readonly prefixes: PrefixTable<ClientContext>;
  /** Clients with tracking on (INFO tracking_clients). */
  clients: number;
  /** `tracking-table-max-keys` (0: no limit). */
  maxKeys: number;
  /** Messages held until the running command has replied. */
  pending: { source: ClientContext; payload: Payload }[];
  /** The next key change comes from expiry: no client made it (BCAST NOLOOP). */
  expiring: boolean;
  broadcastScheduled: boolean;
  /** Rounds the size limit could not be reached in (Redis's effort grows with it). */
  limitRounds: number;
}

const STATE = new ExtKey<TrackingState>('tracking.state');
const CLIENT = new ExtKey<ClientTracking>('tracking');
/** Read by CLIENT LIST (`redir=`); present only while tracking is on. */
const REDIRECT = new ExtKey<number>('tracking.redirect');
const CHANNEL = '__redis__:invalidate';
const NULL2 = Buffer.from('$-1\r\n', 'latin1');
const NULL3 = Buffer.from('_\r\n', 'latin1');

export function trackingState(s: ServerContext): TrackingState {
  let st = getExt(s.ext, STATE);
  if (st === undefined) {
    st = {
      table: new KeyTable(),
      prefixes: new PrefixTable(),
      clients: 0,
      maxKeys: 1_000_000,
      pending: [],
      expiring: false,
      broadcastScheduled: false,
      limitRounds: 0,
    };
    setExt(s.ext, STATE, st);
  }
  return st;
}

export function clientTracking(c: ClientContext): ClientTracking {
  let t = getExt(c.ext, CLIENT);
  if (t === undefined) {
    t = { redirect: 0, prefixes: new Set() };
    setExt(c.ext, CLIENT, t);
  }
  return t;
}

/** CLIENT TRACKING on, options already validated (Redis enableTracking). */
export function enableTracking(c: ClientContext, redirect: number, options: number, prefixes: readonly string[]): void {
  const st = trackingState(c.server);
  if (!(c.flags & ClientFlag.TRACKING)) st.clients++;
  c.flags |= ClientFlag.TRACKING;
  c.flags &= ~(ClientFlag.TRACKING_BROKEN_REDIR | ClientFlag.TRACKING_BCAST | ClientFlag.TRACKING_OPTIN | ClientFlag.TRACKING_OPTOUT | ClientFlag.TRACKING_NOLOOP);
  const t = clientTracking(c);
  t.redirect = redirect;
  setExt(c.ext, REDIRECT, redirect);
  if (options & ClientFlag.TRACKING_BCAST) {
    c.flags |= ClientFlag.TRACKING_BCAST;
    for (const p of prefixes.length === 0 ? [''] : prefixes) if (st.prefixes.add(p, c)) t.prefixes.add(p);
  }
  c.flags |= options & (ClientFlag.TRACKING_OPTIN | ClientFlag.TRACKING_OPTOUT | ClientFlag.TRACKING_NOLOOP);
}

/** CLIENT TRACKING off, RESET and disconnect (Redis disableTracking). The key table keeps stale ids. */
export function disableTracking(c: ClientContext): void {
  const st = getExt(c.server.ext, STATE);
  const t = getExt(c.ext, CLIENT);
  if (st === undefined || t === undefined) return;
  if (c.flags & ClientFlag.TRACKING_BCAST) {
    for (const p of t.prefixes) st.prefixes.remove(p, c);
    t.prefixes.clear();
  }
  if (c.flags & ClientFlag.TRACKING) {
    st.clients--;
    c.flags &= ~TRACKING_FLAGS;
    setExt(c.ext, REDIRECT, undefined);
  }
}

function writePayload(to: ClientContext, payload: Payload, sourceProto: 2 | 3): void {
  if (payload === null) {
    // Redis writes the null of the *source's* protocol, whatever the receiver speaks.
    to.reply.raw(sourceProto === 3 ? NULL3 : NULL2);
  } else if (typeof payload === 'string') {
    to.reply.array(1);
    to.reply.bulk(payload);
  } else {
    to.reply.array(payload.length);
    for (const k of payload) to.reply.bulk(k);
  }
}

/** Writes one invalidation for `source` now (Redis sendTrackingMessage). */
function deliverNow(source: ClientContext, payload: Payload): void {
  const server = source.server;
  if (!server.clients.has(source.id)) return;
  let to = source;
  const redirect = getExt(source.ext, CLIENT)?.redirect ?? 0;
  if (redirect !== 0) {
    const target = server.clients.get(redirect);
    if (target === undefined) {
      source.flags |= ClientFlag.TRACKING_BROKEN_REDIR;
      if (source.reply.proto === 3) {
        source.reply.push(2);
        source.reply.bulk('tracking-redir-broken');
        source.reply.integer(redirect);
        source.requestFlush();
      }
      return;
    }
    to = target;
  }
  if (to.reply.proto === 3) {
    to.reply.push(2);
    to.reply.bulk('invalidate');
  } else if (to !== source && to.flags & ClientFlag.PUBSUB) {
    to.reply.push(3);
    to.reply.bulk('message');
    to.reply.bulk(CHANNEL);
  } else {
    return;
  }
  writePayload(to, payload, source.reply.proto);
  to.requestFlush();
}

/** Sends now, or after the running command when it concerns the running client. */
function send(st: TrackingState, source: ClientContext, payload: Payload): void {
  const cur = source.server.dispatcher.current;
  if (cur !== null) {
    const redirect = getExt(source.ext, CLIENT)?.redirect ?? 0;
    if (source === cur || (redirect !== 0 && redirect === cur.id)) {
      st.pending.push({ source, payload });
      return;
    }
  }
  deliverNow(source, payload);
}

function flushPending(st: TrackingState): void {
  const list = st.pending;
  st.pending = [];
  for (const m of list) deliverNow(m.source, m.payload);
}

/**
 * A key changed: default-mode invalidations now, BCAST ones at the end of the turn. `writer` made
 * the change (null: expiry; BCAST NOLOOP compares with it), `self` is the running client (NOLOOP
 * in default mode compares with it, as Redis compares with current_client).
 */
function invalidateKey(host: FeatureHost, st: TrackingState, key: string, writer: ClientContext | null, self: ClientContext | null, bcast: boolean): void {
  if (bcast && st.prefixes.size > 0) {
    st.prefixes.record(key, writer);
    if (st.prefixes.pending && !st.broadcastScheduled) {
      st.broadcastScheduled = true;
      setImmediate(() => broadcast(st));
    }
  }
  const ids = st.table.take(key);
  if (ids === undefined) return;
  if (typeof ids === 'number') notifyReader(host, st, ids, key, self);
  else for (const id of ids) notifyReader(host, st, id, key, self);
}

function notifyReader(host: FeatureHost, st: TrackingState, id: number, key: string, self: ClientContext | null): void {
  const t = host.clients.get(id);
  if (t === undefined || !(t.flags & ClientFlag.TRACKING) || t.flags & ClientFlag.TRACKING_BCAST) return;
  if (t.flags & ClientFlag.TRACKING_NOLOOP && t === self) return;
  send(st, t, key);
}

/** BCAST: one message per prefix and client with the keys changed under it (Redis beforeSleep). */
function broadcast(st: TrackingState): void {
  st.broadcastScheduled = false;
  st.prefixes.pending = false;
  for (const prefix of st.prefixes.sorted()) {
    const ps = st.prefixes.prefixes.get(prefix);
    if (ps === undefined || ps.keys.size === 0) continue;
    const changed = ps.keys;
    ps.keys = new Map();
    const keys = [...changed.keys()].sort();
    for (const c of ps.clients) {
      if (c.flags & ClientFlag.TRACKING_NOLOOP) {
        const others = keys.filter((k) => changed.get(k) !== c);
        if (others.length > 0) send(st, c, others);
      } else {
        send(st, c, keys);
      }
    }
  }
}

/** Remembers the keys of a read-only command for its client (Redis trackingRememberKeys). */
function rememberKeys(st: TrackingState, c: ClientContext, spec: CommandSpec, argv: string[]): void {
  const f = c.flags;
  if (f & ClientFlag.TRACKING_OPTIN && !(f & ClientFlag.TRACKING_CACHING)) return;
  if (f & ClientFlag.TRACKING_OPTOUT && f & ClientFlag.TRACKING_CACHING) return;
  if (spec.flags & Flag.PUBSUB) return;
  const positions = keyPositions(spec, argv);
  if (positions === null) return;
  for (const i of positions) st.table.remember(argv[i]!, c.id);
}

/** Over `tracking-table-max-keys`: invalidate the oldest keys, with growing effort (Redis trackingLimitUsedSlots). */
function limitKeys(host: FeatureHost, st: TrackingState): void {
  let effort = 100 * (st.limitRounds + 1);
  while (effort-- > 0) {
    const key = st.table.oldest();
    if (key === undefined) break;
    invalidateKey(host, st, key, null, null, false);
    if (st.table.size <= st.maxKeys) {
      st.limitRounds = 0;
      return;
    }
  }
  st.limitRounds++;
}

function isClientSubcommand(host: FeatureHost, argv: string[]): boolean {
  if (argv.length < 2 || argv[0]!.toLowerCase() !== 'client') return false;
  return host.dispatcher.lookup('client')?.subcommands?.has(argv[1]!.toLowerCase()) ?? false;
}

function installCommandHooks(host: FeatureHost, st: TrackingState): void {
  const hooks = host.dispatcher.hooks;
  const previous = hooks.afterCommand;
  hooks.afterCommand = (c, spec, argv) => {
    previous?.(c, spec, argv);
    if (c.flags & ClientFlag.TRACKING && !(c.flags & ClientFlag.TRACKING_BCAST) && spec.flags & Flag.READONLY) {
      rememberKeys(st, c, spec, argv);
      if (st.maxKeys > 0 && st.table.size > st.maxKeys) limitKeys(host, st);
    }
    if (st.pending.length > 0 && !(c.flags & ClientFlag.IN_EXEC)) flushPending(st);
  };
  // CLIENT CACHING covers the next command, or the next transaction; CLIENT subcommands keep it.
  hooks.afterExecute = (c, argv) => {
    if (c.flags & ClientFlag.MULTI || isClientSubcommand(host, argv)) return;
    c.flags &= ~ClientFlag.TRACKING_CACHING;
  };
}

export const TRACKING_FEATURE: ServerFeature = {
  name: 'tracking',
  install(host: FeatureHost) {
    const st = trackingState(host);
    host.config.watch('tracking-table-max-keys', (v) => (st.maxKeys = Number(v)));
    installCommandHooks(host, st);
    host.keyspace.addHooks({
      keyExpired() {
        st.expiring = true;
      },
      keyModified(_db, key) {
        const expiring = st.expiring;
        st.expiring = false;
        if (st.table.size === 0 && st.prefixes.size === 0) return;
        const self = host.dispatcher.current;
        invalidateKey(host, st, key, expiring ? null : self, self, true);
      },
      flushed() {
        if (st.clients > 0) for (const c of host.clients.values()) if (c.flags & ClientFlag.TRACKING) send(st, c, null);
        st.table.clear();
      },
    });
    host.onClientClose(disableTracking);
    host.onClientReset(disableTracking);
    host.ext.set('tracking.count', () => st.clients);
    host.ext.set('tracking.keys', () => st.table.size);
    host.ext.set('tracking.items', () => st.table.items);
    host.ext.set('tracking.prefixes', () => st.prefixes.size);
  },
};
