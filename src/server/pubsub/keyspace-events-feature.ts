/**
 * Installs keyspace notifications: keeps the keyspace's class mask in step with
 * `notify-keyspace-events`, and publishes `expired`/`evicted` events from the keyspace hooks.
 * Write sites publish their own events through keyspace-events.ts.
 */

import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { Notify, notifyDb, parseNotifyClasses } from './keyspace-events.js';

export const NOTIFY_FEATURE: ServerFeature = {
  name: 'notify',
  install(host: FeatureHost) {
    host.config.watch('notify-keyspace-events', (v) => (host.keyspace.notifyMask = parseNotifyClasses(String(v))));
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
