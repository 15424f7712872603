/**
 * The contract between the server and its feature modules (pub/sub, transactions, tracking,
 * blocking, eviction, persistence, replication): what a module receives when it is installed.
 * A leaf file, types only, so feature modules depend on it and never on server.ts or on the list
 * of installed features (installed-features.ts).
 */

import type { ClientContext, ServerContext, ShutdownRequest } from './dispatch/context.js';

/**
 * A feature's part in the shutdown sequence (server/shutdown.ts). Each method is optional; they
 * are called in install order.
 */
export interface ShutdownParticipant {
  /** True when nothing needs waiting for (every replica acknowledged our replication offset). */
  readyToExit?(): boolean;
  /** Starts what `readyToExit` waits for (REPLCONF GETACK to the replicas). */
  prepareExit?(): void;
  /** Logs what is lost by exiting now (lagging replicas). */
  reportLag?(): void;
  /** Makes the dataset durable (AOF flush + fsync, final snapshot); false when that failed. */
  persist?(req: ShutdownRequest): boolean;
}

/** @internal The server's lifecycle hooks that feature modules may register (shutdown flush, cron tick…). */
export interface ServerLifecycle {
  /** Runs on every cron tick (hz times a second). */
  onCron(fn: () => void): void;
  /**
   * Runs once the node has decided to exit (after `ShutdownParticipant.persist` succeeded): stop
   * timers and links. `save` is true for SAVE, false for NOSAVE, null otherwise.
   */
  onShutdown(fn: (save: boolean | null) => Promise<void> | void): void;
  /** Registers a feature's part in the shutdown sequence (persistence, replication). */
  addShutdownParticipant(p: ShutdownParticipant): void;
  /** Runs after the listener is bound, before "Ready to accept connections" (loading data…). */
  onStart(fn: () => Promise<void> | void): void;
  /** Runs when a client disconnects. */
  onClientClose(fn: (c: ClientContext) => void): void;
  /** Runs on RESET (drop MULTI, subscriptions, tracking…). */
  onClientReset(fn: (c: ClientContext) => void): void;
}

/** What a feature module receives at install time. */
export interface FeatureHost extends ServerContext, ServerLifecycle {}

export interface ServerFeature {
  readonly name: string;
  install(server: FeatureHost): void;
}
