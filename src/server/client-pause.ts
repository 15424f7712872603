/**
 * Client pause (Redis 7.0 pauseClients / unpauseClients): CLIENT PAUSE WRITE|ALL, CLIENT
 * UNPAUSE, and the write pause a SHUTDOWN holds while it waits for lagging replicas.
 *
 * Invariants:
 * - each purpose (the CLIENT PAUSE command, a shutdown) keeps its own mode and end time; the
 *   effective pause is the most restrictive live one, ending at the furthest end of that mode;
 * - a command the pause covers (every command under ALL; under WRITE the `write` and
 *   `may_replicate` ones, and an EXEC whose queue holds one) is postponed by the dispatcher: the
 *   client is flagged BLOCKED (it reads nothing further and counts in blocked_clients) and the
 *   command runs, through every guard again, once the pause is lifted or becomes less
 *   restrictive, in the order the clients were postponed;
 * - replicas and our master's stream are never paused;
 * - while paused, keys are neither expired (they read as missing but stay, as on a replica) nor
 *   evicted.
 */

import { ClientFlag, ExtKey, getExt, setExt, type ClientContext, type ServerContext } from './dispatch/context.js';
import type { FeatureHost, ServerFeature } from './feature-contract.js';

export const PauseMode = { OFF: 0, WRITE: 1, ALL: 2 } as const;
export type PauseModeValue = (typeof PauseMode)[keyof typeof PauseMode];
export type PausePurpose = 'client' | 'shutdown';

interface Postponed {
  readonly c: ClientContext;
  readonly argv: string[];
}

interface PauseState {
  readonly purposes: Map<PausePurpose, { mode: PauseModeValue; end: number }>;
  mode: PauseModeValue;
  end: number;
  postponed: Postponed[];
}

const STATE = new ExtKey<PauseState>('pause.state');

function state(server: ServerContext): PauseState {
  let st = getExt(server.ext, STATE);
  if (st === undefined) {
    st = { purposes: new Map(), mode: PauseMode.OFF, end: 0, postponed: [] };
    setExt(server.ext, STATE, st);
  }
  return st;
}

/** Recomputes the effective pause; a less restrictive one releases the postponed clients. */
function update(server: ServerContext, st: PauseState): void {
  const now = Date.now();
  const old = st.mode;
  let mode: PauseModeValue = PauseMode.OFF;
  for (const [purpose, p] of st.purposes) {
    if (p.end < now) st.purposes.delete(purpose);
    else if (p.mode > mode) mode = p.mode;
  }
  let end = 0;
  for (const p of st.purposes.values()) if (p.mode === mode && p.end > end) end = p.end;
  st.mode = mode;
  st.end = end;
  server.dispatcher.pauseMode = mode;
  server.keyspace.expiryPaused = mode !== PauseMode.OFF;
  if (mode < old) releasePostponed(server, st);
}

/**
 * Pauses clients until `end` (ms since the epoch) for `purpose`; an existing pause of the same
 * purpose keeps the more restrictive mode and the later end.
 */
export function pauseClients(server: ServerContext, purpose: PausePurpose, mode: PauseModeValue, end: number): void {
  const st = state(server);
  const p = st.purposes.get(purpose);
  if (p === undefined) st.purposes.set(purpose, { mode, end });
  else {
    p.mode = Math.max(p.mode, mode) as PauseModeValue;
    p.end = Math.max(p.end, end);
  }
  update(server, st);
}

export function unpauseClients(server: ServerContext, purpose: PausePurpose): void {
  const st = state(server);
  if (!st.purposes.delete(purpose)) return;
  update(server, st);
}

/** True while clients are paused (any purpose). */
export function clientsPaused(server: ServerContext): boolean {
  return state(server).mode !== PauseMode.OFF;
}

/** True when `c` is postponed by a pause (CLIENT UNBLOCK leaves such clients alone). */
export function isPostponed(c: ClientContext): boolean {
  return getExt(c.server.ext, STATE)?.postponed.some((p) => p.c === c) === true;
}

function postpone(server: ServerContext, c: ClientContext, argv: string[]): void {
  c.flags |= ClientFlag.BLOCKED;
  state(server).postponed.push({ c, argv });
}

/** Runs the postponed commands again (each may be postponed anew), in postponement order. */
function releasePostponed(server: ServerContext, st: PauseState): void {
  if (st.postponed.length === 0) return;
  const list = st.postponed;
  st.postponed = [];
  // After the current command (a CLIENT UNPAUSE) has replied, as Redis reprocesses them in beforeSleep.
  setImmediate(() => {
    for (const { c, argv } of list) {
      if (!server.clients.has(c.id)) continue;
      c.flags &= ~ClientFlag.BLOCKED;
      server.keyspace.now = Date.now();
      server.dispatcher.execute(c, argv);
      c.requestFlush();
      if (!(c.flags & ClientFlag.BLOCKED)) c.resume();
    }
  });
}

export const PAUSE_FEATURE: ServerFeature = {
  name: 'pause',
  install(host: FeatureHost) {
    const st = state(host);
    host.dispatcher.hooks.postpone = (c, argv) => postpone(host, c, argv);
    host.onCron(() => {
      if (st.mode !== PauseMode.OFF && st.end < Date.now()) update(host, st);
    });
    host.onClientClose((c) => {
      if (st.postponed.length > 0) st.postponed = st.postponed.filter((p) => p.c !== c);
    });
    host.ext.set('pause.count', () => st.postponed.length);
  },
};
