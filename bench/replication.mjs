// `npm run bench:replication`: the cost of replication, ringcache-server next to redis-server in
// one run.
//   1. Master SET throughput (redis-benchmark -t set -d 100 -c 50 -P 16) with no replica and with
//      2 replicas attached (online); best of BENCH_ROUNDS. Ratio "2 replicas / none" per server.
//   2. Replication lag under load: while redis-benchmark loads the master (pipeline 16), a probe
//      SETs a fresh value on the master and polls the replica until it reads it; p50/p99/max of
//      BENCH_PROBES probes (ms; the polling adds up to ~0.1 ms of resolution).
// Environment: BENCH_REQUESTS (200000), BENCH_ROUNDS (3), BENCH_PROBES (300).
import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { startRedis, startRingcache } from './lib/servers.mjs';

class BenchError extends Error {
  code = 'ERR_BENCH';
}

const N = Number(process.env.BENCH_REQUESTS ?? 200000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROBES = Number(process.env.BENCH_PROBES ?? 300);
const SERVERS = { ringcache: startRingcache, redis: startRedis };
const BENCH_ARGS = (port, n) => ['-h', '127.0.0.1', '-p', String(port), '-t', 'set', '-d', '100', '-c', '50', '-n', String(n), '-P', '16', '-r', '100000', '--csv'];

function setRps(port) {
  const r = spawnSync('redis-benchmark', BENCH_ARGS(port, N), { encoding: 'utf8' });
  if (r.status !== 0) throw new BenchError(`redis-benchmark failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith('"SET"'));
  return Number(line.split(',')[1].replace(/"/g, ''));
}

async function linkUp(port) {
  const c = new Redis({ port, host: '127.0.0.1' });
  try {
    for (let i = 0; i < 600; i++) {
      if (/master_link_status:up/.test(await c.info('replication'))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new BenchError(`replica on ${port} did not sync`);
  } finally {
    c.disconnect();
  }
}

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function lag(masterPort, replicaPort) {
  const load = spawn('redis-benchmark', BENCH_ARGS(masterPort, 100_000_000), { stdio: 'ignore' });
  const m = new Redis({ port: masterPort, host: '127.0.0.1' });
  const r = new Redis({ port: replicaPort, host: '127.0.0.1' });
  const samples = [];
  try {
    await new Promise((res) => setTimeout(res, 500));
    for (let i = 0; i < PROBES; i++) {
      const v = `probe-${i}-${Date.now()}`;
      await m.set('lag:probe', v);
      const t = process.hrtime.bigint();
      for (let j = 0; j < 100_000 && (await r.get('lag:probe')) !== v; j++);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } finally {
    load.kill('SIGKILL');
    m.disconnect();
    r.disconnect();
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1) };
}

async function measure(kind, start) {
  const master = await start();
  const replicas = [];
  try {
    let none = 0;
    for (let i = 0; i < ROUNDS; i++) none = Math.max(none, setRps(master.port));
    for (let i = 0; i < 2; i++) replicas.push(await start(['--replicaof', '127.0.0.1', String(master.port)]));
    for (const r of replicas) await linkUp(r.port);
    let two = 0;
    for (let i = 0; i < ROUNDS; i++) two = Math.max(two, setRps(master.port));
    const l = await lag(master.port, replicas[0].port);
    return { server: kind, 'SET/s no replica': Math.round(none), 'SET/s 2 replicas': Math.round(two), 'ratio 2/none': (two / none).toFixed(2),
      'lag p50 ms': l.p50.toFixed(2), 'lag p99 ms': l.p99.toFixed(2), 'lag max ms': l.max.toFixed(2) };
  } finally {
    for (const r of replicas) await r.stop();
    await master.stop();
  }
}

const rows = [];
for (const [kind, start] of Object.entries(SERVERS)) rows.push(await measure(kind, start));
console.log(`\nMaster SET throughput (redis-benchmark -t set -d 100 -c 50 -P 16 -n ${N}, best of ${ROUNDS}) and replication lag under that load (${PROBES} probes)`);
console.table(rows);
const [a, b] = rows;
console.log(`ringcache/redis: throughput with 2 replicas ${(a['SET/s 2 replicas'] / b['SET/s 2 replicas']).toFixed(2)}x, lag p99 ${(Number(a['lag p99 ms']) / Number(b['lag p99 ms'])).toFixed(2)}x`);
