/**
 * What the dashboard watches, from one of three sources: a fleet directory (`ringcache-fleet up`'s
 * fleet.json: shards with names, masters and replicas, and the Sentinels), a node list
 * (`[name=]host:port,…`: a named node is a shard's master; an unnamed master is a shard named by its
 * address; replicas take their master's shard once polled), or Sentinels with master names (shards
 * discovered). Shard names and weights are the ring's identity, as for RingClient.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FleetError } from '../../errors.js';
import type { RingShard } from '../../ring/index.js';
import { FLEET_FILE } from '../layout.js';
import { parseAddress } from './resp-link.js';

export interface DashboardTargets {
  /** Known nodes: address → shard name ('' until known). */
  nodes: { addr: string; shard: string }[];
  /** The ring's shards (more may be discovered). */
  shards: RingShard[];
  sentinels: string[];
  /** Sentinel master names to follow (null: every master the Sentinels monitor). */
  masterNames: string[] | null;
  vnodes: number;
  /** AUTH arguments for the data nodes and for the Sentinels ([password] or [user, password]). */
  auth?: string[] | null;
  sentinelAuth?: string[] | null;
}

interface FleetJson {
  shards?: { name: string; master: string; replicas?: string[]; weight?: number }[];
  sentinels?: string[];
}

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function checked(addr: string): string {
  const a = parseAddress(addr);
  return `${a.host}:${a.port}`;
}

export function fromFleetDir(dir: string, vnodes = 150): DashboardTargets {
  let file: FleetJson;
  try {
    file = JSON.parse(readFileSync(join(dir, FLEET_FILE), 'utf8')) as FleetJson;
  } catch (err) {
    throw new FleetError(`no fleet in ${dir}: ${FLEET_FILE} unreadable (${err instanceof Error ? err.message : String(err)})`);
  }
  const shards = file.shards ?? [];
  const nodes: DashboardTargets['nodes'] = [];
  for (const s of shards) {
    nodes.push({ addr: checked(s.master), shard: s.name });
    for (const r of s.replicas ?? []) nodes.push({ addr: checked(r), shard: s.name });
  }
  return {
    nodes,
    shards: shards.map((s) => (s.weight === undefined ? { name: s.name } : { name: s.name, weight: s.weight })),
    sentinels: (file.sentinels ?? []).map(checked),
    masterNames: shards.length > 0 ? shards.map((s) => s.name) : null,
    vnodes,
  };
}

/** `[name=]host:port,…`. */
export function fromNodeList(text: string, vnodes = 150): DashboardTargets {
  const nodes: DashboardTargets['nodes'] = [];
  const shards: RingShard[] = [];
  for (const item of list(text)) {
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq) : '';
    nodes.push({ addr: checked(eq > 0 ? item.slice(eq + 1) : item), shard: name });
    if (name !== '' && !shards.some((s) => s.name === name)) shards.push({ name });
  }
  if (nodes.length === 0) throw new FleetError('--nodes needs at least one host:port');
  return { nodes, shards, sentinels: [], masterNames: null, vnodes };
}

export function fromSentinels(sentinels: string, masterNames: string | undefined, vnodes = 150): DashboardTargets {
  const s = list(sentinels).map(checked);
  if (s.length === 0) throw new FleetError('--sentinels needs at least one host:port');
  const names = masterNames === undefined ? null : list(masterNames);
  return { nodes: [], shards: (names ?? []).map((name) => ({ name })), sentinels: s, masterNames: names, vnodes };
}
