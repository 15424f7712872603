/**
 * Keyspace notifications (Redis 7.0 notify.c): `notify-keyspace-events` parsed into class bits,
 * and `notify()`, which write sites call with Redis's event name in the order Redis calls
 * notifyKeyspaceEvent. An event of an enabled class is published as PUBLISH would:
 * `__keyspace@<db>__:<key>` with the event as message (K) and `__keyevent@<db>__:<event>` with
 * the key (E). The mask lives on the keyspace so a write site costs one bit test when off.
 *
 * The feature that installs them is keyspace-events-feature.ts.
 * Built: g $ l h s z x e t n (docs/server.md lists the events); m (keymiss) is not.
 */

import type { ClientContext, ServerContext } from '../dispatch/context.js';
import { publish } from './pubsub.js';

export const Notify = {
  KEYSPACE: 1 << 0,
  KEYEVENT: 1 << 1,
  GENERIC: 1 << 2,
  STRING: 1 << 3,
  LIST: 1 << 4,
  SET: 1 << 5,
  HASH: 1 << 6,
  ZSET: 1 << 7,
  EXPIRED: 1 << 8,
  EVICTED: 1 << 9,
  STREAM: 1 << 10,
  KEY_MISS: 1 << 11,
  MODULE: 1 << 12,
  NEW: 1 << 13,
} as const;

const CLASS_BITS: Record<string, number> = {
  K: Notify.KEYSPACE,
  E: Notify.KEYEVENT,
  g: Notify.GENERIC,
  $: Notify.STRING,
  l: Notify.LIST,
  s: Notify.SET,
  h: Notify.HASH,
  z: Notify.ZSET,
  x: Notify.EXPIRED,
  e: Notify.EVICTED,
  t: Notify.STREAM,
  m: Notify.KEY_MISS,
  d: Notify.MODULE,
  n: Notify.NEW,
};
/** `A`: every class but key-miss and new-key (Redis NOTIFY_ALL). */
const ALL = Notify.GENERIC | Notify.STRING | Notify.LIST | Notify.SET | Notify.HASH | Notify.ZSET | Notify.EXPIRED | Notify.EVICTED | Notify.STREAM | Notify.MODULE;

/** Class bits of a `notify-keyspace-events` value (already validated by the config table). */
export function parseNotifyClasses(text: string): number {
  let mask = 0;
  for (const ch of text) mask |= ch === 'A' ? ALL : (CLASS_BITS[ch] ?? 0);
  return mask;
}

/** Publishes one event for `key` of database `dbId` when its class is enabled (Redis notifyKeyspaceEvent). */
export function notifyDb(server: ServerContext, type: number, event: string, key: string, dbId: number, self: ClientContext | null = null): void {
  const mask = server.keyspace.notifyMask;
  if (!(mask & type)) return;
  if (mask & Notify.KEYSPACE) publish(server, `__keyspace@${dbId}__:${key}`, event, self);
  if (mask & Notify.KEYEVENT) publish(server, `__keyevent@${dbId}__:${event}`, key, self);
}

/** The write-site form: an event of the running command on the client's database. */
export function notify(c: ClientContext, type: number, event: string, key: string): void {
  if (c.server.keyspace.notifyMask & type) notifyDb(c.server, type, event, key, c.db.id, c);
}
