// `npm run bench:persistence`: the cost of durability, ringcache-server next to redis-server with
// the same settings, in one run.
//   1. SET throughput (redis-benchmark, 100-byte values, 50 clients, pipeline 1 and 16) with
//      appendonly no vs appendonly yes + appendfsync everysec; best of BENCH_ROUNDS, alternating.
//      Target: everysec ≥ 0.8× the no-persistence throughput.
//   2. Latency while BGREWRITEAOF rewrites a BENCH_KEYS-key dataset (default 1M): PROBES clients
//      send SETs of random existing keys one at a time; p50/p99/max of those that ran during the
//      rewrite, next to the same probes in the 2 s before it (after the heap settled).
//      Target: p99 during the rewrite ≤ 5 ms.
// Environment: BENCH_REQUESTS (200000), BENCH_ROUNDS (3), BENCH_KEYS (1000000), BENCH_PROBES (4),
// BENCH_PART (all | throughput | latency), BENCH_SETTLE_MS (5000: idle time after the fill).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { startRedis, startRingcache } from './lib/servers.mjs';

class BenchError extends Error {
  code = 'ERR_BENCH';
}

const N = Number(process.env.BENCH_REQUESTS ?? 200000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const PROBES = Number(process.env.BENCH_PROBES ?? 4);
const PART = process.env.BENCH_PART ?? 'all';
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5000);
const NO_AUTO = ['--auto-aof-rewrite-percentage', '0'];
const SETTINGS = {
  none: ['--appendonly', 'no'],
  everysec: ['--appendonly', 'yes', '--appendfsync', 'everysec', ...NO_AUTO],
};
const SERVERS = { ringcache: startRingcache, redis: startRedis };

/** User + system CPU seconds of a process so far (Linux /proc), or NaN elsewhere. */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

