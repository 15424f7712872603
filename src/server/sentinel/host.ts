/**
 * What Sentinel's parts (monitoring, hello, failure detection, election, failover, commands)
 * receive from the Sentinel that owns them: its state, events, config persistence and instance
 * bookkeeping. A leaf of types, so the parts never import sentinel.ts.
 */

import type { Logger } from '../util/log.js';
import type { Addr, Instance, SentinelState } from './state.js';

export type EventLevel = 'debug' | 'verbose' | 'notice' | 'warning';

export interface SentinelHost {
  readonly state: SentinelState;
  readonly log: Logger;
  /** Our listening port (hello's default announce port). */
  readonly port: number;
  /**
   * Logs `<type> <details>[ <extra>]` and publishes it on channel `type` (not debug ones), as
   * Redis sentinelEvent; `ri` null gives just `extra`.
   */
  event(level: EventLevel, type: string, ri: Instance | null, extra?: string): void;
  /** Rewrites the config file with the current state (Redis sentinelFlushConfig). */
  flushConfig(): void;
  /** A new replica or Sentinel of `master`, with its link (Redis createSentinelRedisInstance). */
  addInstance(master: Instance, flags: number, name: string, addr: Addr): Instance;
  /** Drops a replica or Sentinel of `master` and closes its link. */
  dropInstance(ri: Instance): void;
  /** Redis sentinelResetMasterAndChangeAddress. */
  resetMasterAndChangeAddress(master: Instance, host: string, port: number): void;
  /** Redis sentinelResetMaster: forget replicas (and Sentinels unless keepSentinels), drop state. */
  resetMaster(master: Instance, keepSentinels: boolean): void;
}
