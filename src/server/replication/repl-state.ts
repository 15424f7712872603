/**
 * The replication state of one node, shared by the master side (primary.ts), the link to our own
 * master (replica.ts), the commands and INFO: replication ids, the offset space (held by the
 * backlog), and counters Redis reports (sync_full, sync_partial_ok, sync_partial_err).
 *
 * Invariant: `backlog.offset` is master_repl_offset on a master and the processed offset on a
 * replica; both advance by the exact bytes of the stream, so every node of one history shares
 * one offset space.
 */

import { randomBytes } from 'node:crypto';
import { ExtKey, getExt, setExt, type ServerContext } from '../dispatch/context.js';
import { ReplBacklog } from './backlog.js';
import { StreamEncoder } from './stream-encoder.js';

export const NULL_REPLID = '0000000000000000000000000000000000000000';

export function newReplid(): string {
  return randomBytes(20).toString('hex');
}

export class ReplState {
  replid = newReplid();
  replid2 = NULL_REPLID;
  secondOffset = -1;
  readonly backlog: ReplBacklog;
  /** Propagated commands not yet flushed to the backlog and replicas. */
  readonly pending = new StreamEncoder();
  /** The db the stream last SELECTed (-1: the next command emits SELECT). */
  streamDb = -1;
  syncFull = 0;
  syncPartialOk = 0;
  syncPartialErr = 0;

  constructor(backlogSize: number) {
    this.backlog = new ReplBacklog(backlogSize);
  }

  /** SLAVEOF NO ONE: the old history stays valid up to here as replid2 (PSYNC2). */
  promote(): void {
    this.replid2 = this.replid;
    this.secondOffset = this.backlog.offset + 1;
    this.replid = newReplid();
    this.streamDb = -1;
  }
}

const KEY = new ExtKey<ReplState>('replication.state');

export function replState(server: ServerContext): ReplState {
  let s = getExt(server.ext, KEY);
  if (s === undefined) {
    s = new ReplState(server.config.int('repl-backlog-size'));
    setExt(server.ext, KEY, s);
  }
  return s;
}
