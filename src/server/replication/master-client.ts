/**
 * The client our master's command stream runs as: flagged MASTER (so the read-only, OOM and
 * MISCONF guards let its writes through), replies discarded. It has no socket of its own; the
 * master link (replica.ts) owns the connection.
 */

import { ClientFlag, type ServerContext } from '../dispatch/context.js';
import { InternalClient } from '../dispatch/internal-client.js';

/** Ids of internal clients count down from here, clear of the sessions' ids. */
let nextId = 1_000_000_000;

export class MasterClient extends InternalClient {
  constructor(server: ServerContext, addr: string, laddr: string) {
    super(server, nextId++, ClientFlag.MASTER, addr, laddr);
  }

  /** Replies to the master's stream are never sent. */
  override requestFlush(): void {
    this.reply.discard();
  }
}
