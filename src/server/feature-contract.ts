/**
 * The contract between the server and its feature modules (pub/sub, transactions, tracking,
 * blocking, eviction, persistence, replication): what a module receives when it is installed.
 * A leaf file, types only, so feature modules depend on it and never on server.ts or on the list
 * of installed features (installed-features.ts).
 */

import type { ClientContext, ServerContext } from './dispatch/context.js';

/** The server's lifecycle hooks that feature modules may register (shutdown flush, cron tick…). */
export interface ServerLifecycle {
  /** Runs on every cron tick (hz times a second). */
  onCron(fn: () => void): void;
  /** Runs before the server closes (flush AOF, save snapshot…); awaited. */
  onShutdown(fn: (save: boolean | null) => Promise<void> | void): void;
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
