/**
 * A client with no connection, for command streams the node runs itself: the AOF replay at
 * start-up (Redis's fake client) and our master's replication stream. Handlers see an ordinary
 * ClientContext; there is no socket, so closing, flushing and resuming do nothing unless a
 * subclass says otherwise.
 */

import { ReplyWriter } from '../../protocol/reply-writer.js';
import type { CommandSpec } from '../../commands/spec.js';
import type { Db } from '../keyspace/db.js';
import type { ClientContext, ClientUser, ServerContext } from './context.js';

export class InternalClient implements ClientContext {
  name = '';
  db: Db;
  readonly reply = new ReplyWriter();
  authenticated = true;
  /** The node's own commands are not subject to ACLs (Redis: a client with no user). */
  user: ClientUser | null = null;
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
    readonly id: number,
    public flags: number,
    readonly addr = '',
    readonly laddr = '',
  ) {
    this.db = server.keyspace.dbs[0]!;
  }

  close(): void {}

  requestFlush(): void {}

  resume(): void {}
}
