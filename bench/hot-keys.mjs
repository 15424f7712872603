// Hot-key local cache, in one run: a Zipf (s = 1.1) read-heavy workload (90% GET / 10% SET) over
// 100k keys on 3 nodes, through RingClient without and with the local cache. Prints throughput,
// the share of reads served locally, per-node request counts (hottest node vs mean) and p99.
// Backend: BENCH_BACKEND=redis (default when redis-server exists) or ringcache.
import { execFileSync } from 'node:child_process';
import { RingClient } from '../dist/index.js';
import { startRedis, startRingcache } from './lib/servers.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 100_000);
const OPS = Number(process.env.BENCH_OPS ?? 300_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const S = Number(process.env.BENCH_ZIPF_S ?? 1.1);
const VALUE = 'v'.repeat(100);
// Which keys the 10% writes hit: 'zipf' (as skewed as reads: the hottest keys are also the most
// written) or 'uniform' (writes spread over all keys).
const WRITES = process.env.BENCH_WRITES ?? 'zipf';

function hasRedis() {
  try { execFileSync('redis-server', ['--version']); return true; } catch { return false; }
}
const backend = process.env.BENCH_BACKEND ?? (hasRedis() ? 'redis' : 'ringcache');
const start = backend === 'redis' ? startRedis : startRingcache;

/** Zipf sampler over ranks 0..n-1 (CDF + binary search), with a fixed pseudo-random stream. */
function zipf(n, s) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  for (let i = 0; i < n; i++) cdf[i] /= sum;
  let x = 0x9e3779b9;
  const rand = () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  return {
    rand,
    next() {
      const u = rand();
      let lo = 0, hi = n - 1;
      while (lo < hi) { const mid = (lo + hi) >>> 1; if (cdf[mid] < u) lo = mid + 1; else hi = mid; }
      return lo;
    },
  };
}

/**
 * The op stream, drawn before the clock starts (the same seeded stream for both sides), so the
 * timed loop measures the client and not the Zipf sampler: the key rank and whether it is a write.
 */
function workload() {
  const z = zipf(KEYS, S);
  const ranks = new Int32Array(OPS);
  const writes = new Uint8Array(OPS);
  for (let i = 0; i < OPS; i++) {
    const write = z.rand() < 0.1;
    writes[i] = write ? 1 : 0;
    ranks[i] = write && WRITES === 'uniform' ? Math.floor(z.rand() * KEYS) : z.next();
  }
  return { ranks, writes };
}

/** GET+SET calls a node has served, from INFO commandstats (read through a plain client). */
async function served(port) {
  const c = new RingClient({ shards: [{ name: 'x', master: `127.0.0.1:${port}` }] });
  const info = String(await c.call('INFO', 'commandstats'));
  await c.close();
  let total = 0;
  for (const m of info.matchAll(/cmdstat_(get|set):calls=(\d+)/g)) total += Number(m[2]);
  return total;
}

async function run(nodes, localCache) {
  const client = new RingClient({
    shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })),
    ...(localCache ? { localCache } : {}),
  });
  const before = await Promise.all(nodes.map((n) => served(n.port)));
  const { ranks, writes } = workload();
  const lat = new Float64Array(OPS);
  let next = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < OPS) {
      const i = next++;
      const key = `item:${ranks[i]}`; // built per op, as an application would
      const s = performance.now();
      if (writes[i] === 1) await client.set(key, VALUE);
      else await client.get(key);
      lat[i] = performance.now() - s;
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const stats = client.stats().localCache;
  await client.close();
  const after = await Promise.all(nodes.map((n) => served(n.port)));
  const perNode = after.map((a, i) => a - before[i]);
  lat.sort();
  const reads = OPS * 0.9;
  return {
    opsPerSec: Math.round(OPS / secs),
    cpuPerOp: (cpu.user + cpu.system) / OPS,
    cpuShare: (cpu.user + cpu.system) / 1e6 / secs,
    p99: lat[Math.floor(OPS * 0.99)],
    local: stats ? stats.hits / reads : 0,
    perNode,
    hottestVsMean: Math.max(...perNode) / (perNode.reduce((a, b) => a + b, 0) / perNode.length),
    modes: stats?.modes,
    detail: stats ? { hits: stats.hits, misses: stats.misses, cold: stats.cold, loads: stats.loads, discarded: stats.discardedLoads, invalidations: stats.invalidations, received: stats.invalidationsReceived, hotKeys: stats.hotKeyCount } : undefined,
  };
}

const nodes = await Promise.all([0, 1, 2].map(() => start()));
try {
  const loader = new RingClient({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })) });
  for (let base = 0; base < KEYS; base += 1000) {
    const p = loader.pipeline();
    for (let i = base; i < Math.min(KEYS, base + 1000); i++) p.set(`item:${i}`, VALUE);
    await p.exec();
  }
  await loader.close();
  console.log(`hot keys: ${backend}-server × 3, ${KEYS} keys, Zipf s=${S}, 90/10 GET/SET (${WRITES} writes), ${OPS} ops, ${CONCURRENCY} in flight`);
  const rows = [];
  // BENCH_ONLY=with|without runs one side (for profiling with node --cpu-prof).
  const only = process.env.BENCH_ONLY;
  for (let round = 0; round < 2; round++) {
    if (only !== 'with') rows.push(['without local cache', await run(nodes, null)]);
    if (only !== 'without') rows.push(['with local cache', await run(nodes, { hotThreshold: Number(process.env.BENCH_HOT_THRESHOLD ?? 100), ttlMs: 1000 })]);
  }
  for (const [label, r] of rows) {
    console.log(`${label.padEnd(20)} ${String(r.opsPerSec).padStart(8)} ops/s  client CPU ${r.cpuPerOp.toFixed(2)} µs/op (${(r.cpuShare * 100).toFixed(0)}% of a core)  p99 ${r.p99.toFixed(2)} ms  local ${(r.local * 100).toFixed(1)}%  per node ${r.perNode.join('/')}  hottest/mean ${r.hottestVsMean.toFixed(2)}${r.detail ? `\n    ${JSON.stringify(r.detail)}` : ''}`);
  }
  const best = (label) => rows.filter(([l]) => l === label).map(([, r]) => r).sort((a, b) => b.opsPerSec - a.opsPerSec)[0];
  const a = best('without local cache');
  const b = best('with local cache');
  if (a !== undefined && b !== undefined) console.log(`throughput ratio (with / without, best of 2): ${(b.opsPerSec / a.opsPerSec).toFixed(2)}×  (target ≥ 3×)`);
  if (b !== undefined) console.log(`hottest node / mean requests with local cache: ${b.hottestVsMean.toFixed(2)}  (target ≤ 1.5)`);
} finally {
  await Promise.all(nodes.map((n) => n.stop()));
}
