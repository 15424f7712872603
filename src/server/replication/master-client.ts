/**
 * The client our master's command stream runs as: flagged MASTER (so the read-only, OOM and
 * MISCONF guards let its writes through), replies discarded. It has no socket of its own; the
 * master link (replica.ts) owns the connection.
 */

import { ReplyWriter } from '../../protocol/reply-writer.js';
import type { CommandSpec } from '../../commands/spec.js';
import { ClientFlag, type ClientContext, type ServerContext } from '../dispatch/context.js';
import type { Db } from '../keyspace/db.js';

/** Ids of internal clients count down from here, clear of the sessions' ids. */
let nextId = 1_000_000_000;

export class MasterClient implements ClientContext {
  readonly id = nextId++;
  name = '';
  db: Db;
  readonly reply = new ReplyWriter();
  authenticated = true;
  flags = ClientFlag.MASTER;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  readonly fd = -1;
  readonly queryBufferBytes = 0;
  readonly outputBufferBytes = 0;
  spec: CommandSpec | null = null;
  argv: string[] = [];
  propagateAs: string[][] | null = null;
  readonly ext = new Map<string, unknown>();

  constructor(
    readonly server: ServerContext,
    readonly addr: string,
    readonly laddr: string,
  ) {
    this.db = server.keyspace.dbs[0]!;
  }

  close(): void {}

  requestFlush(): void {
    this.reply.discard();
  }

  resume(): void {}
}
