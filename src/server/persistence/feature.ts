/**
 * Installs persistence into the server: the Persistence state, keyspace hooks (background saves
 * follow changes; FLUSHALL/FLUSHDB/SWAPDB restart them), loading at start, flush and save at
 * shutdown, the cron, the -MISCONF guard and the INFO persistence section.
 */

import { setInfoSection } from '../handlers/info.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { attachPersistence } from './persistence.js';
import { persistenceInfo } from './persistence-info.js';
import { loadAtStart } from './startup-load.js';
import { debugLoadAof } from './debug-loadaof.js';
import type { ClientContext } from '../dispatch/context.js';

export const PERSISTENCE_FEATURE: ServerFeature = {
  name: 'persistence',
  install(server: FeatureHost) {
    const p = attachPersistence(server);
    server.keyspace.addHooks({
      keyModified: (db, key) => p.keyModified(db, key),
      stateChanged: (db, key) => p.keyModified(db, key),
      flushed: () => p.invalidated(),
      swapped: () => p.invalidated(),
    });
    server.dispatcher.hooks.refuseWrites = () => p.refuseWrites();
    server.ext.set('debug.loadaof', (c: ClientContext) => debugLoadAof(p, c));
    setInfoSection(server, 'persistence', persistenceInfo);
    server.onStart(() => loadAtStart(p));
    server.onCron(() => p.cron());
    server.addShutdownParticipant({ persist: (req) => p.shutdown(req) });
    server.onShutdown(() => p.close());
  },
};
