/**
 * A local fleet's layout: which processes `ringcache-fleet up` starts (shard masters, their
 * replicas, Sentinels), their names, ports and directories, and the two files it writes in the
 * fleet directory: `fleet.json` (what a RingClient needs: `{ shards, sentinels, masters }`) and
 * `processes.json` (what status/down need: every process with its pid).
 *
 * Ports: data nodes take base-port, base-port+1, … (masters first); Sentinels base-port+1000, ….
 * Base port 0 picks free ephemeral ports. The dashboard (when asked for) is one more process,
 * recorded in processes.json only (fleet.json stays what a RingClient takes).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Persistence = 'aof' | 'snapshot' | 'none';

export interface FleetOptions {
  dir: string;
  shards: number;
  replicas: number;
  sentinels: number;
  basePort: number;
  persistence: Persistence;
  downAfterMs: number;
  failoverTimeoutMs: number;
  /** `--dashboard-port`: the dashboard started with the fleet (port 0 picks a free one), or null. */
  dashboard?: { port: number; bind: string } | null;
}

export interface ProcessEntry {
  name: string;
  kind: 'master' | 'replica' | 'sentinel' | 'dashboard';
  /** Shard name (data nodes). */
  shard: string | null;
  port: number;
  pid: number;
  /** Working and data directory of the process; its log is `<dir>.log`. */
  dir: string;
  log: string;
}

export interface FleetFile {
  shards: { name: string; master: string; replicas: string[] }[];
  sentinels: string[];
  masters: string[];
}

export const FLEET_FILE = 'fleet.json';
export const PROCESSES_FILE = 'processes.json';

/** Shard names: s1, s2, … (the ring's identity: a failover never moves keys). */
export function shardName(i: number): string {
  return `s${i + 1}`;
}

/** Every process of the fleet, in start order (masters, replicas, Sentinels), pids unset. */
export function plan(o: FleetOptions, ports: readonly number[]): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  let k = 0;
  const entry = (name: string, kind: ProcessEntry['kind'], shard: string | null): ProcessEntry => {
    const dir = join(o.dir, name);
    return { name, kind, shard, port: ports[k++]!, pid: 0, dir, log: `${dir}.log` };
  };
  for (let s = 0; s < o.shards; s++) out.push(entry(`${shardName(s)}-master`, 'master', shardName(s)));
  for (let r = 0; r < o.replicas; r++) {
    for (let s = 0; s < o.shards; s++) out.push(entry(`${shardName(s)}-replica${r + 1}`, 'replica', shardName(s)));
  }
  for (let i = 0; i < o.sentinels; i++) out.push(entry(`sentinel${i + 1}`, 'sentinel', null));
  return out;
}

/** The ports `plan` needs when the base port is fixed. */
export function fixedPorts(o: FleetOptions): number[] {
  const nodes = o.shards * (1 + o.replicas);
  const out: number[] = [];
  for (let i = 0; i < nodes; i++) out.push(o.basePort + i);
  for (let i = 0; i < o.sentinels; i++) out.push(o.basePort + 1000 + i);
  return out;
}

export function fleetFile(procs: readonly ProcessEntry[]): FleetFile {
  const addr = (p: ProcessEntry): string => `127.0.0.1:${p.port}`;
  const masters = procs.filter((p) => p.kind === 'master');
  return {
    shards: masters.map((m) => ({
      name: m.shard!,
      master: addr(m),
      replicas: procs.filter((p) => p.kind === 'replica' && p.shard === m.shard).map(addr),
    })),
    sentinels: procs.filter((p) => p.kind === 'sentinel').map(addr),
    masters: masters.map((m) => m.shard!),
  };
}

export function writeJson(dir: string, file: string, value: unknown): void {
  writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
}

/** The recorded processes, or null when the directory holds no fleet. */
export function readProcesses(dir: string): ProcessEntry[] | null {
  try {
    return JSON.parse(readFileSync(join(dir, PROCESSES_FILE), 'utf8')) as ProcessEntry[];
  } catch {
    return null;
  }
}
