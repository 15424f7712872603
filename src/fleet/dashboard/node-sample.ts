/**
 * What one poll of a node says, read from its INFO text and its RINGCACHE.HOTKEYS reply (pure
 * functions; ringcache-server and real Redis alike). Counters stay raw here: rates (ops/s) come
 * from two samples in `rates`, so a node's figures never depend on the dashboard's clock alone.
 */

import { ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { infoFields } from '../probe.js';

export interface ReplicaLink {
  addr: string;
  state: string;
  offset: number;
  /** Seconds since the replica's last ack (INFO's lag=). */
  lag: number;
}

export interface NodeSample {
  role: 'master' | 'replica' | 'unknown';
  totalCommands: number;
  instantaneousOps: number;
  usedMemory: number;
  keys: number;
  keysPerDb: Record<string, number>;
  hits: number;
  misses: number;
  clients: number;
  replOffset: number;
  /** Replica: its master's address, link state and seconds since the master's last I/O. */
  masterAddr: string | null;
  linkStatus: string | null;
  lastIoSecondsAgo: number | null;
  /** Master: its replicas as it sees them. */
  replicas: ReplicaLink[];
}

/** `a=1,b=x` (INFO's keyspace and slaveN values) as a map. */
function subFields(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i), part.slice(i + 1));
  }
  return out;
}

function num(v: string | undefined): number {
  const n = Number(v);
  return v === undefined || !Number.isFinite(n) ? 0 : n;
}

export function parseInfo(text: string): NodeSample {
  const f = infoFields(text);
  const role = f.get('role');
  const keysPerDb: Record<string, number> = {};
  let keys = 0;
  const replicas: ReplicaLink[] = [];
  for (const [k, v] of f) {
    if (/^db\d+$/.test(k)) {
      const n = num(subFields(v).get('keys'));
      keysPerDb[k] = n;
      keys += n;
    } else if (/^slave\d+$/.test(k)) {
      const s = subFields(v);
      replicas.push({ addr: `${s.get('ip') ?? '?'}:${s.get('port') ?? '?'}`, state: s.get('state') ?? '?', offset: num(s.get('offset')), lag: num(s.get('lag')) });
    }
  }
  const isReplica = role === 'slave';
  return {
    role: role === 'master' ? 'master' : isReplica ? 'replica' : 'unknown',
    totalCommands: num(f.get('total_commands_processed')),
    instantaneousOps: num(f.get('instantaneous_ops_per_sec')),
    usedMemory: num(f.get('used_memory')),
    keys,
    keysPerDb,
    hits: num(f.get('keyspace_hits')),
    misses: num(f.get('keyspace_misses')),
    clients: num(f.get('connected_clients')),
    replOffset: num(f.get(isReplica ? 'slave_repl_offset' : 'master_repl_offset')),
    masterAddr: isReplica ? `${f.get('master_host') ?? '?'}:${f.get('master_port') ?? '?'}` : null,
    linkStatus: isReplica ? (f.get('master_link_status') ?? null) : null,
    lastIoSecondsAgo: isReplica && f.has('master_last_io_seconds_ago') ? num(f.get('master_last_io_seconds_ago')) : null,
    replicas,
  };
}

/**
 * RINGCACHE.HOTKEYS's reply ([key, count] pairs, hottest first) as pairs; null when the node does
 * not have the command (real Redis: an unknown-command error) or answers something else.
 */
export function parseHotKeys(reply: RespValue | undefined): [string, number][] | null {
  if (reply === undefined || reply instanceof ReplyError || !Array.isArray(reply)) return null;
  const out: [string, number][] = [];
  for (const pair of reply) {
    if (!Array.isArray(pair) || pair.length < 2) return null;
    out.push([String(pair[0]), Number(pair[1])]);
  }
  return out;
}
