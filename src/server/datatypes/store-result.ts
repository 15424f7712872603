/**
 * How a STORE form (SORT … STORE, GEOSEARCHSTORE, GEORADIUS … STORE) writes its destination, as
 * Redis does: a non-empty result replaces whatever the key held, TTL included (setKey), is
 * signalled (WATCH, tracking), announced with the command's event and counts `count` changes; an
 * empty result deletes the destination, announced as `del`, one change — and does nothing when
 * there was no destination.
 */

import type { ClientContext } from '../dispatch/context.js';
import type { StoredValue, ValueType } from '../keyspace/entry.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';

export interface StoreEvent {
  /** Keyspace-event class of the stored type (Notify.LIST, Notify.ZSET…). */
  readonly type: number;
  readonly event: string;
}

/** Stores `value` (holding `count` elements) at `key`, or deletes `key` when count is 0. */
export function storeResult(c: ClientContext, key: string, type: ValueType, value: StoredValue, count: number, ev: StoreEvent): void {
  if (count === 0) return deleteDestination(c, key);
  const existing = c.db.lookupWrite(key);
  if (existing !== undefined) c.db.remove(existing);
  c.db.add(key, type, value);
  c.server.keyspace.signalModified(c.db, key);
  notify(c, ev.type, ev.event, key);
  c.server.dirty += count;
}

/** Deletes a STORE destination (an empty result, or a missing source: Redis's early return). */
export function deleteDestination(c: ClientContext, key: string): void {
  if (c.db.delete(key)) {
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.GENERIC, 'del', key);
    c.server.dirty++;
  }
}
