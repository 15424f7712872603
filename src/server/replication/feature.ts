/**
 * Installs replication into the server: the propagation sink, keyspace hooks (full syncs in
 * progress follow changes like background saves), the role at start, WAIT timeouts on the cron,
 * stream-less session cleanup, the -MASTERDOWN guard (replica-serve-stale-data no), the INFO
 * replication section and the sync counters INFO stats reads.
 */

import { setInfoSection } from '../handlers/info.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { replication } from './replication.js';
import { replicationInfo } from './repl-info.js';

const MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

export const REPLICATION_FEATURE: ServerFeature = {
  name: 'replication',
  install(server: FeatureHost) {
    const r = replication(server);
    server.sinks.push(r.primary);
    server.keyspace.addHooks({
      keyModified: (db, key) => r.primary.keyModified(db, key),
      stateChanged: (db, key) => r.primary.keyModified(db, key),
      flushed: () => r.primary.invalidated(),
      swapped: () => r.primary.invalidated(),
    });
    server.config.watch('repl-backlog-size', (v) => r.state.backlog.resize(Number(v)));
    server.dispatcher.hooks.refuseStale = () =>
      server.role === 'replica' && r.link?.up !== true && !server.config.bool('replica-serve-stale-data') ? MASTERDOWN : null;
    setInfoSection(server, 'replication', replicationInfo);
    server.ext.set('repl.syncFull', () => r.state.syncFull);
    server.ext.set('repl.syncPartialOk', () => r.state.syncPartialOk);
    server.ext.set('repl.syncPartialErr', () => r.state.syncPartialErr);
    server.onStart(() => r.startRole());
    server.onCron(() => r.primary.checkWaiters());
    server.onClientClose((c) => r.primary.clientClosed(c));
    server.addShutdownParticipant({
      readyToExit: () => r.primary.allAcked(),
      prepareExit: () => r.primary.requestAcks(),
      reportLag: () => r.primary.reportLag(),
    });
    server.onShutdown(() => {
      // Best effort: the last stream bytes leave before the replica links close.
      r.primary.flush();
      r.stop();
    });
  },
};
