// Staleness of the local cache across processes: process A caches a hot key; process B (a child)
// overwrites it every 25 ms; A reads it continuously and records how long after each write it
// first sees the new value. Run with tracking (invalidation pushed) and without (TTL only).
// Backend: BENCH_BACKEND=redis (default when redis-server exists) or ringcache.
import { execFileSync, fork } from 'node:child_process';
import { RingClient } from '../dist/index.js';
import { startRedis, startRingcache } from './lib/servers.mjs';

const WRITES = Number(process.env.BENCH_WRITES ?? 200);
const INTERVAL = 25;
function hasRedis() {
  try { execFileSync('redis-server', ['--version']); return true; } catch { return false; }
}
const backend = process.env.BENCH_BACKEND ?? (hasRedis() ? 'redis' : 'ringcache');
const node = await (backend === 'redis' ? startRedis : startRingcache)();

const wall = () => performance.timeOrigin + performance.now();
const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p))];

async function measure(tracking) {
  const key = `celebrity:${tracking ? 't' : 'ttl'}`;
  const a = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }], localCache: { hotThreshold: 50, ttlMs: 1000, tracking } });
  await a.set(key, '0:0');
  for (let i = 0; i < 2000; i++) await a.get(key); // make it hot and cached
  const writer = fork(new URL('./lib/staleness-writer.mjs', import.meta.url), [String(node.port), key, String(WRITES), String(INTERVAL)]);
  await new Promise((r) => writer.once('message', r));
  const exited = new Promise((r) => writer.once('exit', r));
  writer.send('go');
  const delays = [];
  let seen = 0;
  let done = false;
  let reads = 0;
  void exited.then(() => setTimeout(() => (done = true), 2000));
  while (!done && seen < WRITES) {
    const v = await a.get(key);
    const [seq, ts] = String(v).split(':').map(Number);
    if (seq > seen) {
      delays.push(wall() - ts);
      seen = seq;
    }
    // Hits resolve without I/O: yield to the event loop regularly so pushes and timers run.
    if ((++reads & 15) === 0) await new Promise((r) => setImmediate(r));
  }
  const s = a.stats().localCache;
  await a.close();
  await exited;
  delays.sort((x, y) => x - y);
  return { tracking, mode: s.modes.a, n: delays.length, hits: s.hits, p50: pct(delays, 0.5), p99: pct(delays, 0.99), max: delays[delays.length - 1] };
}

try {
  console.log(`staleness: ${backend}-server, ${WRITES} writes every ${INTERVAL} ms from another process, local TTL 1000 ms (+10% jitter)`);
  for (const tracking of [true, false]) {
    const r = await measure(tracking);
    console.log(`tracking ${tracking ? 'on ' : 'off'} (${r.mode}): ${r.n} new values seen, local hits ${r.hits}; delay to see a write: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(2)} ms`);
  }
} finally {
  await node.stop();
}