function setRps(port, pipeline) {
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', 'set', '-d', '100', '-c', '50',
    '-n', String(N), '-P', String(pipeline), '-r', '100000', '--csv'], { encoding: 'utf8' });
  if (r.status !== 0) throw new BenchError(`redis-benchmark failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith('"SET"'));
  return Number(line.split(',')[1].replace(/"/g, ''));
}

async function throughput() {
  const servers = [];
  for (const [kind, start] of Object.entries(SERVERS)) {
    for (const [setting, args] of Object.entries(SETTINGS)) servers.push({ kind, setting, srv: await start(args) });
  }
  const rows = [];
  try {
    for (const pipeline of [1, 16]) {
      const best = {};
      const cpu = {};
      for (let i = 0; i < ROUNDS; i++) {
        for (const s of servers) {
          const key = `${s.kind}/${s.setting}`;
          const c0 = cpuSeconds(s.srv.pid);
          best[key] = Math.max(best[key] ?? 0, setRps(s.srv.port, pipeline));
          // Server CPU per request: far less sensitive to a busy machine than throughput.
          const us = ((cpuSeconds(s.srv.pid) - c0) * 1e6) / N;
          cpu[key] = Math.min(cpu[key] ?? Infinity, us);
        }
      }
      for (const kind of Object.keys(SERVERS)) {
        const none = best[`${kind}/none`];
        const every = best[`${kind}/everysec`];
        const cn = cpu[`${kind}/none`];
        const ce = cpu[`${kind}/everysec`];
        rows.push({
          server: kind, pipeline, 'no persistence': Math.round(none), 'everysec': Math.round(every), 'everysec / none': (every / none).toFixed(2),
          'cpu µs/SET none': cn.toFixed(1), 'cpu µs/SET everysec': ce.toFixed(1), 'cpu ratio none/everysec': (cn / ce).toFixed(2),
        });
      }
    }
  } finally {
    for (const s of servers) await s.srv.stop();
  }
  console.log(`\nSET throughput, redis-benchmark -t set -d 100 -c 50 -n ${N} -r 100000 (best of ${ROUNDS}), requests/s;`);
  console.log('server CPU time per SET (least of the rounds; includes the AOF write/fsync threads)');
  console.table(rows);
  return rows;
}

async function fill(r) {
  const val = 'v'.repeat(100);
  for (let i = 0; i < KEYS; i += 20_000) {
    const p = r.pipeline();
    for (let j = i; j < Math.min(KEYS, i + 20_000); j += 200) {
      const args = [];
      for (let k = j; k < Math.min(KEYS, j + 200); k++) args.push(`key:${k}`, val);
      p.mset(...args);
    }
    await p.exec();
  }
}

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Probes run until stopped; each latency is tagged with the phase it ran in. */
function probe(clients, phase) {
  const samples = { before: [], during: [], after: [] };
  let running = true;
  const loops = clients.map(async (c) => {
    while (running) {
      const key = `key:${Math.floor(Math.random() * KEYS)}`;
      const t = process.hrtime.bigint();
      await c.set(key, 'w'.repeat(100));
      samples[phase.now].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  });
  return { samples, stop: async () => { running = false; await Promise.all(loops); } };
}

async function rewriteLatency(kind) {
  const srv = await SERVERS[kind](SETTINGS.everysec);
  const admin = new Redis({ port: srv.port, host: '127.0.0.1' });
  const clients = Array.from({ length: PROBES }, () => new Redis({ port: srv.port, host: '127.0.0.1' }));
  try {
    const t0 = Date.now();
    await fill(admin);
    const fillMs = Date.now() - t0;
    // Let the heap settle after the fill (V8 marks and compacts the freshly grown heap), so the
    // 'before' column is the steady state the rewrite is compared with.
    await new Promise((res) => setTimeout(res, SETTLE_MS));
    const phase = { now: 'before' };
    const p = probe(clients, phase);
    await new Promise((res) => setTimeout(res, 2000));
    phase.now = 'during';
    const started = process.hrtime.bigint();
    await admin.bgrewriteaof();
    for (;;) {
      const info = await admin.info('persistence');
      if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
      await new Promise((res) => setTimeout(res, 10));
    }
    const rewriteMs = Number(process.hrtime.bigint() - started) / 1e6;
    phase.now = 'after';
    await p.stop();
    const size = /aof_current_size:(\d+)/.exec(await admin.info('persistence'))?.[1] ?? '?';
    const during = p.samples.during.sort((a, b) => a - b);
    const before = p.samples.before.sort((a, b) => a - b);
    return {
      server: kind,
      keys: KEYS,
      'fill s': (fillMs / 1000).toFixed(1),
      'rewrite ms': Math.round(rewriteMs),
      'aof MB': (Number(size) / 1e6).toFixed(0),
      'probes during': during.length,
      'p50 ms': percentile(during, 50).toFixed(2),
      'p99 ms': percentile(during, 99).toFixed(2),
      'max ms': (during[during.length - 1] ?? 0).toFixed(2),
      'p99 before ms': percentile(before, 99).toFixed(2),
    };
  } finally {
    for (const c of [admin, ...clients]) c.disconnect();
    await srv.stop();
  }
}

const tput = PART === 'latency' ? [] : await throughput();
const lat = [];
if (PART !== 'throughput') {
  for (const kind of Object.keys(SERVERS)) lat.push(await rewriteLatency(kind));
  console.log(`\nSET latency of ${PROBES} sequential clients during BGREWRITEAOF (appendfsync everysec)`);
  console.table(lat);
}

const ours = tput.filter((r) => r.server === 'ringcache');
const checks = [];
if (ours.length > 0) {
  const worst = Math.min(...ours.map((r) => Number(r['everysec / none'])));
  checks.push(`everysec/none ≥ 0.80 → ${worst.toFixed(2)} ${worst >= 0.8 ? 'met' : 'MISSED'}`);
}
if (lat.length > 0) {
  const p99 = Number(lat.find((r) => r.server === 'ringcache')['p99 ms']);
  checks.push(`p99 during rewrite ≤ 5 ms → ${p99.toFixed(2)} ms ${p99 <= 5 ? 'met' : 'MISSED'}`);
}
console.log(`\nTargets: ${checks.join('; ')}`);
