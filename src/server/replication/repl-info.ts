/**
 * INFO replication and ROLE, in Redis 7.0's field order and formats (Sentinel parses these line
 * by line: role, slaveN ip/port, master_host exactly as given, master_link_status,
 * slave_repl_offset, slave_priority, replica_announced; see PROTOCOL-NOTES §1.3, §4.6).
 */

import type { ClientContext, ServerContext } from '../dispatch/context.js';
import { replication } from './replication.js';

type Field = [string, string | number];

function replicaLines(server: ServerContext): Field[] {
  const r = replication(server);
  const out: Field[] = [['connected_slaves', r.primary.replicas.length]];
  const now = Date.now();
  r.primary.replicas.forEach((l, i) => {
    const lag = Math.floor((now - l.ackTime) / 1000);
    out.push([`slave${i}`, `ip=${l.ip},port=${l.listeningPort},state=${l.state},offset=${l.ackOffset},lag=${lag}`]);
  });
  return out;
}

export function replicationInfo(server: ServerContext): Field[] {
  const r = replication(server);
  const st = r.state;
  const out: Field[] = [];
  const link = r.link;
  if (server.role === 'master' || link === null) {
    out.push(['role', 'master']);
  } else {
    const now = Date.now();
    const offset = link.processedOffset;
    out.push(
      ['role', 'slave'],
      ['master_host', link.host],
      ['master_port', link.port],
      ['master_link_status', link.up ? 'up' : 'down'],
      ['master_last_io_seconds_ago', link.up ? Math.floor((now - link.lastIo) / 1000) : -1],
      ['master_sync_in_progress', link.syncing ? 1 : 0],
      ['slave_read_repl_offset', offset],
      ['slave_repl_offset', offset],
    );
    if (!link.up) out.push(['master_link_down_since_seconds', Math.floor((now - link.downSince) / 1000)]);
    out.push(
      ['slave_priority', server.config.int('replica-priority')],
      ['slave_read_only', server.config.bool('replica-read-only') ? 1 : 0],
      ['replica_announced', server.config.bool('replica-announced') ? 1 : 0],
    );
  }
  out.push(...replicaLines(server));
  const active = r.primary.active || server.role === 'replica';
  out.push(
    ['master_failover_state', 'no-failover'],
    ['master_replid', st.replid],
    ['master_replid2', st.replid2],
    ['master_repl_offset', st.backlog.offset + st.pending.length],
    ['second_repl_offset', st.secondOffset],
    ['repl_backlog_active', active ? 1 : 0],
    ['repl_backlog_size', st.backlog.size],
    ['repl_backlog_first_byte_offset', active ? st.backlog.firstByteOffset : 0],
    ['repl_backlog_histlen', active ? st.backlog.histlen : 0],
  );
  return out;
}

/** ROLE: master → [master, offset, [[ip, port, offset]…]] (online replicas, port and offset as
 * bulk strings); replica → [slave, host, port, state, offset]. */
export function roleReply(c: ClientContext): void {
  const r = replication(c.server);
  const st = r.state;
  const link = r.link;
  if (c.server.role === 'master' || link === null) {
    const online = r.primary.replicas.filter((l) => l.state === 'online');
    c.reply.array(3);
    c.reply.bulk('master');
    c.reply.integer(st.backlog.offset + st.pending.length);
    c.reply.array(online.length);
    for (const l of online) c.reply.bulkArray([l.ip, String(l.listeningPort), String(l.ackOffset)]);
    return;
  }
  c.reply.array(5);
  c.reply.bulk('slave');
  c.reply.bulk(link.host);
  c.reply.integer(link.port);
  c.reply.bulk(link.state);
  c.reply.integer(link.up ? link.processedOffset : -1);
}
