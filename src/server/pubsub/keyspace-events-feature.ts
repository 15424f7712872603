/**
 * Installs keyspace notifications: keeps the keyspace's class mask in step with
 * `notify-keyspace-events`, and publishes `expired`/`evicted` events from the keyspace hooks and
 * `new` events from key creation.
 * Write sites publish their own events through keyspace-events.ts.
 */

import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import type { Db } from '../keyspace/db.js';
import { Notify, notifyDb, parseNotifyClasses } from './keyspace-events.js';

export const NOTIFY_FEATURE: ServerFeature = {
  name: 'notify',
  install(host: FeatureHost) {
    // The `new` event (Redis dbAdd): every key creation, before the command's own event.
    const onNewKey = (db: Db, key: string): void => {
      if (!host.loading) notifyDb(host, Notify.NEW, 'new', key, db.id, host.dispatcher.current);
    };
    host.config.watch('notify-keyspace-events', (v) => {
      const mask = parseNotifyClasses(String(v));
      host.keyspace.notifyMask = mask;
      host.keyspace.onNewKey = mask & Notify.NEW ? onNewKey : null;
    });
    host.keyspace.addHooks({
      keyExpired(db, key) {
        if (host.keyspace.notifyMask & Notify.EXPIRED) notifyDb(host, Notify.EXPIRED, 'expired', key, db.id);
      },
      keyEvicted(db, key) {
        if (host.keyspace.notifyMask & Notify.EVICTED) notifyDb(host, Notify.EVICTED, 'evicted', key, db.id);
      },
    });
  },
};
