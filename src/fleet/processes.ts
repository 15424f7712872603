/**
 * The fleet's processes: each node and Sentinel is `ringcache-server <conf> [--sentinel]` in its
 * own directory with its own config file (so CONFIG REWRITE and Sentinel persist their state),
 * started detached (it outlives the `up` command) with stdout/stderr appended to `<dir>.log`; the
 * dashboard is `ringcache-fleet dashboard --dir <fleet dir>`, started the same way.
 * Stopping is by pid only: SIGTERM, then SIGKILL after a grace period.
 */

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FleetOptions, ProcessEntry } from './layout.js';

const SERVER_BIN = fileURLToPath(new URL('../bin/ringcache-server.js', import.meta.url));
const FLEET_BIN = fileURLToPath(new URL('../bin/ringcache-fleet.js', import.meta.url));

function persistenceLines(p: FleetOptions['persistence']): string[] {
  if (p === 'aof') return ['appendonly yes', 'save ""'];
  if (p === 'snapshot') return ['appendonly no', 'save 3600 1 300 100 60 10000'];
  return ['appendonly no', 'save ""'];
}

/** The config file of one process. */
export function configText(o: FleetOptions, e: ProcessEntry, all: readonly ProcessEntry[]): string {
  const lines = [`port ${e.port}`, 'bind 127.0.0.1', `dir ${e.dir}`];
  if (e.kind === 'sentinel') {
    const quorum = Math.floor(o.sentinels / 2) + 1;
    for (const m of all.filter((p) => p.kind === 'master')) {
      lines.push(
        `sentinel monitor ${m.shard} 127.0.0.1 ${m.port} ${quorum}`,
        `sentinel down-after-milliseconds ${m.shard} ${o.downAfterMs}`,
        `sentinel failover-timeout ${m.shard} ${o.failoverTimeoutMs}`,
      );
    }
  } else {
    lines.push(...persistenceLines(o.persistence));
    if (e.kind === 'replica') {
      const m = all.find((p) => p.kind === 'master' && p.shard === e.shard)!;
      lines.push(`replicaof 127.0.0.1 ${m.port}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Starts one process detached; returns its pid. */
export function startProcess(o: FleetOptions, e: ProcessEntry, all: readonly ProcessEntry[]): number {
  mkdirSync(e.dir, { recursive: true });
  const conf = join(e.dir, e.kind === 'sentinel' ? 'sentinel.conf' : 'node.conf');
  writeFileSync(conf, configText(o, e, all));
  const log = openSync(e.log, 'a');
  try {
    const args = [SERVER_BIN, conf, ...(e.kind === 'sentinel' ? ['--sentinel'] : [])];
    const child = spawn(process.execPath, args, { cwd: e.dir, detached: true, stdio: ['ignore', log, log] });
    child.unref();
    return child.pid ?? 0;
  } finally {
    closeSync(log);
  }
}

/** Starts the fleet's dashboard detached (after fleet.json is written: it reads it); returns its pid. */
export function startDashboard(o: FleetOptions, e: ProcessEntry, bind: string): number {
  mkdirSync(e.dir, { recursive: true });
  const log = openSync(e.log, 'a');
  try {
    const args = [FLEET_BIN, 'dashboard', '--dir', o.dir, '--port', String(e.port), '--bind', bind];
    const child = spawn(process.execPath, args, { cwd: e.dir, detached: true, stdio: ['ignore', log, log] });
    child.unref();
    return child.pid ?? 0;
  } finally {
    closeSync(log);
  }
}

export function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM the processes, SIGKILL whatever still runs after `graceMs`. */
export async function stopAll(pids: readonly number[], graceMs: number): Promise<void> {
  for (const pid of pids) {
    if (!alive(pid)) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone meanwhile */
    }
  }
  const end = Date.now() + graceMs;
  while (Date.now() < end && pids.some(alive)) await sleep(50);
  for (const pid of pids) {
    if (!alive(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
  const hard = Date.now() + 2000;
  while (Date.now() < hard && pids.some(alive)) await sleep(20);
}
