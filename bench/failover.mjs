// `npm run bench:failover`: automatic failover, SIGKILL of the master → writes accepted again.
// Two stacks side by side in one run (BENCH_STACKS, default both):
//   ringcache: ringcache-server master + replica, three `ringcache-server --sentinel`;
//   redis:     redis-server master + replica, three redis-sentinel 7.0 (the reference).
// Sentinels: quorum 2, down-after-milliseconds BENCH_DOWN_AFTER (1000), failover-timeout 3000.
// Each round: a writer SETs fresh keys on the master and counts a write as acknowledged only when
// `WAIT 1 200` confirms the replica has it; then the master is SIGKILLed. The writer keeps asking
// a Sentinel for the master and retrying SET; "writes accepted" is the first OK from a node whose
// ROLE is master (the promoted replica). Then every acknowledged key is read back from the new
// master (lost = missing or different), the killed node restarts as a replica of the new master,
// and the next round waits until it is in sync and every Sentinel sees it as a usable replica.
// Prints per stack the distribution (min/p50/p90/max/mean, ms) of time-to-writes-accepted and of
// time until the Sentinels report the new address, and the acknowledged writes lost (target 0).
// Environment: BENCH_FAILOVERS (20), BENCH_STACKS ("ringcache,redis"), BENCH_DOWN_AFTER (1000),
// BENCH_WRITES (100 acknowledged-write attempts per round).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort } from './lib/servers.mjs';

class BenchError extends Error {
  code = 'ERR_BENCH';
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'dist/bin/ringcache-server.js');
const ROUNDS = Number(process.env.BENCH_FAILOVERS ?? 20);
const STACKS = (process.env.BENCH_STACKS ?? 'ringcache,redis').split(',');
const DOWN_AFTER = Number(process.env.BENCH_DOWN_AFTER ?? 1000);
const WRITES = Number(process.env.BENCH_WRITES ?? 100);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const live = new Set();
process.on('exit', () => { for (const p of live) p.kill('SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

function spawnReady(cmd, args, dir, ready) {
  const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const exited = new Promise((r) => child.once('exit', () => { live.delete(child); r(); }));
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new BenchError(`${cmd} did not start:\n${out}`)), 20000);
    const on = (d) => { out += d; if (ready.test(out)) { clearTimeout(t); res({ child, exited, kill: async () => { child.kill('SIGKILL'); await exited; } }); } };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (c) => { clearTimeout(t); rej(new BenchError(`${cmd} exited ${c}:\n${out}`)); });
  });
}

async function startNode(stack, port, replicaOf) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-failover-'));
  const base = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  if (replicaOf !== null) base.push('--replicaof', '127.0.0.1', String(replicaOf));
  const p = stack === 'ringcache'
    ? await spawnReady(process.execPath, [BIN, ...base], dir, /Ready to accept connections/)
    : await spawnReady('redis-server', [...base, '--appendonly', 'no', '--repl-diskless-sync-delay', '0'], dir, /Ready to accept connections/);
  return { ...p, port, dir };
}

