/**
 * Replication commands: REPLICAOF / SLAVEOF, PSYNC / SYNC, REPLCONF, WAIT, ROLE. Error texts are
 * Redis 7.0's.
 */

import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { longOrReply, timeoutOrReply } from '../dispatch/args.js';
import { replication } from './replication.js';
import { roleReply } from './repl-info.js';

const INT = /^-?\d+$/;

function replicaof(c: ClientContext, argv: string[]): void {
  const r = replication(c.server);
  const [host, port] = [argv[1]!, argv[2]!];
  if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') {
    r.becomeMaster();
    return c.reply.ok();
  }
  if (c.flags & ClientFlag.REPLICA) return c.reply.error('ERR Command is not valid when client is a replica.');
  const p = Number(port);
  if (!INT.test(port) || p < 0 || p > 65535) return c.reply.error('ERR Invalid master port');
  if (r.link !== null && r.link.host === host && r.link.port === p) {
    return c.reply.simple('OK Already connected to specified master');
  }
  r.replicaOf(host, p);
  c.reply.ok();
}

function replconf(c: ClientContext, argv: string[]): void {
  if (argv.length % 2 === 0) return c.reply.error('ERR syntax error');
  const p = replication(c.server).primary;
  for (let i = 1; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    const val = argv[i + 1]!;
    if (opt === 'ack') {
      // ACKs get no reply (the link is in REPLY_OFF already; this covers the race before it).
      if (INT.test(val)) p.ack(c, Number(val));
      return;
    }
    if (opt === 'listening-port') {
      if (!INT.test(val)) return c.reply.error('ERR value is not an integer or out of range');
      p.announce(c, 'port', val);
    } else if (opt === 'ip-address') {
      p.announce(c, 'ip', val);
    } else if (opt === 'getack') {
      return;
    } else if (opt !== 'capa' && opt !== 'rdb-only' && opt !== 'rdb-filter-only') {
      return c.reply.error(`ERR Unrecognized REPLCONF option: ${argv[i]}`);
    }
  }
  c.reply.ok();
}

function psync(c: ClientContext, argv: string[], legacy = false): void {
  const r = replication(c.server);
  if (c.flags & ClientFlag.REPLICA) return;
  if (c.server.role === 'replica' && r.link?.up !== true) {
    return c.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
  }
  r.primary.psync(c, argv[1]!, argv[2] ?? '-1', legacy);
}

function wait(c: ClientContext, argv: string[]): void {
  if (c.server.role === 'replica') {
    return c.reply.error('ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.');
  }
  const needed = longOrReply(c, argv[1]!);
  if (needed === null) return;
  const timeout = timeoutOrReply(c, argv[2]!, false);
  if (timeout === null) return;
  replication(c.server).primary.wait(c, needed, timeout);
}

export const REPLICATION_HANDLERS: HandlerTable = {
  replicaof,
  slaveof: replicaof,
  replconf,
  psync,
  sync: (c) => psync(c, ['SYNC', '?', '-1'], true),
  wait,
  role: roleReply,
};
