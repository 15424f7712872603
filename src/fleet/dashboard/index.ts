/**
 * The fleet dashboard (`ringcache-fleet dashboard`, `ringcache-fleet up --dashboard-port`): a
 * collector polling the nodes and Sentinels, and the web page that shows it live. `openDashboard`
 * starts both; `close` stops polling, ends every page's stream and closes every connection.
 */

import { Collector, type CollectorOptions } from './collector.js';
import { startDashboardServer } from './http-server.js';
import type { DashboardTargets } from './targets.js';

export { Collector } from './collector.js';
export type { Snapshot, CollectorOptions } from './collector.js';
export type { NodeView } from './node-poller.js';
export { fromFleetDir, fromNodeList, fromSentinels, type DashboardTargets } from './targets.js';

export interface Dashboard {
  url: string;
  port: number;
  collector: Collector;
  close(): Promise<void>;
}

export async function openDashboard(targets: DashboardTargets, o: CollectorOptions & { port: number; bind?: string }): Promise<Dashboard> {
  const collector = new Collector(targets, o);
  const server = await startDashboardServer(collector, o.bind === undefined ? { port: o.port } : { port: o.port, bind: o.bind });
  collector.start();
  return {
    url: server.url,
    port: server.port,
    collector,
    close: async () => {
      collector.stop();
      await server.close();
    },
  };
}
