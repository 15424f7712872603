/**
 * ringcache-fleet's three operations on a fleet directory:
 * - `up`: refuses when a fleet recorded there still runs or a port is taken; starts the masters,
 *   then the replicas, then the Sentinels (all detached); waits until every replica is in sync
 *   and every Sentinel knows every master's replicas and the other Sentinels; writes
 *   processes.json and fleet.json; with a dashboard port, then starts the dashboard and waits until
 *   its page answers. On failure it stops what it started.
 * - `status`: per process: alive, role, port, pid, memory, link state and lag (replicas), or
 *   Sentinel's view of its masters.
 * - `down`: stops every recorded process (dashboard, then Sentinels, so none fails over meanwhile), by pid;
 *   `purge` also removes data, logs and the two files.
 */

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FleetError } from '../errors.js';
import { FLEET_FILE, PROCESSES_FILE, fixedPorts, fleetFile, plan, readProcesses, writeJson, type FleetFile, type FleetOptions, type ProcessEntry } from './layout.js';
import { ask, freePort, httpOk, info, pairs, portFree } from './probe.js';
import { alive, startDashboard, startProcess, stopAll } from './processes.js';

const STOP_GRACE_MS = 5000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, deadline: number, fn: () => Promise<boolean>): Promise<void> {
  while (Date.now() < deadline) {
    if (await fn()) return;
    await sleep(100);
  }
  throw new FleetError(`the fleet did not come up in time: ${what}`);
}

async function listening(e: ProcessEntry): Promise<boolean> {
  return (await ask(e.port, ['PING'])) === 'PONG';
}

async function ready(o: FleetOptions, procs: readonly ProcessEntry[], deadline: number): Promise<void> {
  for (const e of procs) await until(`${e.name} does not answer on port ${e.port} (see ${e.log})`, deadline, () => listening(e));
  for (const e of procs.filter((p) => p.kind === 'replica')) {
    await until(`${e.name} is not in sync`, deadline, async () => (await info(e.port, 'replication')).get('master_link_status') === 'up');
  }
  const masters = procs.filter((p) => p.kind === 'master');
  for (const s of procs.filter((p) => p.kind === 'sentinel')) {
    for (const m of masters) {
      await until(`${s.name} does not know all of ${m.shard}`, deadline, async () => {
        const f = pairs(await ask(s.port, ['SENTINEL', 'master', m.shard!]));
        return f.get('num-slaves') === String(o.replicas) && f.get('num-other-sentinels') === String(o.sentinels - 1);
      });
    }
  }
}

/** Starts a fleet; resolves with fleet.json's content. */
export async function up(o: FleetOptions, timeoutMs = 60_000): Promise<FleetFile> {
  const old = readProcesses(o.dir);
  const running = (old ?? []).filter((p) => alive(p.pid));
  if (running.length > 0) {
    throw new FleetError(`a fleet already runs in ${o.dir} (pids ${running.map((p) => p.pid).join(', ')}); run ringcache-fleet down --dir ${o.dir} first`);
  }
  const count = o.shards * (1 + o.replicas) + o.sentinels;
  const ports = o.basePort === 0 ? await Promise.all(Array.from({ length: count }, () => freePort())) : fixedPorts(o);
  for (const p of ports) if (!(await portFree(p))) throw new FleetError(`port ${p} is already in use`);
  mkdirSync(o.dir, { recursive: true });
  const board = o.dashboard ?? null;
  const boardPort = board === null ? 0 : board.port === 0 ? await freePort() : board.port;
  if (board !== null && !(await portFree(boardPort))) throw new FleetError(`dashboard port ${boardPort} is already in use`);
  const procs = plan(o, ports);
  try {
    // plan() orders masters, replicas, Sentinels: each data node answers before the next starts,
    // so replicas find their master and Sentinels find every node.
    for (const e of procs) {
      e.pid = startProcess(o, e, procs);
      writeJson(o.dir, PROCESSES_FILE, procs.filter((p) => p.pid !== 0));
      if (e.kind === 'master' || e.kind === 'replica') await until(`${e.name} does not answer (see ${e.log})`, Date.now() + timeoutMs, () => listening(e));
    }
    await ready(o, procs, Date.now() + timeoutMs);
    const file = fleetFile(procs);
    writeJson(o.dir, FLEET_FILE, file);
    if (board !== null) {
      const e: ProcessEntry = { name: 'dashboard', kind: 'dashboard', shard: null, port: boardPort, pid: 0, dir: join(o.dir, 'dashboard'), log: join(o.dir, 'dashboard.log') };
      procs.push(e);
      e.pid = startDashboard(o, e, board.bind);
      writeJson(o.dir, PROCESSES_FILE, procs);
      const host = board.bind === '0.0.0.0' || board.bind === '::' ? '127.0.0.1' : board.bind;
      await until(`the dashboard does not answer on port ${boardPort} (see ${e.log})`, Date.now() + timeoutMs, () => httpOk(`http://${host.includes(':') ? `[${host}]` : host}:${boardPort}/api/state`));
    }
    return file;
  } catch (err) {
    await stopAll(procs.map((p) => p.pid).reverse(), STOP_GRACE_MS);
    throw err;
  }
}