async function startSentinel(stack, masterPort) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-sentinel-'));
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor m 127.0.0.1 ${masterPort} 2`,
    `sentinel down-after-milliseconds m ${DOWN_AFTER}`, 'sentinel failover-timeout m 3000', ''].join('\n'));
  const p = stack === 'ringcache'
    ? await spawnReady(process.execPath, [BIN, conf, '--sentinel'], dir, /Ready to accept connections/)
    : await spawnReady('redis-sentinel', [conf], dir, /\+monitor master m /);
  return { ...p, port, dir };
}

async function ask(port, ...args) {
  const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500, commandTimeout: 1000 });
  c.on('error', () => {});
  try {
    await c.connect();
    return await c.call(args[0], ...args.slice(1));
  } catch {
    return null;
  } finally {
    c.disconnect();
  }
}

async function until(what, fn, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(50);
  }
  throw new BenchError(`timed out waiting for ${what}`);
}

const field = (info, name) => (typeof info === 'string' ? (new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1] ?? '').trim() : '');
const pairs = (flat) => { const o = {}; for (let i = 0; Array.isArray(flat) && i + 1 < flat.length; i += 2) o[flat[i]] = flat[i + 1]; return o; };

/** Every Sentinel sees `port` as a usable replica (not down, linked, its link to the master up). */
async function usableEverywhere(sentinels, port) {
  for (const s of sentinels) {
    const list = await ask(s.port, 'SENTINEL', 'replicas', 'm');
    const r = (list ?? []).map(pairs).find((x) => x.port === String(port));
    if (r === undefined || /s_down|disconnected/.test(r.flags) || r['master-link-status'] !== 'ok') return false;
  }
  return true;
}

/**
 * Before a round every Sentinel must report the same master, that node must say it is master and
 * the other must be in sync with it. A failover nobody asked for (between rounds) swaps the roles
 * here and is counted, so no round starts from a stale view.
 */
async function settle(state, sentinels) {
  let port = 0;
  await until('Sentinels agree on the master', async () => {
    const ps = await Promise.all(sentinels.map(async (s) => { const a = await ask(s.port, 'SENTINEL', 'get-master-addr-by-name', 'm'); return Array.isArray(a) ? Number(a[1]) : 0; }));
    port = ps[0];
    return ps.every((p) => p === port) && (port === state.master.port || port === state.replica.port) && (await ask(port, 'ROLE'))?.[0] === 'master';
  });
  if (port !== state.master.port) {
    [state.master, state.replica] = [state.replica, state.master];
    state.unasked = (state.unasked ?? 0) + 1;
  }
  await until('replica in sync', async () => field(await ask(state.replica.port, 'INFO', 'replication'), 'master_link_status') === 'up' &&
    field(await ask(state.replica.port, 'INFO', 'replication'), 'master_port') === String(state.master.port));
}

async function round(stack, state, sentinels, n) {
  await settle(state, sentinels);
  const { master, replica } = state;
  // A connection Sentinel closes (CLIENT KILL during a reconfiguration) is reopened; only writes
  // confirmed by WAIT count.
  const open = () => { const c = new Redis({ port: master.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null }); c.on('error', () => {}); return c; };
  let w = open();
  const acked = [];
  const t = performance.now();
  for (let i = 0; i < WRITES; i++) {
    const k = `r${n}:k${i}`;
    try {
      await w.set(k, String(i));
      if ((await w.call('WAIT', '1', '200')) >= 1) acked.push(k);
    } catch {
      w.disconnect();
      w = open();
    }
  }
  w.disconnect();
  state.writeMs = performance.now() - t;
  const t0 = performance.now();
  await master.kill();
  rmSync(master.dir, { recursive: true, force: true });
  let switched = null;
  let accepted = null;
  let newPort = 0;
  let k = 0;
  while (accepted === null && performance.now() - t0 < 60000) {
    const addr = await ask(sentinels[0].port, 'SENTINEL', 'get-master-addr-by-name', 'm');
    const p = Array.isArray(addr) ? Number(addr[1]) : 0;
    if (p !== master.port && p !== 0 && switched === null) switched = performance.now() - t0;
    const r = await ask(replica.port, 'SET', `r${n}:after`, String(k++));
    if (r === 'OK' && (await ask(replica.port, 'ROLE'))?.[0] === 'master') { accepted = performance.now() - t0; newPort = replica.port; }
    if (accepted === null) await sleep(20);
  }
  if (accepted === null) throw new BenchError(`${stack}: round ${n}: writes not accepted within 60 s`);
  await until('sentinels switched', async () => (await Promise.all(sentinels.map((s) => ask(s.port, 'SENTINEL', 'get-master-addr-by-name', 'm')))).every((a) => Array.isArray(a) && Number(a[1]) === newPort));
  switched ??= performance.now() - t0;
  const vals = acked.length === 0 ? [] : await ask(newPort, 'MGET', ...acked);
  let lost = 0;
  for (let i = 0; i < acked.length; i++) if (vals?.[i] !== acked[i].split(':k')[1]) lost++;
  const restarted = await startNode(stack, master.port, newPort);
  await until('restarted node in sync', async () => field(await ask(restarted.port, 'INFO', 'replication'), 'master_link_status') === 'up');
  state.master = replica;
  state.replica = restarted;
  await until('sentinels see the new replica', () => usableEverywhere(sentinels, restarted.port));
  return { accepted, switched, acked: acked.length, lost };
}

function dist(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `min ${s[0].toFixed(0)}  p50 ${at(50).toFixed(0)}  p90 ${at(90).toFixed(0)}  max ${s[s.length - 1].toFixed(0)}  mean ${mean.toFixed(0)}`;
}

async function runStack(stack) {
  const masterPort = await freePort();
  const state = { master: await startNode(stack, masterPort, null), replica: null };
  state.replica = await startNode(stack, await freePort(), masterPort);
  await until('replica in sync', async () => field(await ask(state.replica.port, 'INFO', 'replication'), 'master_link_status') === 'up');
  const sentinels = [];
  for (let i = 0; i < 3; i++) sentinels.push(await startSentinel(stack, masterPort));
  await until('sentinels ready', async () => (await usableEverywhere(sentinels, state.replica.port)) &&
    (await Promise.all(sentinels.map(async (s) => pairs(await ask(s.port, 'SENTINEL', 'master', 'm'))['num-other-sentinels'] === '2'))).every(Boolean));
  const results = [];
  try {
    for (let n = 0; n < ROUNDS; n++) {
      const r = await round(stack, state, sentinels, n);
      results.push(r);
      process.stdout.write(`  ${stack} #${n + 1}: writes accepted after ${r.accepted.toFixed(0)} ms, Sentinel switched after ${r.switched.toFixed(0)} ms, ${r.acked} acked, ${r.lost} lost\n`);
    }
    results.unasked = state.unasked ?? 0;
  } finally {
    for (const p of [state.master, state.replica, ...sentinels]) { await p.kill(); rmSync(p.dir, { recursive: true, force: true }); }
  }
  return results;
}

const out = [];
process.stdout.write(`bench:failover — ${ROUNDS} SIGKILL failovers per stack, down-after ${DOWN_AFTER} ms, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
for (const stack of STACKS) out.push([stack, await runStack(stack)]);
for (const [stack, rs] of out) {
  process.stdout.write(`\n${stack === 'ringcache' ? 'ringcache-server + ringcache-server --sentinel' : 'redis-server + redis-sentinel (reference)'}\n`);
  process.stdout.write(`  SIGKILL → writes accepted (ms):      ${dist(rs.map((r) => r.accepted))}\n`);
  process.stdout.write(`  SIGKILL → Sentinel reports it (ms):  ${dist(rs.map((r) => r.switched))}\n`);
  process.stdout.write(`  acknowledged writes (WAIT 1): ${rs.reduce((a, r) => a + r.acked, 0)}, lost: ${rs.reduce((a, r) => a + r.lost, 0)}\n`);
  process.stdout.write(`  failovers nobody asked for between rounds: ${rs.unasked ?? 0}\n`);
}
if (out.length === 2) {
  const med = (rs) => [...rs.map((r) => r.accepted)].sort((a, b) => a - b)[Math.floor(rs.length / 2)];
  process.stdout.write(`\nratio p50 writes accepted, ringcache / redis: ${(med(out[0][1]) / med(out[1][1])).toFixed(2)}\n`);
}
process.stdout.write(`load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
process.exit(0);
