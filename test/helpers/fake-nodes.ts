/**
 * Scripted nodes for the dashboard's tests (on fake-resp-server): each answers INFO from a mutable
 * FakeNode (role, counters, replicas or its master) and RINGCACHE.HOTKEYS from its hot list, or an
 * unknown-command error like real Redis when the list is null; a silent node never answers.
 * Every server made here is recorded in the `servers` array the caller passes, which closes them.
 */

import { resp, startFakeServer, type FakeServer } from './fake-resp-server.js';

export interface FakeNode {
  role: 'master' | 'slave';
  total: number;
  hot: [string, number][] | null;
  master?: number;
  replicas?: number[];
  /** Master: the replicas' INFO `lag=` (seconds since their last ack); 0 when unset. */
  lag?: number;
  memory?: number;
  keys?: number;
}

export function fakeInfo(n: FakeNode): string {
  const lines = [
    `role:${n.role}`, `total_commands_processed:${n.total}`, 'instantaneous_ops_per_sec:7', `used_memory:${n.memory ?? 2048}`,
    'connected_clients:3', 'keyspace_hits:3', 'keyspace_misses:1', `db0:keys=${n.keys ?? 5},expires=0,avg_ttl=0`,
  ];
  if (n.master !== undefined) lines.push('master_host:127.0.0.1', `master_port:${n.master}`, 'master_link_status:up', 'slave_repl_offset:80');
  else lines.push('master_repl_offset:100');
  (n.replicas ?? []).forEach((p, i) => lines.push(`slave${i}:ip=127.0.0.1,port=${p},state=online,offset=80,lag=${n.lag ?? 0}`));
  return resp.bulk(lines.join('\r\n'));
}

export async function fakeNode(n: FakeNode, servers: FakeServer[]): Promise<FakeServer> {
  const s = await startFakeServer((argv) => {
    const name = argv[0]!.toUpperCase();
    if (name === 'INFO') return fakeInfo(n);
    if (name === 'RINGCACHE.HOTKEYS') return n.hot === null ? resp.err(`ERR unknown command '${argv[0]}', with args beginning with: `) : resp.value(n.hot);
    return resp.err('ERR unexpected');
  });
  servers.push(s);
  return s;
}

export async function silentNode(servers: FakeServer[]): Promise<FakeServer> {
  const s = await startFakeServer(() => null);
  servers.push(s);
  return s;
}