export interface ProcessStatus {
  name: string;
  kind: ProcessEntry['kind'];
  port: number;
  pid: number;
  alive: boolean;
  role: string;
  /** Resident set size (Linux), else the node's used_memory. */
  memory: string;
  /** Replica: master_link_status; Sentinel: each master's status (ok/sdown/odown). */
  link: string;
  /** Replica: bytes behind its master's offset, or null. */
  lagBytes: number | null;
}

/** Resident memory of a process (Linux /proc), else null. */
function rss(pid: number): string | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    return kb === undefined ? null : `${(Number(kb) / 1024).toFixed(1)}M`;
  } catch {
    return null;
  }
}

async function statusOf(e: ProcessEntry): Promise<ProcessStatus> {
  const base: ProcessStatus = { name: e.name, kind: e.kind, port: e.port, pid: e.pid, alive: alive(e.pid), role: '-', memory: '-', link: '-', lagBytes: null };
  if (!base.alive) return base;
  if (e.kind === 'dashboard') return { ...base, role: 'dashboard', memory: rss(e.pid) ?? '-', link: `http port ${e.port}` };
  const i = await info(e.port, e.kind === 'sentinel' ? undefined : 'everything');
  base.role = i.get('role') ?? (e.kind === 'sentinel' ? 'sentinel' : '?');
  base.memory = rss(e.pid) ?? i.get('used_memory_human') ?? '-';
  if (e.kind === 'sentinel') {
    const views: string[] = [];
    for (const [k, v] of i) if (/^master\d+$/.test(k)) views.push(/name=([^,]*)/.exec(v)?.[1] + ':' + (/status=([^,]*)/.exec(v)?.[1] ?? '?'));
    base.link = views.join(' ');
  } else if (base.role === 'slave') {
    base.link = i.get('master_link_status') ?? '?';
    const master = Number(i.get('master_port'));
    const mi = Number.isFinite(master) ? await info(master, 'replication') : new Map<string, string>();
    const mo = Number(mi.get('master_repl_offset'));
    const so = Number(i.get('slave_repl_offset'));
    base.lagBytes = Number.isFinite(mo) && Number.isFinite(so) ? Math.max(0, mo - so) : null;
  } else {
    base.link = `${i.get('connected_slaves') ?? '0'} replicas`;
  }
  return base;
}

export async function status(dir: string): Promise<ProcessStatus[]> {
  const procs = readProcesses(dir);
  if (procs === null) throw new FleetError(`no fleet in ${dir} (${PROCESSES_FILE} is missing)`);
  return Promise.all(procs.map(statusOf));
}

/** Stops every recorded process; with purge, removes their data, logs and the fleet files. */
export async function down(dir: string, purge: boolean): Promise<number> {
  const procs = readProcesses(dir);
  if (procs === null) throw new FleetError(`no fleet in ${dir} (${PROCESSES_FILE} is missing)`);
  const order = [...procs.filter((p) => p.kind === 'dashboard'), ...procs.filter((p) => p.kind === 'sentinel'), ...procs.filter((p) => p.kind === 'replica'), ...procs.filter((p) => p.kind === 'master')];
  const live = order.filter((p) => alive(p.pid)).length;
  await stopAll(order.map((p) => p.pid), STOP_GRACE_MS);
  if (purge) {
    for (const p of procs) {
      rmSync(p.dir, { recursive: true, force: true });
      rmSync(p.log, { force: true });
    }
    rmSync(join(dir, FLEET_FILE), { force: true });
    rmSync(join(dir, PROCESSES_FILE), { force: true });
  }
  return live;
}
